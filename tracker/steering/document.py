"""The steering-committee report as its reader sees it: the words and figures both the page and the PDF
use, and the PDF itself (WeasyPrint, A4 portrait) rendered from the page's own fragment."""

from datetime import date

from babel.dates import format_date, format_interval
from babel.numbers import format_decimal, format_percent
from markupsafe import Markup

from tracker.certificates.rules import date_span
from tracker.config import ROOT
from tracker.i18n import N_, gettext_for, in_language, translate
from tracker.indicators.rules import Period
from tracker.indicators.service import SEX_LABELS, TITLES
from tracker.labels import status_label
from tracker.pdf import write_pdf
from tracker.rendering import render_template
from tracker.steering import periods
from tracker.steering.service import SteeringReport
from tracker.steering.targets import IndicatorLine
from tracker.times import long_date

STYLESHEET = ROOT / "static" / "css" / "steering.css"
HALVES = {1: N_("First half of %(year)s"), 2: N_("Second half of %(year)s")}
PAGE_OF = N_("Page {page} of {pages}")
TITLE = N_("Steering committee report")


def period_name(period: Period, language: str) -> str | None:
    """A calendar quarter or half-year by its name ("2nd quarter 2026", "Primer semestre de 2026"), else None."""
    for choice in periods.choices(period.start, period.end):
        if choice.period == period:
            if choice.kind == "quarter":
                return format_date(period.start, "QQQQ y", locale=language)
            return gettext_for(language)(HALVES[choice.number]) % {"year": choice.year}
    return None


def helpers(language: str) -> dict:
    """What the report's templates write with, in one language: the page and the PDF alike."""
    gettext = gettext_for(language)

    def number(value) -> str:
        if value is None:
            return "—"
        return format_decimal(round(value, 1) if isinstance(value, float) else value, locale=language)

    def indicator(line: IndicatorLine) -> tuple[str, str]:
        """The indicator's name and, for a breakdown, its part ("Women")."""
        part = gettext(SEX_LABELS[line.dimension[1]]) if line.dimension and line.dimension[1] in SEX_LABELS else ""
        return gettext(TITLES[line.code]), part

    return {
        "day": lambda value: long_date(value, language) if value else "",
        "span": lambda p: format_interval(p.start, p.end, "yMMMd", locale=language),
        "long_span": lambda p: date_span(p.start, p.end, language),
        "period_name": lambda p: period_name(p, language),
        "number": number,
        "percent": lambda value: format_percent(value, locale=language) if value is not None else "—",
        "label": lambda code: status_label(code, gettext),
        # The status rule names its own word for each code (`Status.label`).
        "status_word": lambda status: gettext(status.label),
        "reason": lambda status: translate(status.reason, status.context, language) if status else "",
        "indicator": indicator,
    }


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def page_counter(language: str) -> Markup:
    """The CSS `content` of the page numbers, "Page 2 of 9" in the reader's words (one message, its
    placeholders made counters)."""
    words = gettext_for(language)(PAGE_OF)
    parts = []
    for chunk in words.replace("{pages}", "\0pages\0").replace("{page}", "\0page\0").split("\0"):
        if chunk in ("page", "pages"):
            parts.append(f"counter({chunk})")
        elif chunk:
            parts.append(_css_string(chunk))
    return Markup(" ".join(parts))


def pdf(report: SteeringReport, *, language: str, prepared_on: date) -> bytes:
    """The report as an A4 portrait PDF in one language."""
    title = gettext_for(language)(TITLE)
    html = render_template(
        "steering/document.html",
        helpers(language)
        | {
            "report": report,
            "lang": language,
            "links": False,
            "document_title": title,
            "partnership_title": in_language(report.partnership, "title", language)[0],
            "prepared_on": prepared_on,
            "page_counter": page_counter(language),
        },
        language,
    )
    return write_pdf(html, STYLESHEET)

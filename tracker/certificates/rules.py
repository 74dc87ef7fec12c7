"""The rules of certificates as pure functions: numbers, the days an activity covers, hours."""

import re
from datetime import date, datetime, timedelta
from functools import lru_cache

from babel.dates import format_date, parse_pattern
from babel.numbers import format_decimal

from tracker.i18n import babel_locale
from tracker.times import in_zone

MAX_HOURS = 2000
_WORD = re.compile(r"[a-z]+")


def number_prefix(slug: str) -> str:
    """A partnership's certificate prefix: the initials of its slug's words ("carb-miambiente-2025" -> "CM")."""
    initials = "".join(word[0] for word in _WORD.findall(slug.lower()))[:6]
    return initials.upper() or "MOU"


def certificate_number(prefix: str, year: int, sequence: int) -> str:
    """The number printed on a certificate: CM-2026-00042."""
    return f"{prefix}-{year:04d}-{sequence:05d}"


def activity_dates(starts_at: datetime, ends_at: datetime, zone: str) -> tuple[date, date]:
    """The first and last day an activity covers on its own clock (an end at midnight is the day before)."""
    first = in_zone(starts_at, zone).date()
    last = in_zone(ends_at - timedelta(microseconds=1), zone).date() if ends_at > starts_at else first
    return first, max(first, last)


def _full_month(pattern: str) -> str:
    # Where a language has no interval pattern with the month spelled out (English), its abbreviated
    # one is spelled out instead: "November 17–19, 2026", as a certificate writes it.
    return re.sub(r"(?<!M)MMM(?!M)", "MMMM", pattern)


@lru_cache(maxsize=1024)
def date_span(first: date, last: date, language: str) -> str:
    """One day or a range of days as the language writes it: "17–19 de noviembre de 2026",
    "November 30 – December 2, 2026"; only what differs is repeated."""
    locale = babel_locale(language)
    if last <= first:
        return format_date(first, "long", locale=locale)
    formats = locale.interval_formats
    skeleton = "yMMMMd" if "yMMMMd" in formats else "yMMMd"
    field = "y" if first.year != last.year else "M" if first.month != last.month else "d"
    patterns = formats[skeleton].get(field) if skeleton in formats else None
    if not patterns or len(patterns) != 2:
        # CLDR's own fallback: both whole dates around the language's interval mark.
        return formats.get(None, "{0} – {1}").format(
            format_date(first, "long", locale=locale), format_date(last, "long", locale=locale)
        )
    return "".join(
        parse_pattern(_full_month(p)).apply(day, locale) for p, day in zip(patterns, (first, last), strict=True)
    )


def parse_hours(text: str) -> float | None:
    """Hours of instruction as typed ("24", "7.5", "7,5"); None when blank. ValueError when not a number
    from more than 0 to MAX_HOURS with at most one decimal."""
    cleaned = (text or "").strip().replace(",", ".")
    if not cleaned:
        return None
    if not re.fullmatch(r"\d{1,4}(\.\d)?", cleaned):
        raise ValueError(text)
    hours = float(cleaned)
    if not 0 < hours <= MAX_HOURS:
        raise ValueError(text)
    return hours


def hours_text(hours: float | None, language: str) -> str:
    """Hours as the language writes a number: "24", "7,5"; empty when not set."""
    if hours is None:
        return ""
    return format_decimal(round(hours, 1), format="0.#", locale=language)  # no grouping: typed back as is

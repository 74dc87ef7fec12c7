"""Pages: the steering-committee report of a period (also as PDF, XLSX and CSV), and its executive summary."""

import hashlib

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response
from pydantic import TypeAdapter, ValidationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from tracker.auth import ManagerDep, ViewerDep
from tracker.db import SessionDep
from tracker.exports import csv_response, reader_of, xlsx_response
from tracker.forms import FormDep, form_values
from tracker.i18n import request_language
from tracker.indicators.rules import Period
from tracker.models import Partnership, PeriodSummary
from tracker.partnerships import service as partnership_service
from tracker.pdf import pdf_response
from tracker.steering import document, periods
from tracker.steering import service as steering_service
from tracker.steering.exports import report_table
from tracker.steering.forms import SummaryIn, field_messages
from tracker.templating import gettext_of, render, today_for, viewer_zone
from tracker.validation import Day, FieldErrors, collect, message, messages, validate_all

router = APIRouter(include_in_schema=False)
DAY = TypeAdapter(Day)


def _period(request: Request) -> tuple[Period, dict]:
    """The period asked for (?start=&end=), or the last full quarter, and a message for each date that
    could not be used."""
    asked = {key: request.query_params.get(key) for key in ("start", "end")}
    default = periods.default_period(today_for(request))
    if asked["start"] is None and asked["end"] is None:
        return default, {}
    gettext = gettext_of(request)
    days, errors = {}, {}
    for key, value in asked.items():
        try:
            days[key] = DAY.validate_python(value or "")
        except ValidationError as exc:
            errors[key] = next(iter(messages(exc, gettext).values()))
    if errors:
        return default, errors
    if not periods.usable(days["start"], days["end"]):
        return default, {"end": message("report_period", {}, gettext)}
    return Period(days["start"], days["end"]), {}


def _report(request: Request, session: Session, partnership: Partnership, period: Period):
    zone = viewer_zone(request) or request.app.state.settings.default_timezone  # the clock today is read on
    return steering_service.build(session, partnership=partnership, period=period, today=today_for(request), zone=zone)


def _page(request: Request, session: Session, partnership: Partnership, period: Period, errors: dict):
    language = request_language(request)
    context = document.helpers(language) | {
        "partnership": partnership,
        "report": _report(request, session, partnership, period),
        "choices": periods.choices(partnership.starts_on, partnership.ends_on),
        "errors": errors,
        "links": True,
        "saved": request.query_params.get("saved") == "1",
        "nav": "report",
    }
    return render(request, "steering/page.html", context, 422 if errors else 200)


@router.get("/partnerships/{slug}/steering", name="steering_report")
def steering_page(slug: str, request: Request, session: SessionDep, viewer: ViewerDep):
    partnership = partnership_service.get_partnership_or_404(session, slug, viewer)
    period, errors = _period(request)
    return _page(request, session, partnership, period, errors)


def _download(slug: str, request: Request, session: Session, viewer) -> tuple:
    """The partnership and the report for a file, or the answer saying why there is none (422)."""
    partnership = partnership_service.get_partnership_or_404(session, slug, viewer)
    period, errors = _period(request)
    if errors:
        # A file of another period than the one asked for would mislead: say what is wrong instead.
        text = "\n".join(f"{key}: {value}" for key, value in errors.items())
        return None, PlainTextResponse(text, status_code=422)
    stem = f"steering-{partnership.slug}-{period.start}-{period.end}"
    return (_report(request, session, partnership, period), stem), None


@router.get("/partnerships/{slug}/steering.pdf", name="steering_pdf")
def steering_pdf(slug: str, request: Request, session: SessionDep, viewer: ViewerDep):
    found, refusal = _download(slug, request, session, viewer)
    if refusal:
        return refusal
    report, stem = found
    language = request_language(request)
    data = document.pdf(report, language=language, prepared_on=today_for(request))
    return pdf_response(data, f"{stem}-{language}.pdf", language, "attachment")


def _table(slug: str, request: Request, session: Session, viewer, write) -> Response:
    found, refusal = _download(slug, request, session, viewer)
    if refusal:
        return refusal
    report, stem = found
    reader = reader_of(request)
    return write(report_table(report, reader=reader), reader, stem)


@router.get("/partnerships/{slug}/steering.xlsx", name="steering_xlsx")
def steering_xlsx(slug: str, request: Request, session: SessionDep, viewer: ViewerDep):
    return _table(slug, request, session, viewer, xlsx_response)


@router.get("/partnerships/{slug}/steering.csv", name="steering_csv")
def steering_csv(slug: str, request: Request, session: SessionDep, viewer: ViewerDep):
    return _table(slug, request, session, viewer, csv_response)


# The executive summary (managers) ---------------------------------------------------------------


def _fingerprint(summary: PeriodSummary | None) -> str:
    """What the form was opened on: a later save by someone else changes it."""
    if summary is None:
        return ""
    return hashlib.sha256(f"{summary.summary_en}\0{summary.summary_es}".encode()).hexdigest()[:32]


def _summary_form(request, partnership, period, summary, values=None, errors=None, conflict=None, status=200):
    language = request_language(request)
    context = document.helpers(language) | {
        "partnership": partnership,
        "period": period,
        "name": document.period_name(period, language),
        "values": values
        if values is not None
        else {
            "summary_en": summary.summary_en if summary else "",
            "summary_es": summary.summary_es if summary else "",
        },  # fmt: skip
        "errors": errors or {},
        "seen": _fingerprint(summary),
        "conflict": conflict,
        "conflict_message": field_messages({"summary": ("summary_changed", {})}, language)["summary"],
        "nav": "report",
    }
    return render(request, "steering/summary.html", context, status)


@router.get("/partnerships/{slug}/steering/summary", name="steering_summary")
def summary_page(slug: str, request: Request, session: SessionDep, viewer: ManagerDep):
    partnership = partnership_service.get_partnership_or_404(session, slug, viewer)
    period, errors = _period(request)
    if errors:
        return _page(request, session, partnership, period, errors)
    summary = steering_service.get_summary(session, partnership=partnership, period=period)
    return _summary_form(request, partnership, period, summary)


@router.post("/partnerships/{slug}/steering/summary", name="steering_summary_save")
def summary_save(slug: str, request: Request, session: SessionDep, form: FormDep, viewer: ManagerDep):
    partnership = partnership_service.get_partnership_or_404(session, slug, viewer)
    period, errors = _period(request)
    if errors:
        return _page(request, session, partnership, period, errors)
    values = form_values(form, SummaryIn)
    current = steering_service.get_summary(session, partnership=partnership, period=period)
    if form.get("seen", "") != _fingerprint(current):
        # Someone saved since this form was opened: theirs is shown, yours kept, and a second save is deliberate.
        conflict = {"summary_en": current.summary_en, "summary_es": current.summary_es} if current else {}
        return _summary_form(request, partnership, period, current, values, conflict=conflict, status=409)
    try:
        data = validate_all(SummaryIn, values, lambda parsed: {})
    except FieldErrors as exc:
        shown = field_messages(collect(exc), request_language(request))
        return _summary_form(request, partnership, period, current, values, shown, status=422)
    try:
        steering_service.save_summary(
            session, partnership=partnership, period=period, summary_en=data.summary_en, summary_es=data.summary_es
        )
        session.commit()
    except IntegrityError:
        # Two first saves of one period at once: the database kept the other one.
        session.rollback()
        current = steering_service.get_summary(session, partnership=partnership, period=period)
        conflict = {"summary_en": current.summary_en, "summary_es": current.summary_es} if current else {}
        return _summary_form(request, partnership, period, current, values, conflict=conflict, status=409)
    url = f"/partnerships/{partnership.slug}/steering?start={period.start}&end={period.end}&saved=1"
    return RedirectResponse(url, status_code=303)

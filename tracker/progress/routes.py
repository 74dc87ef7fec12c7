"""Pages: the printable period report, and its rows as CSV."""

import csv
import io

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response
from pydantic import TypeAdapter, ValidationError

from tracker.auth import ViewerDep
from tracker.db import SessionDep
from tracker.indicators.rules import Period
from tracker.participants.rules import neutralize
from tracker.partnerships import service as partnership_service
from tracker.progress.report import build, last_full_quarter
from tracker.templating import gettext_of, render, today_for
from tracker.validation import MESSAGES, N_, Day, message, messages

router = APIRouter(include_in_schema=False)
DAY = TypeAdapter(Day)
MESSAGES.update({"report_period": N_("Enter a start and an end date, the start first, at most three years apart.")})


def _period(request: Request) -> tuple[Period, dict]:
    """The period asked for, or the last full quarter, and a message for each date that could not be used."""
    gettext = gettext_of(request)
    days, errors = {}, {}
    for key in ("from", "to"):
        try:
            days[key] = DAY.validate_python(request.query_params.get(key, ""))
        except ValidationError as exc:
            errors[key] = next(iter(messages(exc, gettext).values()))
    if not errors and days["from"] <= days["to"] and (days["to"] - days["from"]).days <= 3 * 366:
        return Period(days["from"], days["to"]), {}
    if "from" not in request.query_params and "to" not in request.query_params:
        return last_full_quarter(today_for(request)), {}
    return last_full_quarter(today_for(request)), errors or {"to": message("report_period", {}, gettext)}


@router.get("/partnerships/{slug}/report", name="period_report")
def period_report(slug: str, request: Request, session: SessionDep, viewer: ViewerDep):
    partnership = partnership_service.get_partnership_or_404(session, slug, viewer)
    period, errors = _period(request)
    context = {
        "partnership": partnership,
        "report": build(session, partnership=partnership, period=period),
        "refused": bool(errors),
        "errors": errors,
        "nav": "report",
    }
    return render(request, "progress/report.html", context, 422 if errors else 200)


@router.get("/partnerships/{slug}/report.csv", name="period_report_csv")
def period_report_csv(slug: str, request: Request, session: SessionDep, viewer: ViewerDep):
    partnership = partnership_service.get_partnership_or_404(session, slug, viewer)
    period, errors = _period(request)
    if errors:
        # A file of another period than the one asked for would mislead: say what is wrong instead.
        return PlainTextResponse("\n".join(f"{key}: {text}" for key, text in errors.items()), status_code=422)
    report = build(session, partnership=partnership, period=period)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(("section", "id", "title", "date", "status", "detail"))
    rows = [("held", a.id, a.title_en, a.starts_at.date(), a.status, a.outcomes) for a in report.held]
    rows += [("completed", d.id, d.title_en, d.completed_on, d.status, "") for d in report.completed]
    rows += [
        ("slipped", s.deliverable.id, s.deliverable.title_en, s.was_due, s.deliverable.status, s.now_due)
        for s in report.slipped
    ]
    rows += [("next_activity", a.id, a.title_en, a.starts_at.date(), a.status, "") for a in report.next_activities]
    rows += [("next_deadline", d.id, d.title_en, d.due_on, d.status, "") for d in report.next_deliverables]
    for row in rows:
        writer.writerow([neutralize(getattr(v, "value", v)) for v in row])
    name = f"report-{partnership.slug}-{period.start}-{period.end}.csv"
    return Response(
        "\ufeff" + buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )

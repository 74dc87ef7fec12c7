"""Pages: the printable period report, and its rows as CSV."""

import csv
import io
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response

from tracker.auth import ViewerDep
from tracker.db import SessionDep
from tracker.indicators.rules import Period
from tracker.participants.rules import neutralize
from tracker.partnerships import service as partnership_service
from tracker.progress.report import build, last_full_quarter
from tracker.templating import render, today_for

router = APIRouter(include_in_schema=False)


def _period(request: Request) -> tuple[Period, bool]:
    """The period asked for, or the last full quarter (and whether the request's dates were unusable)."""
    try:
        start = date.fromisoformat(request.query_params.get("from", ""))
        end = date.fromisoformat(request.query_params.get("to", ""))
        if start <= end and (end - start).days <= 3 * 366:
            return Period(start, end), False
    except ValueError:
        pass
    asked = "from" in request.query_params or "to" in request.query_params
    return last_full_quarter(today_for(request)), asked


@router.get("/partnerships/{slug}/report", name="period_report")
def period_report(slug: str, request: Request, session: SessionDep, viewer: ViewerDep):
    partnership = partnership_service.get_partnership_or_404(session, slug, viewer)
    period, refused = _period(request)
    context = {
        "partnership": partnership,
        "report": build(session, partnership=partnership, period=period),
        "refused": refused,
        "nav": "report",
    }
    return render(request, "progress/report.html", context, 422 if refused else 200)


@router.get("/partnerships/{slug}/report.csv", name="period_report_csv")
def period_report_csv(slug: str, request: Request, session: SessionDep, viewer: ViewerDep):
    partnership = partnership_service.get_partnership_or_404(session, slug, viewer)
    period, _ = _period(request)
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

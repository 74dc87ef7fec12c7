"""Pages: the MOU at a glance, each cooperation area, the public progress page, and the printable
period report with its rows as CSV and XLSX."""

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response
from pydantic import TypeAdapter, ValidationError
from sqlmodel import Session, select

from tracker import page_cache
from tracker.activities import service as activity_service
from tracker.activities.service import ActivityFilter
from tracker.auth import MaybeViewer, SignInRequired, Viewer, ViewerDep, ensure_visible
from tracker.db import SessionDep
from tracker.deliverables import service as deliverable_service
from tracker.deliverables.service import DeliverableFilter
from tracker.errors import NotFound
from tracker.exports import csv_response, reader_of, xlsx_response
from tracker.i18n import request_language
from tracker.indicators import service as indicator_service
from tracker.indicators.rules import Period
from tracker.models import Partnership, utcnow
from tracker.partnerships import service as partnership_service
from tracker.portfolio import routes as portfolio_routes
from tracker.portfolio import service as portfolio_service
from tracker.progress import service as progress_service
from tracker.progress.exports import report_table
from tracker.progress.report import build, last_full_quarter
from tracker.progress.status import Term, mou_sentence
from tracker.templating import gettext_of, render, render_html, today_for, viewer_zone
from tracker.validation import N_, Day, message, messages

router = APIRouter(include_in_schema=False)
DAY = TypeAdapter(Day)


def _overview(request: Request, session, partnership, viewer: Viewer | None, shared: bool = False):
    """The MOU at a glance, as (content HTML, what the shell needs); visitors see only the aggregates,
    of a published partnership or by its public address (`shared`)."""
    if viewer is None and not (partnership.published or shared):
        raise SignInRequired()
    ensure_visible(viewer, partnership.id)
    today = today_for(request)
    language = request_language(request)
    term = Term(partnership.starts_on, partnership.ends_on, today)
    areas = progress_service.area_counts(session, partnership=partnership, today=today, zone=_zone(request))
    signed_in = viewer is not None
    timeline = progress_service.term_timeline(
        session, partnership=partnership, today=today, titles=signed_in, language=language
    )
    summary = mou_sentence(progress_service.mou_figures(areas=areas, timeline=timeline, term=term), language)
    html = render_html(
        request,
        "progress/_overview.html",
        {
            "partnership": partnership,
            "term": term,
            "summary": summary,
            "areas": areas,
            "overdue_total": sum(a.deliverables_overdue for a in areas),
            "upcoming": activity_service.upcoming(session, partnership=partnership, now=utcnow()) if signed_in else [],
            "deadlines": deliverable_service.next_deadlines(session, partnership=partnership, today=today)
            if signed_in
            else [],
            "overdue": deliverable_service.overdue(session, partnership=partnership, today=today) if signed_in else [],
            "outcomes": activity_service.latest_outcomes(session, partnership=partnership) if signed_in else [],
            "today": today,
            "headline": indicator_service.headline(session, partnership, public=viewer is None),
            "timeline": timeline,
            "others": [
                p
                for p in partnership_service.list_partnerships(session)
                if p.id != partnership.id and (p.published or (viewer and viewer.can_see(p.id)))
            ],
        },
    )
    return html, {"partnership": partnership}


def _zone(request: Request) -> str:
    """The clock `today_for` reads today on."""
    return viewer_zone(request) or request.app.state.settings.default_timezone


def _home_partnership(request: Request, session, viewer: Viewer | None) -> Partnership:
    partnership = partnership_service.home_partnership(session, viewer, request.app.state.settings.default_partnership)
    if partnership is None:
        raise NotFound(N_("No MOU has been loaded yet. Run “tracker seed” to load one."))
    return partnership


@router.get("/", name="home")
async def home(request: Request, session: SessionDep, viewer: MaybeViewer):
    def content():
        # Someone who may see several partnerships starts from all of them side by side.
        if portfolio_service.count_visible(session, viewer) > 1:
            return portfolio_routes.content(request, session, viewer)
        return _overview(request, session, _home_partnership(request, session, viewer), viewer)

    return await page_cache.serve(request, viewer, content, "portfolio/home.html")


@router.get("/partnerships/{slug}", name="partnership")
async def partnership_page(slug: str, request: Request, session: SessionDep, viewer: MaybeViewer):
    def content():
        return _overview(request, session, partnership_service.get_partnership_or_404(session, slug), viewer)

    return await page_cache.serve(request, viewer, content, "progress/overview.html")


@router.get("/partnerships/{slug}/areas/{area_slug}", name="area")
async def area_page(slug: str, area_slug: str, request: Request, session: SessionDep, viewer: ViewerDep):
    def content():
        return _area(request, session, slug, area_slug)

    return await page_cache.serve(request, viewer, content, "progress/area.html")


def _area(request: Request, session, slug: str, area_slug: str):
    viewer = request.state.viewer
    partnership = partnership_service.get_partnership_or_404(session, slug, viewer)
    area = partnership_service.get_area_or_404(session, slug=area_slug, partnership=partnership)
    today = today_for(request)
    counts = progress_service.counts_of_areas(session, areas=[area], today=today, zone=_zone(request))[area.id]
    activities, activity_total = activity_service.list_activities(
        session,
        partnership_ids=[partnership.id],
        filters=ActivityFilter(area_id=area.id),
        zone=viewer_zone(request) or request.app.state.settings.default_timezone,
        limit=100,
        offset=0,
    )
    deliverables, deliverable_total = deliverable_service.list_deliverables(
        session,
        partnership_ids=[partnership.id],
        filters=DeliverableFilter(area_id=area.id),
        today=today,
        limit=100,
        offset=0,
    )
    html = render_html(
        request,
        "progress/_area.html",
        {
            "partnership": partnership,
            "area": area,
            "counts": counts,
            "activities": activities,
            "activity_total": activity_total,
            "deliverables": deliverables,
            "deliverable_total": deliverable_total,
            "today": today,
            "is_overdue": deliverable_service.is_overdue,
            "headline": indicator_service.headline(session, partnership, area, public=False),
            "timeline": progress_service.term_timeline(
                session,
                partnership=partnership,
                today=today,
                titles=True,
                language=request_language(request),
                area_id=area.id,
            ),
            "cumulative": progress_service.cumulative_deliverables(session, partnership=partnership, area=area),
            "by_status": progress_service.deliverables_by_status(session, area=area),
        },
    )
    return html, {"partnership": partnership, "area": area}


async def public_progress(request: Request):
    """The progress page an admin shares: aggregates only, the same for whoever opens it.

    A plain route, outside the dependencies every other route passes (who is signed in, the CSRF
    check): a cached answer costs no database round trip at all.
    """
    token = request.path_params["token"]
    request.state.viewer = None  # signed in or not, everyone sees the visitors' page

    def content():
        with Session(request.app.state.engine, expire_on_commit=False) as session:
            found = session.exec(select(Partnership).where(Partnership.public_token == token)).first()
            if found is None or not token:
                raise NotFound()
            return _overview(request, session, found, None, shared=True)

    return await page_cache.serve(request, None, content, "progress/overview.html")


router.add_route("/public/{token}", public_progress, methods=["GET"], name="public_progress")


# The period report -----------------------------------------------------------------------------


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
    today = today_for(request)
    context = {
        "partnership": partnership,
        "report": build(session, partnership=partnership, period=period),
        "today": today,  # the areas' statuses are today's, whatever the period
        "areas": progress_service.area_counts(session, partnership=partnership, today=today, zone=_zone(request)),
        "refused": bool(errors),
        "errors": errors,
        "nav": "report",
    }
    return render(request, "progress/report.html", context, 422 if errors else 200)


def _report_download(slug: str, request: Request, session, viewer, write) -> Response:
    partnership = partnership_service.get_partnership_or_404(session, slug, viewer)
    period, errors = _period(request)
    if errors:
        # A file of another period than the one asked for would mislead: say what is wrong instead.
        return PlainTextResponse("\n".join(f"{key}: {text}" for key, text in errors.items()), status_code=422)
    reader = reader_of(request)
    table = report_table(build(session, partnership=partnership, period=period), reader=reader)
    return write(table, reader, f"report-{partnership.slug}-{period.start}-{period.end}")


@router.get("/partnerships/{slug}/report.csv", name="period_report_csv")
def period_report_csv(slug: str, request: Request, session: SessionDep, viewer: ViewerDep):
    return _report_download(slug, request, session, viewer, csv_response)


@router.get("/partnerships/{slug}/report.xlsx", name="period_report_xlsx")
def period_report_xlsx(slug: str, request: Request, session: SessionDep, viewer: ViewerDep):
    return _report_download(slug, request, session, viewer, xlsx_response)

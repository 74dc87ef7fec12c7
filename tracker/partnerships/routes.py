"""Pages: the MOU at a glance and each cooperation area."""

from fastapi import APIRouter, Request
from sqlmodel import Session, func, select

from tracker import page_cache
from tracker.activities import service as activity_service
from tracker.activities.service import ActivityFilter
from tracker.auth import MaybeViewer, SignInRequired, Viewer, ViewerDep, ensure_visible
from tracker.db import SessionDep
from tracker.deliverables import service as deliverable_service
from tracker.deliverables.service import DeliverableFilter
from tracker.errors import NotFound
from tracker.indicators import service as indicator_service
from tracker.models import (
    Activity,
    ActivityArea,
    ActivityStatus,
    Deliverable,
    DeliverableStatus,
    Partnership,
    utcnow,
)
from tracker.partnerships import service as partnership_service
from tracker.progress.charts import cumulative, timeline
from tracker.templating import render_html, today_for, viewer_zone
from tracker.times import in_zone
from tracker.validation import N_

router = APIRouter(include_in_schema=False)


def _timeline(session, partnership, today, signed_in: bool, area_id: int | None = None):
    """The term, with held and planned activities on it (titles only for signed-in viewers)."""
    query = select(Activity.starts_at, Activity.timezone, Activity.status, Activity.title_en).where(
        Activity.partnership_id == partnership.id, Activity.status != ActivityStatus.cancelled
    )
    if area_id is not None:
        query = query.where(Activity.id.in_(select(ActivityArea.activity_id).where(ActivityArea.area_id == area_id)))
    rows = session.exec(query).all()
    marks = [
        (
            in_zone(starts_at, zone).date(),
            status == ActivityStatus.held,
            title if signed_in else "",
        )
        for starts_at, zone, status, title in rows
    ]
    return timeline(partnership.starts_on, partnership.ends_on, today, marks)


def _cumulative(session, partnership, area):
    rows = session.exec(
        select(Deliverable.due_on, Deliverable.status, Deliverable.completed_on).where(
            Deliverable.area_id == area.id, Deliverable.status != DeliverableStatus.cancelled
        )
    ).all()
    due = [due_on for due_on, _, _ in rows]
    accepted = [completed for _, status, completed in rows if status == DeliverableStatus.accepted and completed]
    return cumulative(partnership.starts_on, partnership.ends_on, due, accepted)


def _deliverables_by_status(session, area) -> list[tuple[DeliverableStatus, int]]:
    counts = dict(
        session.exec(
            select(Deliverable.status, func.count()).where(Deliverable.area_id == area.id).group_by(Deliverable.status)
        ).all()
    )
    return [(status, counts.get(status, 0)) for status in DeliverableStatus]


def _overview(request: Request, session, partnership, viewer: Viewer | None, shared: bool = False):
    """The MOU at a glance, as (content HTML, what the shell needs); visitors see only the aggregates,
    of a published partnership or by its public address (`shared`)."""
    if viewer is None and not (partnership.published or shared):
        raise SignInRequired()
    ensure_visible(viewer, partnership.id)
    today = today_for(request)
    areas = partnership_service.area_counts(session, partnership, today)
    signed_in = viewer is not None
    html = render_html(
        request,
        "partnerships/_overview.html",
        {
            "partnership": partnership,
            "term": partnership_service.Term(partnership.starts_on, partnership.ends_on, today),
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
            "timeline": _timeline(session, partnership, today, signed_in),
            "others": [
                p
                for p in partnership_service.list_partnerships(session)
                if p.id != partnership.id and (p.published or (viewer and viewer.can_see(p.id)))
            ],
        },
    )
    return html, {"partnership": partnership}


def _home_partnership(request: Request, session, viewer: Viewer | None) -> Partnership:
    preferred = request.app.state.settings.default_partnership
    if viewer is not None and viewer.partnership_id and not viewer.is_manager:
        partnership = session.get(Partnership, viewer.partnership_id)
    else:
        partnership = partnership_service.default_partnership(session, preferred)
    if partnership is None:
        raise NotFound(N_("No MOU has been loaded yet. Run “tracker seed” to load one."))
    return partnership


@router.get("/", name="home")
async def home(request: Request, session: SessionDep, viewer: MaybeViewer):
    def content():
        return _overview(request, session, _home_partnership(request, session, viewer), viewer)

    return await page_cache.serve(request, viewer, content, "partnerships/overview.html")


@router.get("/partnerships/{slug}", name="partnership")
async def partnership_page(slug: str, request: Request, session: SessionDep, viewer: MaybeViewer):
    def content():
        return _overview(request, session, partnership_service.get_partnership_or_404(session, slug), viewer)

    return await page_cache.serve(request, viewer, content, "partnerships/overview.html")


@router.get("/partnerships/{slug}/areas/{area_slug}", name="area")
async def area_page(slug: str, area_slug: str, request: Request, session: SessionDep, viewer: ViewerDep):
    def content():
        return _area(request, session, slug, area_slug)

    return await page_cache.serve(request, viewer, content, "partnerships/area.html")


def _area(request: Request, session, slug: str, area_slug: str):
    viewer = request.state.viewer
    partnership = partnership_service.get_partnership_or_404(session, slug, viewer)
    area = partnership_service.get_area_or_404(session, partnership, area_slug)
    today = today_for(request)
    counts = next(c for c in partnership_service.area_counts(session, partnership, today) if c.area.id == area.id)
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
        "partnerships/_area.html",
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
            "timeline": _timeline(session, partnership, today, True, area_id=area.id),
            "cumulative": _cumulative(session, partnership, area),
            "by_status": _deliverables_by_status(session, area),
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

    return await page_cache.serve(request, None, content, "partnerships/overview.html")


router.add_route("/public/{token}", public_progress, methods=["GET"], name="public_progress")

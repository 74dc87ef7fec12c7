"""Every partnership a viewer may see, side by side: its title, parties, one-sentence status, where
today stands in its term and its next deadlines. Counted in a fixed number of grouped queries, however
many partnerships there are."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, select

from tracker.auth import Viewer
from tracker.models import (
    OPEN_ACTIVITY_STATUSES,
    OPEN_DELIVERABLE_STATUSES,
    Activity,
    CooperationArea,
    Deliverable,
    Organization,
    Partnership,
    PartnershipParty,
)
from tracker.progress import service as progress_service
from tracker.progress.service import PartnershipFigures
from tracker.progress.status import Term
from tracker.times import in_zone

NEXT = 3  # deadlines shown per partnership

_COLUMNS = (
    Partnership.id,
    Partnership.slug,
    Partnership.title_en,
    Partnership.title_es,
    Partnership.signed_on,
    Partnership.signed_on_confirmed,
    Partnership.starts_on,
    Partnership.ends_on,
)


@dataclass(frozen=True)
class Upcoming:
    """An open deliverable or activity coming next: what it is, its title, its day (an activity's on its own clock)."""

    kind: str  # "deliverable" or "activity"
    id: int
    title_en: str | None
    title_es: str | None
    day: date
    status: str


@dataclass(frozen=True)
class Card:
    """One partnership in the portfolio."""

    partnership: object  # a row of _COLUMNS
    parties: list  # rows with acronym, name_en, name_es
    term: Term
    figures: PartnershipFigures
    upcoming: list[Upcoming]


def visible_query(viewer: Viewer | None):
    """The partnerships a viewer may see: a visitor the published ones, a member theirs, an admin all."""
    query = select(*_COLUMNS)
    if viewer is None:
        return query.where(Partnership.published.is_(True))
    if viewer.partnership_ids is not None:
        return query.where(Partnership.id.in_(sorted(viewer.partnership_ids)))
    return query


def visible(session: Session, viewer: Viewer | None) -> list:
    """The partnerships a viewer may see (rows of their columns), latest signed first."""
    order = (Partnership.signed_on.desc(), Partnership.id)
    return list(session.exec(visible_query(viewer).order_by(*order)).all())


def count_visible(session: Session, viewer: Viewer | None) -> int:
    """How many partnerships a viewer may see."""
    if viewer is not None and viewer.partnership_ids is not None:
        return len(viewer.partnership_ids)
    return session.exec(select(func.count()).select_from(visible_query(viewer).subquery())).one()


def _parties(session: Session, ids: list[int]) -> dict[int, list]:
    found: dict[int, list] = {pid: [] for pid in ids}
    rows = session.exec(
        select(PartnershipParty.partnership_id, Organization.acronym, Organization.name_en, Organization.name_es)
        .join(Organization, Organization.id == PartnershipParty.organization_id)
        .where(PartnershipParty.partnership_id.in_(ids))
        .order_by(Organization.acronym)
    ).all()
    for row in rows:
        found[row.partnership_id].append(row)
    return found


def _next_items(session: Session, ids: Collection[int], *, today: date, now: datetime) -> dict[int, list[Upcoming]]:
    """The first NEXT open deliverables (due from today) and activities (not over yet) of each partnership,
    merged by day: one windowed query for each kind."""
    deliverable_rank = (
        func.row_number()
        .over(partition_by=CooperationArea.partnership_id, order_by=(Deliverable.due_on, Deliverable.id))
        .label("rank")
    )
    deliverables = (
        select(
            CooperationArea.partnership_id.label("partnership_id"),
            Deliverable.id,
            Deliverable.title_en,
            Deliverable.title_es,
            Deliverable.due_on,
            Deliverable.status,
            deliverable_rank,
        )
        .join(CooperationArea, CooperationArea.id == Deliverable.area_id)
        .where(
            CooperationArea.partnership_id.in_(ids),
            Deliverable.status.in_(OPEN_DELIVERABLE_STATUSES),
            Deliverable.due_on >= today,
        )
        .subquery()
    )
    activity_rank = (
        func.row_number()
        .over(partition_by=Activity.partnership_id, order_by=(Activity.starts_at, Activity.id))
        .label("rank")
    )
    activities = (
        select(
            Activity.partnership_id,
            Activity.id,
            Activity.title_en,
            Activity.title_es,
            Activity.starts_at,
            Activity.timezone,
            Activity.status,
            activity_rank,
        )
        .where(
            Activity.partnership_id.in_(ids),
            Activity.status.in_(OPEN_ACTIVITY_STATUSES),
            Activity.ends_at >= now,
        )
        .subquery()
    )
    found: dict[int, list[Upcoming]] = {pid: [] for pid in ids}
    for row in session.exec(select(*deliverables.c).where(deliverables.c.rank <= NEXT)).all():
        found[row.partnership_id].append(
            Upcoming("deliverable", row.id, row.title_en, row.title_es, row.due_on, str(row.status))
        )
    for row in session.exec(select(*activities.c).where(activities.c.rank <= NEXT)).all():
        found[row.partnership_id].append(
            Upcoming(
                "activity",
                row.id,
                row.title_en,
                row.title_es,
                in_zone(row.starts_at, row.timezone).date(),
                str(row.status),
            )
        )
    return {pid: sorted(items, key=lambda i: (i.day, i.kind, i.id))[:NEXT] for pid, items in found.items()}


def cards(
    session: Session, *, viewer: Viewer | None, today: date, now: datetime, zone: str, first: str | None = None
) -> list[Card]:
    """The portfolio of what `viewer` may see (the `first` slug leading), with names of deliverables and
    activities only for signed-in viewers."""
    partnerships = visible(session, viewer)
    if first:
        partnerships.sort(key=lambda p: p.slug != first)
    ids = [p.id for p in partnerships]
    if not ids:
        return []
    parties = _parties(session, ids)
    figures = progress_service.partnership_figures(session, partnerships=partnerships, today=today, zone=zone)
    upcoming = _next_items(session, ids, today=today, now=now) if viewer is not None else {}
    return [
        Card(p, parties[p.id], Term(p.starts_on, p.ends_on, today), figures[p.id], upcoming.get(p.id, []))
        for p in partnerships
    ]


def several_visible(request) -> bool:
    """Whether the signed-in viewer of a request may see more than one partnership (the header then
    links to the portfolio): a member's are known without asking; an admin's take one count."""
    viewer = getattr(request.state, "viewer", None)
    if viewer is None:
        return False
    viewer = viewer.reading()
    if viewer.partnership_ids is not None:
        return len(viewer.partnership_ids) > 1
    with Session(request.app.state.engine) as session:
        return count_visible(session, viewer) > 1

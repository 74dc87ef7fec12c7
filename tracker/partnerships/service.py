"""Partnerships and their areas: lookups, the MOU term, and the overview counts."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, func
from sqlmodel import Session, select

from tracker.auth import ensure_visible
from tracker.errors import NotFound
from tracker.models import (
    Activity,
    ActivityArea,
    ActivityStatus,
    CooperationArea,
    Deliverable,
    DeliverableStatus,
    Organization,
    Partnership,
)
from tracker.progress.status import SOON_DAYS, AreaFigures, Status, area_status
from tracker.scoping import organizations_in
from tracker.validation import N_, FieldErrors

OPEN_DELIVERABLE = (DeliverableStatus.not_started, DeliverableStatus.in_progress, DeliverableStatus.submitted)
UPCOMING_ACTIVITY = (ActivityStatus.planned, ActivityStatus.confirmed, ActivityStatus.postponed)


def get_partnership_or_404(session: Session, slug: str, viewer=None) -> Partnership:
    """The partnership with this slug, if `viewer` may see it."""
    partnership = session.exec(select(Partnership).where(Partnership.slug == slug)).first()
    if partnership is None:
        raise NotFound(N_("There is no partnership at this address."))
    ensure_visible(viewer, partnership.id)
    return partnership


def default_partnership(session: Session, preferred_slug: str | None = None) -> Partnership | None:
    """The partnership the home page shows: the configured one, else the latest signed."""
    if preferred_slug:
        found = session.exec(select(Partnership).where(Partnership.slug == preferred_slug)).first()
        if found:
            return found
    return session.exec(select(Partnership).order_by(Partnership.signed_on.desc(), Partnership.id)).first()


def list_partnerships(session: Session) -> list[Partnership]:
    """Every partnership, latest signed first."""
    return list(session.exec(select(Partnership).order_by(Partnership.signed_on.desc(), Partnership.id)))


def get_area_or_404(session: Session, partnership: Partnership, slug: str) -> CooperationArea:
    """One area of a partnership, by its slug."""
    area = session.exec(
        select(CooperationArea).where(CooperationArea.partnership_id == partnership.id, CooperationArea.slug == slug)
    ).first()
    if area is None:
        raise NotFound(N_("This cooperation area does not exist."))
    return area


def list_organizations(session: Session, scope: frozenset[int] | None = None) -> list[Organization]:
    """The organizations of the partnerships in `scope` (None: every one), by acronym."""
    query = select(Organization)
    if scope is not None:
        query = query.where(organizations_in(scope))
    return list(session.exec(query.order_by(Organization.acronym)))


def check_organizations(session: Session, ids: list[int], field: str, errors: dict) -> list[Organization]:
    """The organizations with these ids, noting an error when one is unknown."""
    unique = list(dict.fromkeys(ids))
    found = list(session.exec(select(Organization).where(Organization.id.in_(unique)))) if unique else []
    if len(found) != len(unique):
        errors[field] = ("unknown_organization", {})
    return found


def raise_if(errors: dict) -> None:
    """Raise FieldErrors when any rule failed."""
    if errors:
        raise FieldErrors(errors)


@dataclass(frozen=True)
class Term:
    """Where today stands in a partnership's term."""

    starts_on: date
    ends_on: date
    today: date

    @property
    def total_days(self) -> int:
        return max((self.ends_on - self.starts_on).days, 1)

    @property
    def days_left(self) -> int:
        return max((self.ends_on - self.today).days, 0)

    @property
    def elapsed_fraction(self) -> float:
        elapsed = (self.today - self.starts_on).days
        return min(max(elapsed / self.total_days, 0.0), 1.0)

    @property
    def has_started(self) -> bool:
        return self.today >= self.starts_on

    @property
    def has_ended(self) -> bool:
        return self.today > self.ends_on


@dataclass(frozen=True)
class AreaCounts:
    """The overview's figures for one cooperation area."""

    area: CooperationArea
    activities_held: int
    activities_planned: int
    deliverables_accepted: int
    deliverables_total: int
    deliverables_overdue: int
    status: Status


def area_counts(session: Session, partnership: Partnership, today: date) -> list[AreaCounts]:
    """Held/planned activities and accepted/total/overdue deliverables per area, in two queries."""
    areas = list(
        session.exec(
            select(CooperationArea)
            .where(CooperationArea.partnership_id == partnership.id)
            .order_by(CooperationArea.number)
        )
    )
    activity_rows = session.exec(
        select(
            ActivityArea.area_id,
            func.sum(case((Activity.status == ActivityStatus.held, 1), else_=0)),
            func.sum(case((Activity.status.in_(UPCOMING_ACTIVITY), 1), else_=0)),
        )
        .join(Activity, Activity.id == ActivityArea.activity_id)
        .where(Activity.partnership_id == partnership.id)
        .group_by(ActivityArea.area_id)
    ).all()
    deliverable_rows = session.exec(
        select(
            Deliverable.area_id,
            func.sum(case((Deliverable.status == DeliverableStatus.accepted, 1), else_=0)),
            func.sum(case((Deliverable.status != DeliverableStatus.cancelled, 1), else_=0)),
            func.sum(case((Deliverable.status.in_(OPEN_DELIVERABLE) & (Deliverable.due_on < today), 1), else_=0)),
            func.sum(
                case(((Deliverable.status != DeliverableStatus.cancelled) & (Deliverable.due_on <= today), 1), else_=0)
            ),
            func.sum(
                case(((Deliverable.status == DeliverableStatus.accepted) & (Deliverable.due_on <= today), 1), else_=0)
            ),
            func.sum(
                case(
                    (
                        (Deliverable.status == DeliverableStatus.not_started)
                        & (Deliverable.due_on > today)
                        & (Deliverable.due_on <= today + timedelta(days=SOON_DAYS)),
                        1,
                    ),
                    else_=0,
                )
            ),
        )
        .join(CooperationArea, CooperationArea.id == Deliverable.area_id)
        .where(CooperationArea.partnership_id == partnership.id)
        .group_by(Deliverable.area_id)
    ).all()
    activities = {row[0]: row[1:] for row in activity_rows}
    deliverables = {row[0]: row[1:] for row in deliverable_rows}
    counts = []
    for area in areas:
        held, planned = (int(n or 0) for n in activities.get(area.id, (0, 0)))
        accepted, total, overdue, due, accepted_of_due, soon = (
            int(n or 0) for n in deliverables.get(area.id, (0,) * 6)
        )
        status = area_status(AreaFigures(due, accepted_of_due, soon))
        counts.append(AreaCounts(area, held, planned, accepted, total, overdue, status))
    return counts


def save_partnership(session: Session, *, partnership: Partnership, data) -> Partnership:
    """Create or update a partnership from PartnershipIn, checking its dates, slug and parties."""
    errors: dict = {}
    if data.ends_on <= data.starts_on:
        errors["ends_on"] = ("end_before_start", {})
    if data.signed_on > data.starts_on:
        errors["signed_on"] = ("signed_after_start", {})
    clash = session.exec(select(Partnership.id).where(Partnership.slug == data.slug)).first()
    if clash is not None and clash != partnership.id:
        errors["slug"] = ("taken", {})
    parties = check_organizations(session, data.party_ids, "party_ids", errors)
    raise_if(errors)
    for name, value in data.model_dump(exclude={"party_ids"}).items():
        setattr(partnership, name, value)
    partnership.parties = parties
    session.add(partnership)
    session.flush()
    return partnership


def save_area(session: Session, *, area: CooperationArea, data) -> CooperationArea:
    """Create or update a cooperation area from AreaIn; number and slug are unique per partnership."""
    errors: dict = {}
    if session.get(Partnership, data.partnership_id) is None:
        errors["partnership_id"] = ("unknown_partnership", {})
    siblings = CooperationArea.partnership_id == data.partnership_id
    for field in ("number", "slug"):
        column = getattr(CooperationArea, field)
        clash = session.exec(select(CooperationArea.id).where(siblings, column == getattr(data, field))).first()
        if clash is not None and clash != area.id:
            errors[field] = ("taken", {})
    raise_if(errors)
    for name, value in data.model_dump().items():
        setattr(area, name, value)
    session.add(area)
    session.flush()
    return area

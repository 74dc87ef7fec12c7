"""The figures of the overview and area pages, aggregated in SQL: counts per area, the activities on
the term's line, the cumulative deliverables, deliverables by status."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, func
from sqlmodel import Session, select

from tracker.i18n import LANGUAGES, localized
from tracker.models import (
    OPEN_ACTIVITY_STATUSES,
    OPEN_DELIVERABLE_STATUSES,
    Activity,
    ActivityArea,
    ActivityStatus,
    CooperationArea,
    Deliverable,
    DeliverableStatus,
    Partnership,
)
from tracker.progress.charts import Cumulative, Timeline, cumulative, timeline
from tracker.progress.status import SOON_DAYS, AreaFigures, Status, area_status
from tracker.times import in_zone


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


def _count(condition):
    return func.sum(case((condition, 1), else_=0))


def area_counts(session: Session, *, partnership: Partnership, today: date) -> list[AreaCounts]:
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
            _count(Activity.status == ActivityStatus.held),
            _count(Activity.status.in_(OPEN_ACTIVITY_STATUSES)),
        )
        .join(Activity, Activity.id == ActivityArea.activity_id)
        .where(Activity.partnership_id == partnership.id)
        .group_by(ActivityArea.area_id)
    ).all()
    accepted = Deliverable.status == DeliverableStatus.accepted
    counted = Deliverable.status != DeliverableStatus.cancelled
    deliverable_rows = session.exec(
        select(
            Deliverable.area_id,
            _count(accepted),
            _count(counted),
            _count(Deliverable.status.in_(OPEN_DELIVERABLE_STATUSES) & (Deliverable.due_on < today)),
            _count(counted & (Deliverable.due_on <= today)),
            _count(accepted & (Deliverable.due_on <= today)),
            _count(
                (Deliverable.status == DeliverableStatus.not_started)
                & (Deliverable.due_on > today)
                & (Deliverable.due_on <= today + timedelta(days=SOON_DAYS))
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
        accepted_n, total, overdue, due, accepted_of_due, soon = (
            int(n or 0) for n in deliverables.get(area.id, (0,) * 6)
        )
        status = area_status(AreaFigures(due, accepted_of_due, soon))
        counts.append(AreaCounts(area, held, planned, accepted_n, total, overdue, status))
    return counts


def term_timeline(
    session: Session,
    *,
    partnership: Partnership,
    today: date,
    titles: bool,
    language: str,
    area_id: int | None = None,
) -> Timeline:
    """The term, with held and planned activities on it (of one area, or all); `titles` for signed-in
    viewers, in their `language` when written in it."""
    title_columns = [getattr(Activity, f"title_{code}") for code in LANGUAGES]
    query = select(Activity.starts_at, Activity.timezone, Activity.status, *title_columns).where(
        Activity.partnership_id == partnership.id, Activity.status != ActivityStatus.cancelled
    )
    if area_id is not None:
        query = query.where(Activity.id.in_(select(ActivityArea.activity_id).where(ActivityArea.area_id == area_id)))
    marks = [
        (
            in_zone(row.starts_at, row.timezone).date(),
            row.status == ActivityStatus.held,
            localized(row, "title", language) if titles else "",
        )
        for row in session.exec(query).all()
    ]
    return timeline(partnership.starts_on, partnership.ends_on, today, marks)


def cumulative_deliverables(session: Session, *, partnership: Partnership, area: CooperationArea) -> Cumulative:
    """An area's deliverables due by each day of the term, and those accepted (cancelled ones left out)."""
    rows = session.exec(
        select(Deliverable.due_on, Deliverable.status, Deliverable.completed_on).where(
            Deliverable.area_id == area.id, Deliverable.status != DeliverableStatus.cancelled
        )
    ).all()
    due = [due_on for due_on, _, _ in rows]
    accepted = [completed for _, status, completed in rows if status == DeliverableStatus.accepted and completed]
    return cumulative(partnership.starts_on, partnership.ends_on, due, accepted)


def deliverables_by_status(session: Session, *, area: CooperationArea) -> list[tuple[DeliverableStatus, int]]:
    """How many of an area's deliverables are in each status, every status listed."""
    counts = dict(
        session.exec(
            select(Deliverable.status, func.count()).where(Deliverable.area_id == area.id).group_by(Deliverable.status)
        ).all()
    )
    return [(status, counts.get(status, 0)) for status in DeliverableStatus]

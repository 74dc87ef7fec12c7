"""The period report: what was held, completed and slipped in a period, and the next period's plan."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, select

from tracker.indicators.rules import Period
from tracker.indicators.service import Measures, measure
from tracker.models import (
    OPEN_ACTIVITY_STATUSES,
    OPEN_DELIVERABLE_STATUSES,
    Activity,
    ActivityStatus,
    AuditEvent,
    CooperationArea,
    Deliverable,
    DeliverableStatus,
    Partnership,
)
from tracker.times import utc_to_local


def last_full_quarter(today: date) -> Period:
    """The calendar quarter before the current one."""
    first_of_this = date(today.year, ((today.month - 1) // 3) * 3 + 1, 1)
    end = first_of_this - timedelta(days=1)
    return Period(date(end.year, ((end.month - 1) // 3) * 3 + 1, 1), end)


def next_period(period: Period) -> Period:
    """A period of the same length right after this one."""
    length = period.end - period.start
    return Period(period.end + timedelta(days=1), period.end + timedelta(days=1) + length)


@dataclass(frozen=True)
class Slipped:
    deliverable: Deliverable
    was_due: date
    now_due: date


@dataclass(frozen=True)
class Report:
    period: Period
    held: list[Activity]
    completed: list[Deliverable]
    slipped: list[Slipped]
    measures: Measures
    next_period: Period
    next_activities: list[Activity]
    next_deliverables: list[Deliverable]


def _bounds(period: Period) -> tuple[datetime, datetime]:
    # Instants are compared generously (a day either side) and then filtered on each activity's own clock.
    return (
        datetime.combine(period.start - timedelta(days=1), time(), tzinfo=UTC),
        datetime.combine(period.end + timedelta(days=2), time(), tzinfo=UTC),
    )


def _activities(session: Session, partnership: Partnership, period: Period, statuses) -> list[Activity]:
    start, end = _bounds(period)
    rows = session.exec(
        select(Activity)
        .where(
            Activity.partnership_id == partnership.id,
            Activity.status.in_(statuses),
            Activity.starts_at >= start,
            Activity.starts_at < end,
        )
        .order_by(Activity.starts_at)
    ).all()
    return [a for a in rows if utc_to_local(a.starts_at, a.timezone).date() in period]


def _deliverables(session: Session, partnership: Partnership):
    return (
        select(Deliverable)
        .join(CooperationArea, CooperationArea.id == Deliverable.area_id)
        .where(CooperationArea.partnership_id == partnership.id)
    )


def _logged_day(value) -> date | None:
    # The trail keeps what was saved, as text: an entry written by hand or an older version may not be a date.
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _slipped(session: Session, partnership: Partnership, period: Period) -> list[Slipped]:
    """Deliverables due in the period that were moved later (from the audit trail), or are still open."""
    found: dict[int, Slipped] = {}
    deliverables = {d.id: d for d in session.exec(_deliverables(session, partnership))}
    moves = session.exec(
        select(AuditEvent)
        .where(AuditEvent.entity == "deliverable", AuditEvent.action == "update")
        .order_by(AuditEvent.id)
    ).all()
    for event in moves:
        change = event.changes.get("due_on") if isinstance(event.changes, dict) else None
        record = deliverables.get(event.entity_id)
        if not isinstance(change, list | tuple) or len(change) != 2 or record is None:
            continue
        was, now = _logged_day(change[0]), _logged_day(change[1])
        if was and now and was in period and now > was and event.entity_id not in found:
            found[event.entity_id] = Slipped(record, was, record.due_on)
    for record in deliverables.values():
        if record.due_on in period and record.status in OPEN_DELIVERABLE_STATUSES and record.id not in found:
            found[record.id] = Slipped(record, record.due_on, record.due_on)
    return sorted(found.values(), key=lambda s: s.was_due)


def build(session: Session, *, partnership: Partnership, period: Period) -> Report:
    """Everything the report shows for `period`."""
    following = next_period(period)
    completed = session.exec(
        _deliverables(session, partnership)
        .where(
            Deliverable.status == DeliverableStatus.accepted,
            Deliverable.completed_on >= period.start,
            Deliverable.completed_on <= period.end,
        )
        .order_by(Deliverable.completed_on)
    ).all()
    upcoming_deliverables = session.exec(
        _deliverables(session, partnership)
        .where(
            Deliverable.status.in_(OPEN_DELIVERABLE_STATUSES),
            Deliverable.due_on >= following.start,
            Deliverable.due_on <= following.end,
        )
        .order_by(Deliverable.due_on)
    ).all()
    return Report(
        period=period,
        held=_activities(session, partnership, period, (ActivityStatus.held,)),
        completed=list(completed),
        slipped=_slipped(session, partnership, period),
        measures=measure(session, partnership=partnership, period=period),
        next_period=following,
        next_activities=_activities(session, partnership, following, OPEN_ACTIVITY_STATUSES),
        next_deliverables=list(upcoming_deliverables),
    )

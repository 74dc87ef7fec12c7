"""The period report: what was held, completed and slipped in a period, and the next period's plan."""

from dataclasses import dataclass, field
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
from tracker.surveys import indicators as survey_indicators
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
    """A deliverable due in the period and moved later (why, when someone said), or still open."""

    deliverable: Deliverable
    was_due: date
    now_due: date
    reason: str | None = None


@dataclass(frozen=True)
class Postponed:
    """An activity planned to start in the period that was moved later (`now`: its new day) or cancelled."""

    activity: Activity
    was: date
    now: date | None
    reason: str | None = None


@dataclass(frozen=True)
class Report:
    period: Period
    held: list[Activity]
    completed: list[Deliverable]
    slipped: list[Slipped]
    postponed: list[Postponed]
    measures: Measures
    next_period: Period
    next_activities: list[Activity]
    next_deliverables: list[Deliverable]
    surveys: survey_indicators.SurveyMeasures = field(default_factory=survey_indicators.SurveyMeasures)


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
            found[event.entity_id] = Slipped(record, was, record.due_on, event.reason)
    for record in deliverables.values():
        if record.due_on in period and record.status in OPEN_DELIVERABLE_STATUSES and record.id not in found:
            found[record.id] = Slipped(record, record.due_on, record.due_on)
    return sorted(found.values(), key=lambda s: s.was_due)


def _local_day(value, zone: str) -> date | None:
    # An instant as the trail keeps it (ISO text), as a day on the activity's own clock.
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return utc_to_local(moment if moment.tzinfo else moment.replace(tzinfo=UTC), zone).date()


def _postponed(session: Session, partnership: Partnership, period: Period) -> list[Postponed]:
    """Activities planned to start in the period and moved later, or cancelled, with the reasons given."""
    ids = select(Activity.id).where(Activity.partnership_id == partnership.id)
    events = session.exec(
        select(AuditEvent)
        .where(AuditEvent.entity == "activity", AuditEvent.action == "status", AuditEvent.entity_id.in_(ids))
        .order_by(AuditEvent.id)
    ).all()
    activities = {a.id: a for a in session.exec(select(Activity).where(Activity.id.in_({e.entity_id for e in events})))}
    found: dict[int, Postponed] = {}
    cancelled_because: dict[int, str | None] = {}
    for event in events:
        changes = event.changes if isinstance(event.changes, dict) else {}
        status, start = changes.get("status"), changes.get("starts_at")
        activity = activities.get(event.entity_id)
        if activity is None or not isinstance(status, list) or len(status) != 2:
            continue
        if status[1] == ActivityStatus.cancelled:
            cancelled_because[activity.id] = event.reason
        elif status[1] == ActivityStatus.postponed and isinstance(start, list) and len(start) == 2:
            was, now = _local_day(start[0], activity.timezone), _local_day(start[1], activity.timezone)
            if was and now and was in period and now > was and activity.id not in found:
                found[activity.id] = Postponed(activity, was, _day_of(activity), event.reason)
    for activity in _activities(session, partnership, period, (ActivityStatus.cancelled,)):
        if activity.id not in found:
            found[activity.id] = Postponed(activity, _day_of(activity), None, cancelled_because.get(activity.id))
    return sorted(found.values(), key=lambda p: (p.was, p.activity.id))


def _day_of(activity: Activity) -> date:
    return utc_to_local(activity.starts_at, activity.timezone).date()


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
        postponed=_postponed(session, partnership, period),
        measures=measure(session, partnership=partnership, period=period),
        next_period=following,
        next_activities=_activities(session, partnership, following, OPEN_ACTIVITY_STATUSES),
        next_deliverables=list(upcoming_deliverables),
        surveys=survey_indicators.measure(session, partnership=partnership, period=period),
    )

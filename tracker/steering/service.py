"""The steering-committee report of a period, built on the period report (`tracker.progress.report`):
per cooperation area, what was planned, what was done, what slipped and why, the next period's plan,
indicators against targets and the area's status today; and the period's executive summary."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, select

from tracker.indicators.rules import Period
from tracker.indicators.service import Measures
from tracker.models import (
    OPEN_ACTIVITY_STATUSES,
    Activity,
    ActivityArea,
    ActivityStatus,
    Amendment,
    CooperationArea,
    Deliverable,
    DeliverableStatus,
    Partnership,
    PeriodSummary,
    utcnow,
)
from tracker.progress import report as period_report
from tracker.steering import amendments as amendment_service
from tracker.steering import targets
from tracker.steering.status import area_statuses
from tracker.times import utc_to_local


@dataclass(frozen=True)
class Item:
    """One activity or deliverable as a line of the report.

    `day`: an activity's first day on its own clock, a deliverable's due date (its acceptance date among
    what was done). In what slipped, `what` says how: "moved" (to `new_day`), "cancelled" or "open"
    (its day has passed and it is still not held or accepted), with the reason someone gave.
    """

    record: Activity | Deliverable
    kind: str  # "activity" or "deliverable"
    day: date
    new_day: date | None = None
    what: str = ""
    reason: str | None = None


@dataclass(frozen=True)
class AreaSection:
    """What the report says of one cooperation area."""

    area: CooperationArea
    status: object  # the progress rule's Status: code, reason, context
    planned: list[Item] = field(default_factory=list)
    done: list[Item] = field(default_factory=list)
    slipped: list[Item] = field(default_factory=list)
    upcoming: list[Item] = field(default_factory=list)
    indicators: list[targets.IndicatorLine] = field(default_factory=list)

    @property
    def quiet(self) -> bool:
        """Nothing planned, done, slipped or coming up: the report says so in one line."""
        return not (self.planned or self.done or self.slipped or self.upcoming)

    @property
    def shows_indicators(self) -> bool:
        """Whether the indicators say anything: a target runs in the period, or something was done."""
        return bool(self.done) or any(line.target is not None for line in self.indicators)


@dataclass(frozen=True)
class SteeringReport:
    partnership: Partnership
    period: Period
    next_period: Period
    today: date
    summary: PeriodSummary | None
    amendments: list[Amendment]
    measures: Measures  # the whole partnership's indicators in the period
    areas: list[AreaSection]


def day_of(activity: Activity) -> date:
    """The day an activity starts on its own clock: what places it in a period."""
    return utc_to_local(activity.starts_at, activity.timezone).date()


def _starting_in(session: Session, partnership: Partnership, period: Period) -> list[Activity]:
    """The partnership's activities starting in the period on their own clock, cancelled ones left out."""
    # Instants are compared a day wider either way, then each activity is placed by its own clock.
    lower = datetime.combine(period.start - timedelta(days=1), time(), UTC)
    upper = datetime.combine(period.end + timedelta(days=2), time(), UTC)
    rows = session.exec(
        select(Activity)
        .where(
            Activity.partnership_id == partnership.id,
            Activity.status != ActivityStatus.cancelled,
            Activity.starts_at >= lower,
            Activity.starts_at < upper,
        )
        .order_by(Activity.starts_at, Activity.id)
    ).all()
    return [a for a in rows if day_of(a) in period]


def _due_in(session: Session, partnership: Partnership, period: Period) -> list[Deliverable]:
    """The partnership's deliverables due in the period, cancelled ones left out."""
    return list(
        session.exec(
            select(Deliverable)
            .join(CooperationArea, CooperationArea.id == Deliverable.area_id)
            .where(
                CooperationArea.partnership_id == partnership.id,
                Deliverable.status != DeliverableStatus.cancelled,
                Deliverable.due_on >= period.start,
                Deliverable.due_on <= period.end,
            )
            .order_by(Deliverable.due_on, Deliverable.id)
        )
    )


def _areas_of(session: Session, activity_ids: set[int]) -> dict[int, set[int]]:
    """Activity id -> the ids of its areas, in one query."""
    found: dict[int, set[int]] = {}
    if activity_ids:
        links = session.exec(select(ActivityArea).where(ActivityArea.activity_id.in_(activity_ids))).all()
        for link in links:
            found.setdefault(link.activity_id, set()).add(link.area_id)
    return found


def _slipped(report, planned: list[Activity], today: date) -> list[Item]:
    """Deliverables moved later or still open, activities moved later or cancelled (with the reasons
    given), and activities whose day has passed without being recorded as held."""
    items = [
        Item(s.deliverable, "deliverable", s.was_due, s.now_due if s.now_due != s.was_due else None,
             "moved" if s.now_due != s.was_due else "open", s.reason)
        for s in report.slipped
    ]  # fmt: skip
    items += [
        Item(p.activity, "activity", p.was, p.now, "moved" if p.now else "cancelled", p.reason)
        for p in report.postponed
    ]
    named = {i.record.id for i in items if i.kind == "activity"}
    items += [
        Item(a, "activity", day_of(a), what="open")
        for a in planned
        if a.status in OPEN_ACTIVITY_STATUSES and day_of(a) < today and a.id not in named
    ]
    return sorted(items, key=lambda i: (i.day, i.kind, i.record.id))


def build(session: Session, *, partnership: Partnership, period: Period, today: date, zone: str) -> SteeringReport:
    """Everything the steering-committee report shows for `period`, area by area; `today` on `zone`'s clock."""
    report = period_report.build(session, partnership=partnership, period=period)
    planned_activities = _starting_in(session, partnership, period)
    planned = [Item(a, "activity", day_of(a)) for a in planned_activities]
    planned += [Item(d, "deliverable", d.due_on) for d in _due_in(session, partnership, period)]
    done = [Item(a, "activity", day_of(a)) for a in report.held]
    done += [Item(d, "deliverable", d.completed_on) for d in report.completed]
    upcoming = [Item(a, "activity", day_of(a)) for a in report.next_activities]
    upcoming += [Item(d, "deliverable", d.due_on) for d in report.next_deliverables]
    slipped = _slipped(report, planned_activities, today)
    activity_ids = {i.record.id for i in planned + done + upcoming + slipped if i.kind == "activity"}
    areas_of = _areas_of(session, activity_ids)

    def of_area(items: list[Item], area: CooperationArea) -> list[Item]:
        def belongs(item: Item) -> bool:
            if item.kind == "deliverable":
                return item.record.area_id == area.id
            return area.id in areas_of.get(item.record.id, ())

        return sorted((i for i in items if belongs(i)), key=lambda i: (i.day, i.kind, i.record.id))

    statuses = area_statuses(session, partnership=partnership, today=today, zone=zone)
    measured = targets.Measured(session, partnership)
    areas = [
        AreaSection(
            area=area,
            status=statuses.get(area.id),
            planned=of_area(planned, area),
            done=of_area(done, area),
            slipped=of_area(slipped, area),
            upcoming=of_area(upcoming, area),
            indicators=targets.lines(session, measured, partnership=partnership, area=area, period=period),
        )
        for area in session.exec(
            select(CooperationArea)
            .where(CooperationArea.partnership_id == partnership.id)
            .order_by(CooperationArea.number)
        )
    ]
    return SteeringReport(
        partnership=partnership,
        period=period,
        next_period=report.next_period,
        today=today,
        summary=get_summary(session, partnership=partnership, period=period),
        amendments=amendment_service.amendments(session, partnership=partnership),
        measures=report.measures,
        areas=areas,
    )


# The executive summary -------------------------------------------------------------------------


def get_summary(session: Session, *, partnership: Partnership, period: Period) -> PeriodSummary | None:
    """The executive summary written for exactly this period, if any."""
    return session.exec(
        select(PeriodSummary).where(
            PeriodSummary.partnership_id == partnership.id,
            PeriodSummary.starts_on == period.start,
            PeriodSummary.ends_on == period.end,
        )
    ).first()


def save_summary(
    session: Session, *, partnership: Partnership, period: Period, summary_en: str, summary_es: str
) -> PeriodSummary:
    """Write the period's executive summary (created the first time); the audit trail keeps each version."""
    record = get_summary(session, partnership=partnership, period=period) or PeriodSummary(
        partnership_id=partnership.id, starts_on=period.start, ends_on=period.end
    )
    record.summary_en, record.summary_es = summary_en, summary_es
    record.updated_at = utcnow()
    session.add(record)
    session.flush()
    return record

"""The work plan: its items (the activities and deliverables the tracker already has), grouped by area and
period, and adding, moving and dropping them through the activities' and deliverables' own services.

The request owns the transaction: nothing here commits.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from pydantic import ValidationError
from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from tracker.activities import actions as activity_actions
from tracker.activities import service as activity_service
from tracker.activities.schemas import ActivityIn, PostponeIn
from tracker.audit.trail import because
from tracker.deliverables import service as deliverable_service
from tracker.deliverables.schemas import DeliverableIn, StatusIn
from tracker.errors import check_version, transition_refused
from tracker.indicators.service import targets_for
from tracker.models import (
    OPEN_ACTIVITY_STATUSES,
    OPEN_DELIVERABLE_STATUSES,
    Activity,
    ActivityStatus,
    Baseline,
    CooperationArea,
    Deliverable,
    DeliverableStatus,
    IndicatorTarget,
    Partnership,
)
from tracker.plans.comparison import ACTIVITY, DELIVERABLE, PlanItem
from tracker.plans.periods import Period, parse_period, period_of, planned_day, term_periods
from tracker.plans.schemas import MoveIn, PlanItemIn
from tracker.times import utc_to_local
from tracker.validation import FieldErrors, collect, raise_if, validate_all

# A planned activity's hours until someone completes its page: a working day on the tracker's clock.
DAY_START, DAY_END = time(9), time(17)
# Where the activities' and deliverables' own field names land on the plan's short form.
FORM_FIELDS = {
    "area_ids": "area_id",
    "area_id": "area_id",
    "responsible_ids": "responsible_id",
    "owner_id": "responsible_id",
    "kind": "activity_kind",
    "title_en": "title_en",
    "title_es": "title_es",
    "reason": "reason",
}
DATE_FIELDS = ("start_local", "end_local", "due_on")


def activity_item(activity: Activity) -> PlanItem:
    """An activity as the plan sees it: dated by its first day on its own clock."""
    day = utc_to_local(activity.starts_at, activity.timezone).date()
    return PlanItem(
        ACTIVITY,
        activity.id,
        tuple(area.id for area in activity.areas),
        activity.title_en,
        activity.title_es,
        day,
        str(getattr(activity.status, "value", activity.status)),
        day if activity.status == ActivityStatus.held else None,
        str(getattr(activity.kind, "value", activity.kind)),
        tuple(person.name for person in activity.responsible),
        activity.version,
    )


def deliverable_item(deliverable: Deliverable) -> PlanItem:
    """A deliverable as the plan sees it: dated by its due date."""
    accepted = deliverable.status == DeliverableStatus.accepted
    return PlanItem(
        DELIVERABLE,
        deliverable.id,
        (deliverable.area_id,),
        deliverable.title_en,
        deliverable.title_es,
        deliverable.due_on,
        str(getattr(deliverable.status, "value", deliverable.status)),
        (deliverable.completed_on or deliverable.due_on) if accepted else None,
        None,
        (deliverable.owner.name,) if deliverable.owner else (),
        deliverable.version,
    )


def plan_items(session: Session, *, partnership: Partnership, include_cancelled: bool = False) -> list[PlanItem]:
    """Every item of the plan, earliest first: activities not cancelled and deliverables not cancelled
    (with `include_cancelled`, those too: a comparison needs them)."""
    activities = select(Activity).where(Activity.partnership_id == partnership.id)
    deliverables = (
        select(Deliverable)
        .join(CooperationArea, CooperationArea.id == Deliverable.area_id)
        .where(CooperationArea.partnership_id == partnership.id)
    )
    if not include_cancelled:
        activities = activities.where(Activity.status != ActivityStatus.cancelled)
        deliverables = deliverables.where(Deliverable.status != DeliverableStatus.cancelled)
    items = [
        activity_item(a)
        for a in session.exec(activities.options(selectinload(Activity.areas), selectinload(Activity.responsible)))
    ]
    items += [deliverable_item(d) for d in session.exec(deliverables.options(selectinload(Deliverable.owner)))]
    return sorted(items, key=lambda item: (item.planned_on, item.type, item.id))


@dataclass(frozen=True)
class AreaPlan:
    """One area's part of the plan: its items per period of the term, those outside it, and its targets."""

    area: CooperationArea
    periods: list[tuple[Period, list[PlanItem]]]
    outside: list[PlanItem]
    targets: list[IndicatorTarget]

    @property
    def count(self) -> int:
        return sum(len(items) for _, items in self.periods) + len(self.outside)


def periods_of(partnership: Partnership, by: str) -> list[Period]:
    """The term's quarters or semesters."""
    return term_periods(partnership.starts_on, partnership.ends_on, by)


def area_plans(
    session: Session, *, partnership: Partnership, by: str, areas: list[CooperationArea] | None = None
) -> list[AreaPlan]:
    """The plan of each area (all of the partnership's, or these), its items grouped by period."""
    periods = periods_of(partnership, by)
    items = plan_items(session, partnership=partnership)
    plans = []
    for area in areas if areas is not None else partnership.areas:
        grouped: dict[Period | None, list[PlanItem]] = {period: [] for period in periods}
        grouped[None] = []
        for item in items:
            if area.id in item.area_ids:
                grouped[period_of(item.planned_on, periods)].append(item)
        targets = targets_for(session, partnership=partnership, area_id=area.id)
        plans.append(AreaPlan(area, [(p, grouped[p]) for p in periods], grouped[None], targets))
    return plans


def has_baseline(session: Session, partnership_id: int) -> bool:
    """Whether the partnership's plan was ever approved (moves must then say why)."""
    found = session.exec(select(Baseline.id).where(Baseline.partnership_id == partnership_id).limit(1)).first()
    return found is not None


# Adding --------------------------------------------------------------------------------------


def _form_errors(errors: dict, date_field: str) -> dict:
    """The activities' or deliverables' errors under the plan form's own fields (anything else: the form's)."""
    mapped: dict = {}
    for name, problem in errors.items():
        target = date_field if name in DATE_FIELDS else FORM_FIELDS.get(name, "__all__")
        mapped.setdefault(target, problem)
    return mapped


def _plan_rules(partnership: Partnership, periods: list[Period], fields: dict) -> dict:
    errors: dict = {}
    if fields.get("period") and parse_period(fields["period"], periods) is None:
        errors["period"] = ("plan_period", {})
    if not fields.get("on") and not fields.get("period") and "on" in fields and "period" in fields:
        errors["on"] = ("period_or_date", {})
    return errors


def item_input(
    session: Session, *, partnership: Partnership, values: dict, zone: str
) -> tuple[PlanItemIn, ActivityIn | DeliverableIn]:
    """A short form's (or a sheet row's) values as the activity or deliverable they plan, every rule checked:
    raises FieldErrors under the form's fields, and stores nothing."""
    periods = periods_of(partnership, "quarter")
    plan = validate_all(PlanItemIn, values, lambda parsed: _plan_rules(partnership, periods, parsed))
    raise_if(_plan_rules(partnership, periods, dict(plan)))
    day = plan.on or planned_day(parse_period(plan.period, periods), plan.type)
    date_field = "on" if plan.on else "period"
    common = {"title_en": plan.title_en, "title_es": plan.title_es, "confirm_outside_term": plan.confirm_outside_term}
    try:
        if plan.type == ACTIVITY:
            data = ActivityIn.model_validate(
                common
                | {
                    "kind": plan.activity_kind,
                    "area_ids": [plan.area_id],
                    "responsible_ids": [plan.responsible_id] if plan.responsible_id else [],
                    "start_local": datetime.combine(day, DAY_START),
                    "end_local": datetime.combine(day, DAY_END),
                    "timezone": zone,
                    # The details (format, venue, hours) are settled on the activity's page later.
                    "format": "virtual",
                    "languages": ["es", "en"],
                }
            )
            errors = activity_service.check_rules(session, partnership=partnership, activity=None, fields=dict(data))[0]
        else:
            data = DeliverableIn.model_validate(
                common | {"area_id": plan.area_id, "owner_id": plan.responsible_id, "due_on": day}
            )
            errors = deliverable_service.check_rules(
                session, partnership=partnership, deliverable=None, fields=dict(data)
            )
    except ValidationError as exc:
        errors = collect(exc)
    raise_if(_form_errors(errors, date_field))
    return plan, data


def add_item(session: Session, *, partnership: Partnership, values: dict, zone: str) -> Activity | Deliverable:
    """A new planned activity or deliverable from the plan's short form, through their own services."""
    plan, data = item_input(session, partnership=partnership, values=values, zone=zone)
    if plan.type == ACTIVITY:
        return activity_service.create_activity(session, partnership=partnership, data=data)
    return deliverable_service.create_deliverable(session, partnership=partnership, data=data)


# Moving and dropping ---------------------------------------------------------------------------


def _move_input(session: Session, partnership_id: int, values: dict) -> tuple[MoveIn, bool]:
    """The new date and reason, and whether a baseline makes the reason required; every error at once."""
    baseline = has_baseline(session, partnership_id)

    def rules(parsed: dict) -> dict:
        return {"reason": ("blank", {})} if baseline and not parsed.get("reason") else {}

    data = validate_all(MoveIn, values, rules)
    raise_if(rules(dict(data)))
    return data, baseline


def _refused_under(exc: ValidationError | FieldErrors, date_field: str = "on") -> FieldErrors:
    return FieldErrors(_form_errors(collect(exc), date_field))


def move_activity(session: Session, *, activity: Activity, values: dict, version: int | None) -> Activity:
    """An activity to a new day (its hours kept). Once the plan is approved this is a postponement, which
    says why; before, the draft is being written and its details change, with a reason when one is given."""
    if activity.status not in OPEN_ACTIVITY_STATUSES:
        raise transition_refused(activity.status)
    if version is not None:
        check_version("activity", activity, version)
    data, baseline = _move_input(session, activity.partnership_id, values)
    start = utc_to_local(activity.starts_at, activity.timezone)
    end = utc_to_local(activity.ends_at, activity.timezone)
    new_start = datetime.combine(data.on, start.time())
    try:
        if baseline:
            moved = PostponeIn(
                start_local=new_start,
                end_local=new_start + (end - start),
                confirm_outside_term=data.confirm_outside_term,
                reason=data.reason,
            )
            return activity_actions.postpone(session, activity=activity, data=moved)
        fields = activity_service.to_input(activity) | {
            "start_local": new_start,
            "end_local": new_start + (end - start),
            "confirm_outside_term": data.confirm_outside_term,
        }
        because(session, data.reason)
        return activity_service.update_activity(
            session, activity=activity, data=ActivityIn.model_validate(fields), version=activity.version
        )
    except (ValidationError, FieldErrors) as exc:
        raise _refused_under(exc) from None


def move_deliverable(session: Session, *, deliverable: Deliverable, values: dict, version: int | None) -> Deliverable:
    """A deliverable to a new due date, saying why (its service asks a reason for every moved deadline)."""
    if deliverable.status not in OPEN_DELIVERABLE_STATUSES:
        raise transition_refused(deliverable.status)
    if version is not None:
        check_version("deliverable", deliverable, version)
    data, _ = _move_input(session, deliverable.area.partnership_id, values)
    fields = deliverable_service.to_input(deliverable) | {
        "due_on": data.on,
        "reason": data.reason,
        "confirm_outside_term": data.confirm_outside_term,
    }
    try:
        return deliverable_service.update_deliverable(
            session, deliverable=deliverable, data=DeliverableIn.model_validate(fields), version=deliverable.version
        )
    except (ValidationError, FieldErrors) as exc:
        raise _refused_under(exc) from None


def drop_activity(session: Session, *, activity: Activity, reason: str | None) -> Activity:
    """An activity leaves the plan: cancelled, saying why (it can be reopened)."""
    return activity_actions.cancel(session, activity=activity, reason=reason)


def drop_deliverable(session: Session, *, deliverable: Deliverable, reason: str | None, today: date) -> Deliverable:
    """A deliverable leaves the plan: cancelled, saying why (it can be set back to not started)."""
    if DeliverableStatus.cancelled not in deliverable_service.next_statuses(deliverable):
        raise transition_refused(deliverable.status)
    if not (reason or "").strip():
        raise_if({"reason": ("blank", {})})
    because(session, reason.strip())
    return deliverable_service.change_status(
        session, deliverable=deliverable, data=StatusIn(status=DeliverableStatus.cancelled), today=today
    )

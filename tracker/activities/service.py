"""Activities: the rules they obey and the queries that list them (status changes: actions.py)."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import or_
from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from tracker.activities.schemas import ActivityIn, ActivityOut
from tracker.auth import ensure_visible
from tracker.db import contains
from tracker.editing import copy_fields, fields_of
from tracker.errors import NotFound, check_version
from tracker.i18n import LANGUAGES
from tracker.models import (
    OPEN_ACTIVITY_STATUSES,
    Activity,
    ActivityArea,
    ActivityKind,
    ActivityStatus,
    Partnership,
    utcnow,
)
from tracker.paging import paged
from tracker.partnerships.service import check_areas, check_organizations
from tracker.people.service import check_people
from tracker.reminders.planner import drop_pending
from tracker.times import NonexistentLocalTime, day_start, in_zone, local_to_utc, utc_to_local
from tracker.validation import N_, raise_if, validate_all

MAX_DAYS = 31
# What came of an activity, in each language: written once it is held.
OUTCOMES = tuple(f"outcomes_{code}" for code in LANGUAGES)
# The ActivityIn fields that are not columns of their own, and how each is read from a stored activity.
DERIVED = {
    "area_ids": lambda activity: [area.id for area in activity.areas],
    "organizer_ids": lambda activity: [org.id for org in activity.organizers],
    "responsible_ids": lambda activity: [person.id for person in activity.responsible],
    "start_local": lambda activity: utc_to_local(activity.starts_at, activity.timezone),
    "end_local": lambda activity: utc_to_local(activity.ends_at, activity.timezone),
    # Dates outside the term, accepted once, stay accepted while unchanged: an edit need not confirm again.
    "confirm_outside_term": lambda activity: False,
}


def get_activity_or_404(session: Session, activity_id: int, viewer=None) -> Activity:
    """The activity with this id (if `viewer` may see it), its areas and organizers loaded."""
    activity = session.exec(
        select(Activity)
        .where(Activity.id == activity_id)
        .options(selectinload(Activity.areas), selectinload(Activity.organizers))
    ).first()
    if activity is None:
        raise NotFound(N_("This activity does not exist."))
    ensure_visible(viewer, activity.partnership_id)
    return activity


def check_instants(start_local: datetime, end_local: datetime, zone: str, errors: dict) -> tuple:
    instants = []
    for field, moment in (("start_local", start_local), ("end_local", end_local)):
        try:
            instants.append(local_to_utc(moment, zone))
        except NonexistentLocalTime:
            errors[field] = ("nonexistent_time", {"zone": zone})
            instants.append(None)
    start, end = instants
    if start and end:
        if end <= start:
            errors["end_local"] = ("end_before_start", {})
        elif end - start > timedelta(days=MAX_DAYS):
            errors["end_local"] = ("too_long_event", {"days": MAX_DAYS})
    return start, end


def check_term(partnership: Partnership, start: datetime | None, zone: str, confirmed: bool, errors: dict):
    if start is None or confirmed:
        return
    day = in_zone(start, zone).date()
    if not partnership.starts_on <= day <= partnership.ends_on:
        errors["start_local"] = (
            "outside_term",
            {"start": partnership.starts_on, "end": partnership.ends_on},
        )


def check_rules(
    session: Session,
    *,
    partnership: Partnership,
    activity: Activity | None,
    fields: dict,
    now: datetime | None = None,
) -> tuple:
    """The rule errors of parsed input (possibly only some fields), and what the rules resolved.

    Working on partial input lets a form report every problem at once, parse errors and rule
    errors together. `now` (default: the clock) is when a held activity must have started by.
    """
    errors: dict = {}
    resolved: dict = {}
    zone = fields.get("timezone")
    if zone and fields.get("start_local") and fields.get("end_local"):
        start, end = check_instants(fields["start_local"], fields["end_local"], zone, errors)
        # Dates accepted outside the term once stay accepted while they do not change.
        unchanged = activity is not None and activity.id is not None and start == activity.starts_at
        check_term(partnership, start, zone, fields.get("confirm_outside_term") or unchanged, errors)
        if activity is not None and activity.status == ActivityStatus.held and start and start > (now or utcnow()):
            # What took place cannot move into the future: if it did not happen, "held" is undone, with a reason.
            errors["start_local"] = ("held_starts_in_future", {})
        resolved.update(starts_at=start, ends_at=end)
    if "area_ids" in fields:
        resolved["areas"] = check_areas(session, partnership, fields["area_ids"], "area_ids", errors)
    if "organizer_ids" in fields:
        resolved["organizers"] = check_organizations(session, fields["organizer_ids"], "organizer_ids", errors)
    if "responsible_ids" in fields:
        resolved["responsible"] = check_people(session, fields["responsible_ids"], "responsible_ids", errors)
    if fields.get("format") in ("in_person", "hybrid") and "venue" in fields and not fields["venue"]:
        errors["venue"] = ("venue_required", {})
    if activity is None or activity.status != ActivityStatus.held:
        for name in OUTCOMES:
            if fields.get(name):
                errors[name] = ("outcomes_before_held", {})
    return errors, resolved


def validated(
    session: Session, *, partnership: Partnership, activity: Activity | None, values: dict, now: datetime | None = None
) -> ActivityIn:
    """A form's values as ActivityIn, with every parse and rule error reported together (FieldErrors)."""

    def rules(parsed: dict) -> dict:
        return check_rules(session, partnership=partnership, activity=activity, fields=parsed, now=now)[0]

    return validate_all(ActivityIn, values, rules)


def _apply(
    session: Session, activity: Activity, partnership: Partnership, data: ActivityIn, now: datetime | None = None
) -> None:
    """Check every rule of `data` and copy it onto `activity`, or raise FieldErrors and copy nothing."""
    errors, resolved = check_rules(session, partnership=partnership, activity=activity, fields=dict(data), now=now)
    raise_if(errors)
    if activity.id is not None and (
        resolved["starts_at"] != activity.starts_at
        or sorted(data.responsible_ids) != sorted(p.id for p in activity.responsible)
    ):
        drop_pending(session, item_type="activity", item_id=activity.id)
    copy_fields(activity, data, DERIVED)
    activity.starts_at, activity.ends_at = resolved["starts_at"], resolved["ends_at"]
    activity.languages = [str(language) for language in data.languages]
    activity.areas = sorted(resolved["areas"], key=lambda a: a.number)
    activity.organizers = resolved["organizers"]
    activity.responsible = resolved["responsible"]
    activity.updated_at = utcnow()


def create_activity(session: Session, *, partnership: Partnership, data: ActivityIn) -> Activity:
    """A new planned activity."""
    activity = Activity(partnership_id=partnership.id, status=ActivityStatus.planned)
    _apply(session, activity, partnership, data)
    session.add(activity)
    session.flush()
    return activity


def update_activity(
    session: Session, *, activity: Activity, data: ActivityIn, version: int | None, now: datetime | None = None
) -> Activity:
    """Replace an activity's details, if nobody saved since `version` (status changes: actions.py)."""
    check_version("activity", activity, version)
    _apply(session, activity, activity_partnership(session, activity), data, now)
    session.flush()
    return activity


def edit_activity(
    session: Session, *, activity: Activity, values: dict, version: int | None, now: datetime | None = None
) -> Activity:
    """update_activity from an edit form's values: a stale version first, then every input error at once."""
    check_version("activity", activity, version)
    partnership = activity_partnership(session, activity)
    data = validated(session, partnership=partnership, activity=activity, values=values, now=now)
    _apply(session, activity, partnership, data, now)
    session.flush()
    return activity


def delete_activity(session: Session, *, activity: Activity) -> None:
    """Remove an activity logged by mistake; deliverables that pointed to it keep existing."""
    drop_pending(session, item_type="activity", item_id=activity.id)
    session.delete(activity)
    session.flush()


def activity_partnership(session: Session, activity: Activity) -> Partnership:
    """The partnership an activity belongs to."""
    return session.get(Partnership, activity.partnership_id)


def to_input(activity: Activity) -> dict:
    """An activity as ActivityIn fields: what an edit form or a PATCH starts from."""
    return fields_of(ActivityIn, activity, DERIVED)


def to_out(activity: Activity, partnership_slug: str) -> ActivityOut:
    """An activity as the API shows it."""
    return ActivityOut(**fields_of(ActivityOut, activity, DERIVED | {"partnership": lambda _: partnership_slug}))


@dataclass(frozen=True)
class ActivityFilter:
    """What an activity list is narrowed to."""

    area_id: int | None = None
    kind: ActivityKind | None = None
    status: ActivityStatus | None = None
    date_from: date | None = None
    date_to: date | None = None
    q: str | None = None


def list_activities(
    session: Session,
    *,
    partnership_ids: Collection[int] | None,
    filters: ActivityFilter,
    zone: str,
    limit: int,
    offset: int,
) -> tuple[list[Activity], int]:
    """A page of activities (of these partnerships, or all), soonest first, and how many match in all.

    Date bounds are whole days on the viewer's clock (`zone`).
    """
    query = select(Activity)
    if partnership_ids is not None:
        query = query.where(Activity.partnership_id.in_(list(partnership_ids)))
    if filters.area_id:
        query = query.where(
            Activity.id.in_(select(ActivityArea.activity_id).where(ActivityArea.area_id == filters.area_id))
        )
    if filters.kind:
        query = query.where(Activity.kind == filters.kind)
    if filters.status:
        query = query.where(Activity.status == filters.status)
    if filters.date_from:
        query = query.where(Activity.ends_at >= day_start(filters.date_from, zone))
    if filters.date_to:
        query = query.where(Activity.starts_at < day_start(filters.date_to + timedelta(days=1), zone))
    if filters.q:
        query = query.where(contains(Activity.search_text, filters.q))
    order = (Activity.starts_at, Activity.id)
    return paged(session, query, order_by=order, options=(selectinload(Activity.areas),), limit=limit, offset=offset)


def upcoming(
    session: Session, *, partnership: Partnership, now: datetime, days: int = 30, limit: int = 10
) -> list[Activity]:
    """Activities starting within `days` (or under way) that are not cancelled or held."""
    return list(
        session.exec(
            select(Activity)
            .where(
                Activity.partnership_id == partnership.id,
                Activity.status.in_(OPEN_ACTIVITY_STATUSES),
                Activity.ends_at >= now,
                Activity.starts_at < now + timedelta(days=days),
            )
            .order_by(Activity.starts_at)
            .limit(limit)
        )
    )


def latest_outcomes(session: Session, *, partnership: Partnership, limit: int = 3) -> list[Activity]:
    """The most recent activities held with outcomes recorded."""
    return list(
        session.exec(
            select(Activity)
            .where(
                Activity.partnership_id == partnership.id,
                Activity.status == ActivityStatus.held,
                or_(Activity.outcomes_en != "", Activity.outcomes_es != ""),
            )
            .order_by(Activity.starts_at.desc())
            .limit(limit)
        )
    )

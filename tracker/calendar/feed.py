"""The subscribable calendar: activities in their own time zone, deadlines as all-day events.

UIDs are stable and SEQUENCE follows the record's version, so Outlook and Google Calendar replace an
event when it changes instead of adding a second one.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Timezone
from sqlmodel import Session, select

from tracker.calendar.timezones import FIRST_YEAR, LAST_YEAR, vtimezone
from tracker.i18n import gettext_for, localized, marked
from tracker.models import (
    Activity,
    ActivityArea,
    ActivityStatus,
    CooperationArea,
    Deliverable,
    DeliverableStatus,
    Partnership,
)
from tracker.times import long_date, zone_of
from tracker.validation import N_

DOMAIN = "mou-tracker"

ACCEPTED = N_("✓ Accepted: %(title)s")
ACCEPTED_ON = N_("Deliverable accepted on %(date)s.")
ACCEPTED_UNDATED = N_("Deliverable accepted.")
CANCELLED = N_("Cancelled: %(title)s")
CANCELLED_NOTE = N_("Deliverable cancelled.")


def _alarm(description: str, before: timedelta) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", description)
    alarm.add("trigger", -before)
    return alarm


def _placeable(*moments: date) -> bool:
    # An instant stored outside these years (year 1, 9999 written by SQL) cannot be placed on every zone's clock,
    # nor in a VTIMEZONE: the record is left out rather than take the whole feed down.
    return all(FIRST_YEAR <= moment.year <= LAST_YEAR for moment in moments)


def activity_event(activity: Activity, base_url: str, language: str = "en") -> Event:
    """One activity as an event on its own clock (in UTC when its zone is unknown here)."""
    zone = zone_of(activity.timezone)
    event = Event()
    event.add("uid", f"activity-{activity.id}@{DOMAIN}")
    event.add("summary", marked(activity, "title", language))
    event.add("dtstart", activity.starts_at.astimezone(zone))
    # An end stored before the start would make clients drop the event.
    event.add("dtend", max(activity.starts_at, activity.ends_at).astimezone(zone))
    event.add("dtstamp", activity.updated_at)
    event.add("last-modified", activity.updated_at)
    event.add("sequence", activity.version)
    event.add("url", f"{base_url}/activities/{activity.id}")
    event.add(
        "status",
        "CANCELLED"
        if activity.status == ActivityStatus.cancelled
        else "CONFIRMED"
        if activity.status in (ActivityStatus.confirmed, ActivityStatus.held)
        else "TENTATIVE",
    )
    if activity.venue:
        event.add("location", activity.venue)
    event.add_component(_alarm(marked(activity, "title", language), timedelta(days=1)))
    return event


def deadline_event(deliverable: Deliverable, base_url: str, language: str = "en") -> Event:
    """A deliverable's due date as an all-day event; once accepted or cancelled it says so and stops alarming."""
    _ = gettext_for(language)
    title = marked(deliverable, "title", language)
    event = Event()
    event.add("uid", f"deliverable-{deliverable.id}@{DOMAIN}")
    event.add("dtstart", deliverable.due_on)
    event.add("dtend", deliverable.due_on + timedelta(days=1))
    event.add("dtstamp", deliverable.updated_at)
    event.add("last-modified", deliverable.updated_at)
    event.add("sequence", deliverable.version)
    event.add("url", f"{base_url}/deliverables/{deliverable.id}")
    event.add("transp", "TRANSPARENT")
    if deliverable.status == DeliverableStatus.accepted:
        event.add("summary", _(ACCEPTED) % {"title": title})
        done = deliverable.completed_on
        note = _(ACCEPTED_ON) % {"date": long_date(done, language)} if done else _(ACCEPTED_UNDATED)
        event.add("description", note)
    elif deliverable.status == DeliverableStatus.cancelled:
        event.add("summary", _(CANCELLED) % {"title": title})
        event.add("description", _(CANCELLED_NOTE))
        event.add("status", "CANCELLED")
    else:
        event.add("summary", f"⏰ {title}")
        event.add_component(_alarm(title, timedelta(days=7)))
    return event


def _timezones(events: list[Event]) -> list[Timezone]:
    """One VTIMEZONE per zone the events use, for the years they fall in and a year either side."""
    years: dict[str, list[int]] = {}
    for event in events:
        for name in ("dtstart", "dtend"):
            moment = event.decoded(name)
            if isinstance(moment, datetime) and isinstance(moment.tzinfo, ZoneInfo):
                years.setdefault(moment.tzinfo.key, []).append(moment.year)
    return [vtimezone(zone, min(seen) - 1, max(seen) + 1) for zone, seen in sorted(years.items())]


def build_calendar(
    *,
    activities: Iterable[Activity],
    deliverables: Iterable[Deliverable],
    base_url: str,
    name: str | None = None,
    language: str = "en",
) -> bytes:
    """An .ics file of activities and deadlines: the feeds and the reminder attachments are all built here."""
    events = [
        activity_event(activity, base_url, language)
        for activity in activities
        if _placeable(activity.starts_at, activity.ends_at)
    ]
    events += [
        deadline_event(deliverable, base_url, language)
        for deliverable in deliverables
        if _placeable(deliverable.due_on)
    ]
    calendar = Calendar()
    calendar.add("prodid", "-//MOU tracker//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    for component in [*_timezones(events), *events]:
        calendar.add_component(component)
    return calendar.to_ical()


def calendar_for(
    session: Session, *, partnership: Partnership, area: CooperationArea | None, base_url: str, language: str = "en"
) -> bytes:
    """The feed of a partnership, or of one of its areas, in one language (its name, summaries and alarms)."""
    name = localized(partnership, "title", language)
    if area is not None:
        name = f"{name} — {localized(area, 'name', language)}"
    activities = select(Activity).where(Activity.partnership_id == partnership.id)
    deliverables = (
        select(Deliverable)
        .join(CooperationArea, CooperationArea.id == Deliverable.area_id)
        .where(CooperationArea.partnership_id == partnership.id)
    )
    if area is not None:
        activities = activities.where(
            Activity.id.in_(select(ActivityArea.activity_id).where(ActivityArea.area_id == area.id))
        )
        deliverables = deliverables.where(Deliverable.area_id == area.id)
    return build_calendar(
        activities=session.exec(activities.order_by(Activity.starts_at)),
        deliverables=session.exec(deliverables.order_by(Deliverable.due_on)),
        base_url=base_url,
        name=name,
        language=language,
    )


def month_grid(month: date) -> list[list[date | None]]:
    """The weeks of a month, Monday first, with None outside it."""
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    days = [first + timedelta(days=n) for n in range((following - first).days)]
    weeks, week = [], [None] * first.weekday()
    for day in days:
        week.append(day)
        if len(week) == 7:
            weeks.append(week)
            week = []
    if week:
        weeks.append(week + [None] * (7 - len(week)))
    return weeks

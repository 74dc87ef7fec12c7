"""The subscribable calendar: activities in their own time zone, deadlines as all-day events.

UIDs are stable and SEQUENCE follows the record's version, so Outlook and Google Calendar replace an
event when it changes instead of adding a second one.
"""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event
from sqlmodel import Session, select

from tracker.models import (
    Activity,
    ActivityArea,
    ActivityStatus,
    CooperationArea,
    Deliverable,
    DeliverableStatus,
    Partnership,
)

DOMAIN = "mou-tracker"


def _alarm(description: str, before: timedelta) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", description)
    alarm.add("trigger", -before)
    return alarm


def activity_event(activity: Activity, base_url: str) -> Event:
    """One activity as an event on its own clock."""
    zone = ZoneInfo(activity.timezone)
    event = Event()
    event.add("uid", f"activity-{activity.id}@{DOMAIN}")
    event.add("summary", activity.title_en if not activity.title_es else f"{activity.title_en} / {activity.title_es}")
    event.add("dtstart", activity.starts_at.astimezone(zone))
    event.add("dtend", activity.ends_at.astimezone(zone))
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
    event.add_component(_alarm(activity.title_en, timedelta(days=1)))
    return event


def deadline_event(deliverable: Deliverable, base_url: str) -> Event:
    """A deliverable's due date as an all-day event."""
    event = Event()
    event.add("uid", f"deliverable-{deliverable.id}@{DOMAIN}")
    event.add("summary", f"⏰ {deliverable.title_en}")
    event.add("dtstart", deliverable.due_on)
    event.add("dtend", deliverable.due_on + timedelta(days=1))
    event.add("dtstamp", deliverable.updated_at)
    event.add("last-modified", deliverable.updated_at)
    event.add("sequence", deliverable.version)
    event.add("url", f"{base_url}/deliverables/{deliverable.id}")
    event.add("transp", "TRANSPARENT")
    if deliverable.status == DeliverableStatus.cancelled:
        event.add("status", "CANCELLED")
    event.add_component(_alarm(deliverable.title_en, timedelta(days=7)))
    return event


def calendar_for(session: Session, *, partnership: Partnership, area: CooperationArea | None, base_url: str) -> bytes:
    """The feed of a partnership, or of one of its areas."""
    calendar = Calendar()
    calendar.add("prodid", "-//MOU tracker//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    name = partnership.title_en if area is None else f"{partnership.title_en} — {area.name_en}"
    calendar.add("x-wr-calname", name)
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
    for activity in session.exec(activities.order_by(Activity.starts_at)):
        calendar.add_component(activity_event(activity, base_url))
    for deliverable in session.exec(deliverables.order_by(Deliverable.due_on)):
        calendar.add_component(deadline_event(deliverable, base_url))
    calendar.add_missing_timezones()
    return calendar.to_ical()


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

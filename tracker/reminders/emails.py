"""Rendering reminder emails: one digest (or one reminder) for one person, in their language."""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage

from sqlmodel import Session

from tracker.calendar.feed import build_calendar
from tracker.config import Settings
from tracker.i18n import marked
from tracker.mail.render import build
from tracker.models import Activity, Deliverable, Delivery, Person, ReminderMode
from tracker.reminders.links import preferences_token
from tracker.times import event_time, in_zone, long_date, zone_name


@dataclass(frozen=True)
class Item:
    """One line of a reminder email."""

    kind: str  # "deliverable" or "activity"
    title: str
    when: str
    where: str | None
    url: str
    group: str  # "overdue", "today" or "upcoming"
    days: int  # days until due (negative when overdue)


def message_id_for(deliveries: list[Delivery]) -> str:
    """A Message-ID derived from the delivery keys: the same reminders, the same id."""
    keys = sorted(f"{d.item_type}:{d.item_id}:{d.rule}:{d.occurrence}:{d.person_id}" for d in deliveries)
    digest = hashlib.sha256("|".join(keys).encode()).hexdigest()[:40]
    return f"<reminder.{digest}@mou-tracker>"


def _items(session: Session, settings: Settings, person: Person, deliveries: list[Delivery], now: datetime):
    today = in_zone(now, person.timezone).date()
    language = str(person.language)
    items, activities, seen = [], [], set()
    for delivery in sorted(deliveries, key=lambda d: d.due_at):
        if (delivery.item_type, delivery.item_id) in seen:
            continue  # several caught-up moments of one item: listed once
        seen.add((delivery.item_type, delivery.item_id))
        if delivery.item_type == "deliverable":
            record = session.get(Deliverable, delivery.item_id)
            if record is None:
                continue
            days = (record.due_on - today).days
            items.append(
                Item(
                    "deliverable",
                    marked(record, "title", language),
                    long_date(record.due_on, language),
                    None,
                    f"{settings.base_url}/deliverables/{record.id}",
                    _group(days),
                    days,
                )
            )
        else:
            record = session.get(Activity, delivery.item_id)
            if record is None:
                continue
            shown = event_time(record.starts_at, record.ends_at, record.timezone, person.timezone, language)
            start_day = in_zone(record.starts_at, person.timezone).date()
            days = (start_day - today).days
            when = shown.viewer + (f" ({shown.event})" if shown.event else "")
            items.append(
                Item(
                    "activity",
                    marked(record, "title", language),
                    when,
                    record.venue or record.meeting_url,
                    f"{settings.base_url}/activities/{record.id}",
                    _group(days),
                    days,
                )
            )
            activities.append(record)
    order = {"overdue": 0, "today": 1, "upcoming": 2}
    return sorted(items, key=lambda i: (order[i.group], i.days)), activities


def _group(days: int) -> str:
    return "overdue" if days < 0 else "today" if days == 0 else "upcoming"


def calendar_for(activities: list[Activity], settings: Settings, language: str = "en") -> bytes:
    """An .ics file with the activities, built as the feed builds them: the same UIDs, sequences and zones."""
    return build_calendar(activities=activities, deliverables=(), base_url=settings.base_url, language=language)


def reminder_context(settings: Settings, *, person: Person, items: list[Item], now: datetime) -> dict:
    """What a reminder or a digest lists: its items grouped as overdue, due today and coming up."""
    return {
        "items": items,
        "groups": [(name, [i for i in items if i.group == name]) for name in ("overdue", "today", "upcoming")],
        "preferences_url": f"{settings.base_url}/reminders/{preferences_token(settings.secret_key, person.id)}",
        "zone": zone_name(person.timezone, str(person.language)),
        "today": long_date(in_zone(now, person.timezone).date(), str(person.language)),
    }


def render_reminder(
    session: Session, settings: Settings, *, person: Person, deliveries: list[Delivery], now: datetime
) -> EmailMessage | None:
    """The email for these deliveries, or None when none of their items still exists."""
    items, activities = _items(session, settings, person, deliveries, now)
    if not items:
        return None
    message = build(
        settings,
        kind="digest" if person.reminder_mode == ReminderMode.digest else "reminder",
        person=person,
        context=reminder_context(settings, person=person, items=items, now=now),
        message_id=message_id_for(deliveries),
        date=now,
    )
    if activities:
        message.add_attachment(
            calendar_for(activities, settings, str(person.language)),
            maintype="text",
            subtype="calendar",
            filename="activities.ics",
            params={"charset": "utf-8", "method": "PUBLISH"},  # as the body's METHOD; unlabelled, readers assume ASCII
        )
    return message

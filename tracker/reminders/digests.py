"""Reminders gathered into messages: one digest a day per person (or one email per reminder), each
person's on their own, queued in the outbox that every kind of email leaves through."""

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from tracker.config import Settings
from tracker.mail import outbox
from tracker.models import Delivery, OutboxMessage, Person, ReminderMode
from tracker.reminders.emails import message_id_for, render_reminder
from tracker.reminders.planner import partnership_of
from tracker.reminders.rules import rules_for
from tracker.reminders.schedule import at_local_hour
from tracker.times import in_zone, zone_of

logger = logging.getLogger("tracker.reminders")


@dataclass
class BatchReport:
    messages: int = 0
    skipped: int = 0
    deferred: int = 0
    failed: int = 0


def _local_midnight(now: datetime, zone: str) -> datetime:
    return datetime.combine(in_zone(now, zone).date(), time(), tzinfo=zone_of(zone))


def batch(session: Session, settings: Settings, *, now: datetime) -> BatchReport:
    """Gather each person's due deliveries into messages (one transaction per person).

    Each person is handled on their own: whatever goes wrong for one (an address no header can
    carry, a record no template can show) marks their reminders failed, with the reason, on the
    Outbox page, and the sweep goes on with everyone else.
    """
    report = BatchReport()
    person_ids = session.exec(
        select(Delivery.person_id).where(Delivery.status == "pending", Delivery.due_at <= now).distinct()
    ).all()
    for person_id in person_ids:
        try:
            _batch_person(session, settings, person_id, now, report)
        except Exception as exc:  # noqa: BLE001 - one recipient's problem must not stop the others
            session.rollback()
            logger.exception("reminders for person %s could not be prepared", person_id)
            report.failed += _fail(session, person_id, now, f"{type(exc).__name__}: {exc}")
    return report


def _batch_person(session: Session, settings: Settings, person_id: int, now: datetime, report: BatchReport) -> None:
    person = session.get(Person, person_id)
    deliveries = _due_deliveries(session, person_id, now)
    if not deliveries:
        return
    if person.reminder_mode == ReminderMode.none:
        report.skipped += _claim(session, deliveries, status="skipped", message_id=None)
        session.commit()
        return
    if person.reminder_mode == ReminderMode.digest:
        if _had_digest_today(session, person, now):
            # At most one digest a day: these wait for tomorrow's, at the rules' local hour.
            report.deferred += _defer_to_tomorrow(session, person, deliveries, now)
            session.commit()
            return
        groups = [deliveries]
    else:
        groups = [[delivery] for delivery in deliveries]
    for group in groups:
        if _queue(session, settings, person, group, now):
            report.messages += 1


def _due_deliveries(session: Session, person_id: int, now: datetime) -> list[Delivery]:
    return list(
        session.exec(
            select(Delivery)
            .where(Delivery.person_id == person_id, Delivery.status == "pending", Delivery.due_at <= now)
            .order_by(Delivery.due_at, Delivery.id)
        )
    )


def _fail(session: Session, person_id: int, now: datetime, reason: str) -> int:
    """Record, as a failed message on the Outbox page, why a person's reminders could not be sent."""
    deliveries = _due_deliveries(session, person_id, now)
    if not deliveries:
        return 0
    address = session.exec(select(Person.email).where(Person.id == person_id)).first() or ""
    message = OutboxMessage(
        kind="digest",
        person_id=person_id,
        to_address=address[:400],
        subject="",
        message_id=message_id_for(deliveries),
        raw=b"",  # never built: a retry puts its reminders back in line to be built again
        status="failed",
        next_attempt_at=now,
        created_at=now,
        last_error=reason[:1000],
    )
    session.add(message)
    try:
        session.flush()
        _claim(session, deliveries, status="failed", message_id=message.id)
        session.commit()
    except IntegrityError:
        session.rollback()  # a concurrent sweep recorded the same failure
        return 0
    return 1


def _defer_to_tomorrow(session: Session, person: Person, deliveries: list[Delivery], now: datetime) -> int:
    partnership_id = partnership_of(session, deliveries[0])
    hour = rules_for(session, partnership_id).local_hour
    tomorrow = in_zone(now, person.timezone).date() + timedelta(days=1)
    result = session.exec(
        update(Delivery)
        .where(Delivery.id.in_([d.id for d in deliveries]), Delivery.status == "pending")
        .values(due_at=at_local_hour(tomorrow, hour, person.timezone))
    )
    return result.rowcount


def _had_digest_today(session: Session, person: Person, now: datetime) -> bool:
    since = _local_midnight(now, person.timezone)
    return (
        session.exec(
            select(OutboxMessage.id).where(
                OutboxMessage.person_id == person.id,
                OutboxMessage.kind == "digest",
                OutboxMessage.created_at >= since,
                OutboxMessage.status != "dropped",
            )
        ).first()
        is not None
    )


def _claim(session: Session, deliveries: list[Delivery], *, status: str, message_id: int | None) -> int:
    """Move pending deliveries on; the row count tells whether another sweeper got there first."""
    result = session.exec(
        update(Delivery)
        .where(Delivery.id.in_([d.id for d in deliveries]), Delivery.status == "pending")
        .values(status=status, message_id=message_id)
    )
    return result.rowcount


def _queue(session: Session, settings: Settings, person: Person, deliveries: list[Delivery], now: datetime) -> bool:
    email = render_reminder(session, settings, person=person, deliveries=deliveries, now=now)
    if email is None:
        _claim(session, deliveries, status="dropped", message_id=None)
        session.commit()
        return False
    partnerships = {partnership_of(session, delivery) for delivery in deliveries}
    try:
        message = outbox.queue(
            session,
            kind="digest" if person.reminder_mode == ReminderMode.digest else "reminder",
            email=email,
            person_id=person.id,
            # A digest about several partnerships is for administrators' eyes only.
            partnership_id=partnerships.pop() if len(partnerships) == 1 else None,
            language=str(person.language),
            now=now,
        )
    except IntegrityError:
        session.rollback()  # the same reminders were just queued by a concurrent sweep
        return False
    if _claim(session, deliveries, status="queued", message_id=message.id) != len(deliveries):
        session.rollback()  # someone else queued some of them: theirs stands, ours never existed
        return False
    session.commit()
    return True

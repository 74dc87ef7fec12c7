"""The outbox: reminders gathered into messages (a daily digest or one each) and sent, each once.

Claiming works like a lock that cannot be forgotten: a conditional UPDATE (`... WHERE status = 'pending'`)
that only one sweeper's row count can win. A message is marked `sending` with a lease before it leaves;
if the process dies then, the lease expires and the message is sent again: that retry after a crash is
the one window in which a person could receive a reminder twice.
"""

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from email import message_from_bytes, policy
from email.policy import SMTP
from email.utils import parseaddr
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from tracker.config import Settings
from tracker.models import Delivery, OutboxMessage, Person, ReminderMode
from tracker.reminders.emails import render_reminder
from tracker.reminders.planner import partnership_of, rules_for
from tracker.reminders.schedule import at_local_hour
from tracker.reminders.smtp import PermanentFailure, TemporaryFailure, deliver

LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 10
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=6)


def backoff(attempts: int, rng: random.Random = random) -> timedelta:
    """Wait before attempt `attempts + 1`: doubling from a minute up to six hours, with ±50% jitter."""
    delay = min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)
    return delay * rng.uniform(0.5, 1.5)


@dataclass
class BatchReport:
    messages: int = 0
    skipped: int = 0
    deferred: int = 0


def _local_midnight(now: datetime, zone: str) -> datetime:
    local = now.astimezone(ZoneInfo(zone))
    return datetime.combine(local.date(), time(), tzinfo=ZoneInfo(zone))


def batch(session: Session, settings: Settings, *, now: datetime) -> BatchReport:
    """Gather each person's due deliveries into messages (one transaction per person)."""
    report = BatchReport()
    person_ids = session.exec(
        select(Delivery.person_id).where(Delivery.status == "pending", Delivery.due_at <= now).distinct()
    ).all()
    for person_id in person_ids:
        person = session.get(Person, person_id)
        deliveries = list(
            session.exec(
                select(Delivery)
                .where(Delivery.person_id == person_id, Delivery.status == "pending", Delivery.due_at <= now)
                .order_by(Delivery.due_at, Delivery.id)
            )
        )
        if not deliveries:
            continue
        if person.reminder_mode == ReminderMode.none:
            report.skipped += _claim(session, deliveries, status="skipped", message_id=None)
            session.commit()
            continue
        if person.reminder_mode == ReminderMode.digest:
            if _had_digest_today(session, person, now):
                # At most one digest a day: these wait for tomorrow's, at the rules' local hour.
                report.deferred += _defer_to_tomorrow(session, person, deliveries, now)
                session.commit()
                continue
            groups = [deliveries]
        else:
            groups = [[delivery] for delivery in deliveries]
        for group in groups:
            if _queue(session, settings, person, group, now):
                report.messages += 1
    return report


def _defer_to_tomorrow(session: Session, person: Person, deliveries: list[Delivery], now: datetime) -> int:
    partnership_id = partnership_of(session, deliveries[0])
    hour = rules_for(session, partnership_id).local_hour if partnership_id else 8
    tomorrow = now.astimezone(ZoneInfo(person.timezone)).date() + timedelta(days=1)
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
    message = OutboxMessage(
        person_id=person.id,
        to_address=email["To"],
        subject=email["Subject"],
        message_id=email["Message-ID"],
        raw=email.as_bytes(policy=SMTP),  # CRLF line ends, as the wire wants them
        status="pending",
        next_attempt_at=now,
        created_at=now,
    )
    session.add(message)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()  # the same reminders were just queued by a concurrent sweep
        return False
    if _claim(session, deliveries, status="queued", message_id=message.id) != len(deliveries):
        session.rollback()  # someone else queued some of them: theirs stands, ours never existed
        return False
    session.commit()
    return True


@dataclass
class SendReport:
    sent: int = 0
    written: int = 0
    retrying: int = 0
    failed: int = 0


def _due_messages(session: Session, now: datetime, limit: int) -> list[int]:
    query = (
        select(OutboxMessage.id)
        .where(
            or_(
                and_(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now),
                and_(OutboxMessage.status == "sending", OutboxMessage.lease_until < now),
            )
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list(session.exec(query).all())


def _lease(session: Session, message_id: int, now: datetime) -> bool:
    result = session.exec(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            or_(
                and_(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now),
                and_(OutboxMessage.status == "sending", OutboxMessage.lease_until < now),
            ),
        )
        .values(status="sending", lease_until=now + LEASE, attempts=OutboxMessage.attempts + 1)
    )
    session.commit()
    return result.rowcount == 1


def _finish(session: Session, message: OutboxMessage, *, status: str, now: datetime, error: str | None = None):
    message.status = status
    message.last_error = error
    message.lease_until = None
    if status in ("sent", "written"):
        message.sent_at = now
    if status in ("sent", "written", "failed"):
        session.exec(
            update(Delivery).where(Delivery.message_id == message.id, Delivery.status == "queued").values(status=status)
        )
    session.commit()


def send_due(session: Session, settings: Settings, *, now: datetime, limit: int = 100) -> SendReport:
    """Send every message whose time has come; each is leased first, so no two sweepers send it."""
    report = SendReport()
    for message_id in _due_messages(session, now, limit):
        session.commit()  # release the row locks of the selection; the lease below is the real claim
        if not _lease(session, message_id, now):
            continue
        message = session.get(OutboxMessage, message_id)
        session.refresh(message)
        if not settings.smtp_host:
            write_eml(settings, message)
            _finish(session, message, status="written", now=now)
            report.written += 1
            continue
        recipient = parseaddr(message.to_address)[1]
        sender = parseaddr(settings.mail_from)[1]
        try:
            deliver(settings, message.raw, sender, recipient)
        except PermanentFailure as exc:
            _finish(session, message, status="failed", now=now, error=str(exc)[:1000])
            report.failed += 1
        except TemporaryFailure as exc:
            if message.attempts >= MAX_ATTEMPTS:
                _finish(session, message, status="failed", now=now, error=f"gave up: {exc}"[:1000])
                report.failed += 1
            else:
                message.status = "pending"
                message.lease_until = None
                message.last_error = str(exc)[:1000]
                message.next_attempt_at = now + backoff(message.attempts)
                session.commit()
                report.retrying += 1
        else:
            _finish(session, message, status="sent", now=now)
            report.sent += 1
    return report


def write_eml(settings: Settings, message: OutboxMessage) -> Path:
    """Without an SMTP server, a message is written where a newcomer can open it."""
    outbox = Path(settings.mail_outbox)
    outbox.mkdir(parents=True, exist_ok=True)
    path = outbox / f"reminder-{message.id:06d}.eml"
    path.write_bytes(message.raw)
    return path


def retry(session: Session, *, message_id: int, now: datetime) -> bool:
    """An admin asks a failed message to be tried again."""
    result = session.exec(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == "failed")
        .values(status="pending", next_attempt_at=now, attempts=0, last_error=None)
    )
    session.exec(
        update(Delivery).where(Delivery.message_id == message_id, Delivery.status == "failed").values(status="queued")
    )
    return result.rowcount == 1


def parsed(message: OutboxMessage):
    """The stored message as an email object (for pages and tests)."""
    return message_from_bytes(message.raw, policy=policy.default)

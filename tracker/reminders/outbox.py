"""The outbox: reminders gathered into messages (a daily digest or one each) and sent, each once.

Claiming works like a lock that cannot be forgotten: a conditional UPDATE (`... WHERE status = 'pending'`)
that only one sweeper's row count can win. A message is marked `sending` with a lease before it leaves;
if the process dies then, the lease expires and the message is sent again: that retry after a crash is
the one window in which a person could receive a reminder twice.
"""

import logging
import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from email import message_from_bytes, policy
from email.utils import parseaddr
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from tracker.config import Settings
from tracker.mail import sender
from tracker.models import Delivery, OutboxMessage, Person, ReminderMode
from tracker.reminders.emails import message_id_for, render_reminder
from tracker.reminders.planner import partnership_of, rules_for
from tracker.reminders.schedule import at_local_hour
from tracker.reminders.smtp import PermanentFailure, TemporaryFailure, deliver

logger = logging.getLogger("tracker.reminders")
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
    failed: int = 0


def _local_midnight(now: datetime, zone: str) -> datetime:
    local = now.astimezone(ZoneInfo(zone))
    return datetime.combine(local.date(), time(), tzinfo=ZoneInfo(zone))


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
        to_address=email["To"].addresses[0].addr_spec,
        subject=str(email["Subject"])[:300],
        message_id=email["Message-ID"],
        raw=email.as_bytes(),  # under the SMTP policy: CRLF line ends, as the wire wants them
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
    """Send every message whose time has come; each is leased first, so no two sweepers send it.

    A message that fails in a way nobody foresaw fails alone, with the reason; the others still go.
    """
    report = SendReport()
    for message_id in _due_messages(session, now, limit):
        session.commit()  # release the row locks of the selection; the lease below is the real claim
        if not _lease(session, message_id, now):
            continue
        message = session.get(OutboxMessage, message_id)
        session.refresh(message)
        try:
            outcome = _send_one(session, settings, message, now)
        except Exception as exc:  # noqa: BLE001 - never let one message stop the others
            logger.exception("message %s could not be sent", message_id)
            session.rollback()
            message = session.get(OutboxMessage, message_id)
            _finish(session, message, status="failed", now=now, error=f"{type(exc).__name__}: {exc}"[:1000])
            outcome = "failed"
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report


def _send_one(session: Session, settings: Settings, message: OutboxMessage, now: datetime) -> str:
    """Hand one leased message over (or write it out); which SendReport count it adds to."""
    if not settings.smtp_host:
        write_eml(settings, message)
        _finish(session, message, status="written", now=now)
        return "written"
    try:
        deliver(settings, message.raw, sender(settings).addr_spec, recipient_of(message))
    except PermanentFailure as exc:
        _finish(session, message, status="failed", now=now, error=str(exc)[:1000])
        return "failed"
    except TemporaryFailure as exc:
        if message.attempts >= MAX_ATTEMPTS:
            _finish(session, message, status="failed", now=now, error=f"gave up: {exc}"[:1000])
            return "failed"
        message.status = "pending"
        message.lease_until = None
        message.last_error = str(exc)[:1000]
        message.next_attempt_at = now + backoff(message.attempts)
        session.commit()
        return "retrying"
    _finish(session, message, status="sent", now=now)
    return "sent"


def recipient_of(message: OutboxMessage) -> str:
    """The envelope recipient: the stored address itself (rows queued before it was kept bare are parsed)."""
    return parseaddr(message.to_address)[1] if "<" in message.to_address else message.to_address


def write_eml(settings: Settings, message: OutboxMessage) -> Path:
    """Without an SMTP server, a message is written where a newcomer can open it."""
    outbox = Path(settings.mail_outbox)
    outbox.mkdir(parents=True, exist_ok=True)
    path = outbox / f"reminder-{message.id:06d}.eml"
    path.write_bytes(message.raw)
    return path


def retry(session: Session, *, message_id: int, now: datetime) -> bool:
    """An admin asks a failed message to be tried again (one never built is built again at the next sweep)."""
    message = session.get(OutboxMessage, message_id)
    if message is None or message.status != "failed":
        return False
    if not message.raw:
        session.exec(
            update(Delivery)
            .where(Delivery.message_id == message_id, Delivery.status == "failed")
            .values(status="pending", message_id=None)
        )
        session.delete(message)
        return True
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

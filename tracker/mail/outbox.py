"""The outbox every email leaves through: queued in the transaction that causes it, sent right after
that transaction commits (and by every sweep), each message once.

Claiming works like a lock that cannot be forgotten: a conditional UPDATE (`... WHERE status = 'pending'`)
that only one sender's row count can win. A message is marked `sending` with a lease before it leaves;
if the process dies then, the lease expires and the message is sent again: that retry after a crash is
the one window in which a person could receive an email twice. Temporary failures are retried with
growing waits; permanent ones, and anything nobody foresaw, fail that one message with the reason.
"""

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy import and_, or_, update
from sqlmodel import Session, select

from tracker.config import Settings
from tracker.mail.headers import sender
from tracker.mail.render import build
from tracker.mail.smtp import PermanentFailure, TemporaryFailure, deliver
from tracker.models import Delivery, OutboxMessage, Person

logger = logging.getLogger("tracker.mail")
LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 10
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=6)
QUEUED = "mail_queued"  # session.info: the ids this transaction queued, sent once it commits


def backoff(attempts: int, rng: random.Random = random) -> timedelta:
    """Wait before attempt `attempts + 1`: doubling from a minute up to six hours, with ±50% jitter."""
    delay = min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)
    return delay * rng.uniform(0.5, 1.5)


def enqueue(
    session: Session,
    settings: Settings,
    *,
    kind: str,
    person: Person,
    context: dict,
    partnership_id: int | None,
    now: datetime,
) -> OutboxMessage:
    """Render an email of one kind for one person and queue it (see `queue`)."""
    email = build(settings, kind=kind, person=person, context=context, date=now)
    return queue(
        session,
        kind=kind,
        email=email,
        person_id=person.id,
        partnership_id=partnership_id,
        language=str(person.language),
        now=now,
    )


def queue(
    session: Session,
    *,
    kind: str,
    email: EmailMessage,
    person_id: int | None,
    partnership_id: int | None,
    language: str,
    now: datetime,
) -> OutboxMessage:
    """An email waiting to go, stored in the caller's transaction (it leaves only if that commits).

    Raises IntegrityError when a message with the same Message-ID is already queued.
    """
    message = OutboxMessage(
        kind=kind,
        person_id=person_id,
        partnership_id=partnership_id,
        language=language,
        to_address=email["To"].addresses[0].addr_spec,
        subject=str(email["Subject"])[:300],
        message_id=email["Message-ID"],
        raw=email.as_bytes(),  # under the SMTP policy: CRLF line ends, as the wire wants them
        status="pending",
        next_attempt_at=now,
        created_at=now,
    )
    session.add(message)
    session.flush()
    session.info.setdefault(QUEUED, []).append(message.id)
    return message


@dataclass
class SendReport:
    sent: int = 0
    written: int = 0
    retrying: int = 0
    failed: int = 0


def _due_messages(session: Session, now: datetime, limit: int, only: list[int] | None) -> list[int]:
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
    if only is not None:
        query = query.where(OutboxMessage.id.in_(only))
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


def send_due(
    session: Session, settings: Settings, *, now: datetime, limit: int = 100, only: list[int] | None = None
) -> SendReport:
    """Send every message whose time has come (or those of `only`); each is leased first, so no two
    senders send it. A message that fails in a way nobody foresaw fails alone, with the reason."""
    report = SendReport()
    for message_id in _due_messages(session, now, limit, only):
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
        deliver(settings, message.raw, sender(settings).addr_spec, message.to_address)
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


def write_eml(settings: Settings, message: OutboxMessage) -> Path:
    """Without an SMTP server, a message is written where a newcomer can open it."""
    outbox = Path(settings.mail_outbox)
    outbox.mkdir(parents=True, exist_ok=True)
    path = outbox / f"{message.kind}-{message.id:06d}.eml"
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

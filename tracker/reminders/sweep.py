"""One sweep: plan what has come due, gather it into messages, send what is waiting.

Everything it needs is in the tracker's own tables, so a sweep may run every minute, after any
downtime, or twice at once by mistake, and each reminder still goes out once.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session

from tracker.config import Settings
from tracker.mail.headers import MAX_NAME, header_text
from tracker.mail.outbox import SendReport, send_due
from tracker.models import utcnow
from tracker.participants.housekeeping import drop_stale_batches
from tracker.reminders import heartbeat
from tracker.reminders.digests import BatchReport, batch
from tracker.reminders.planner import plan
from tracker.surveys.sweep import SurveyReport
from tracker.surveys.sweep import run as survey_sweep

logger = logging.getLogger("tracker.reminders")


@dataclass
class SweepReport:
    planned: int = 0
    batched: BatchReport = field(default_factory=BatchReport)
    sent: SendReport = field(default_factory=SendReport)
    stale_imports: int = 0
    surveys: SurveyReport = field(default_factory=SurveyReport)


def sweep(engine: Engine, settings: Settings, *, now: datetime | None = None) -> SweepReport:
    """Run one sweep at `now` (the real clock by default), and record on the heartbeat that it ran."""
    started_at = utcnow()
    try:
        report = _sweep(engine, settings, now=now or started_at)
    except Exception:
        heartbeat.record(engine, started_at=started_at, finished_at=utcnow(), succeeded=False)
        raise
    heartbeat.record(engine, started_at=started_at, finished_at=utcnow(), succeeded=True)
    return report


def _sweep(engine: Engine, settings: Settings, *, now: datetime) -> SweepReport:
    report = SweepReport()
    with Session(engine, expire_on_commit=False) as session:
        report.planned = len(plan(session, now=now))
        # Housekeeping rides on the sweep: sheets staged and never confirmed keep people's data for a week at most.
        report.stale_imports = drop_stale_batches(session, now=now)
        session.commit()
        report.batched = batch(session, settings, now=now)
        report.surveys = survey_sweep(session, settings, now=now)
        report.sent = send_due(session, settings, now=now)
    if report.planned or report.sent.sent or report.sent.failed or report.batched.failed:
        logger.info("reminder sweep at %s: %s", now.isoformat(), report)
    return report


def dry_run(engine: Engine, settings: Settings, *, now: datetime) -> list[dict]:
    """What a sweep at `now` would send, to whom and when; nothing is stored."""
    from sqlmodel import select

    from tracker.models import Delivery, Person

    with Session(engine) as session:
        plan(session, now=now)
        rows = session.exec(
            select(Delivery, Person)
            .join(Person, Person.id == Delivery.person_id)
            .where(Delivery.status == "pending", Delivery.due_at <= now)
            .order_by(Person.name, Delivery.due_at)
        ).all()
        found = [
            {
                # Names are shown on a terminal: no control character may reach it.
                "to": f"{header_text(person.name, MAX_NAME)} <{header_text(person.email, 254)}>",
                "mode": str(person.reminder_mode),
                "language": str(person.language),
                "item": f"{delivery.item_type} {delivery.item_id}",
                "rule": delivery.rule,
                "due_at": delivery.due_at.isoformat(),
            }
            for delivery, person in rows
        ]
        session.rollback()
    return found

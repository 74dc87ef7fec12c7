"""Reading the audit trail: a record's history, the recent changes, what changed since a version.

Each comes as a `Trail`: the events, and the records they refer to, so a page reads them in words.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, select

from tracker.audit.presenting import Trail, references
from tracker.models import AuditEvent


def _trail(session: Session, events, *, with_records: bool = False) -> Trail:
    events = list(events)
    return Trail(events, references(session, events, with_records=with_records))


def history(session: Session, *, entity: str, entity_id: int, limit: int = 50) -> Trail:
    """A record's changes, newest first."""
    return _trail(
        session,
        session.exec(
            select(AuditEvent)
            .where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id)
            .order_by(AuditEvent.id.desc())
            .limit(limit)
        ),
    )


def changes_since(session: Session, *, entity: str, entity_id: int, version: int) -> Trail:
    """What others saved after the version someone started editing from, oldest first."""
    return _trail(
        session,
        session.exec(
            select(AuditEvent)
            .where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id, AuditEvent.version > version)
            .order_by(AuditEvent.id)
        ),
    )


@dataclass(frozen=True)
class AuditFilter:
    actor_id: int | None = None
    entity: str | None = None
    date_from: date | None = None
    date_to: date | None = None


def recent(
    session: Session, *, filters: AuditFilter, start: datetime | None, end: datetime | None, limit: int, offset: int
) -> tuple[Trail, int]:
    """A page of the trail, newest first, and how many events match (start/end: UTC bounds)."""
    query = select(AuditEvent)
    if filters.actor_id:
        query = query.where(AuditEvent.actor_id == filters.actor_id)
    if filters.entity:
        query = query.where(AuditEvent.entity == filters.entity)
    if start is not None:
        query = query.where(AuditEvent.at >= start)
    if end is not None:
        query = query.where(AuditEvent.at < end)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(AuditEvent.id.desc()).limit(limit).offset(offset))
    return _trail(session, rows, with_records=True), total


def actors(session: Session) -> list[tuple[int, str]]:
    """Everyone who has changed something, for the filter."""
    rows = session.exec(
        select(AuditEvent.actor_id, func.max(AuditEvent.actor_name))
        .where(AuditEvent.actor_id.is_not(None))
        .group_by(AuditEvent.actor_id)
    ).all()
    return sorted(((row[0], row[1]) for row in rows), key=lambda pair: pair[1].lower())

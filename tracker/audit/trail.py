"""The audit trail, written by the session itself: no service can forget to record a change.

Before each flush the changed attributes of tracked records are read from SQLAlchemy's history;
after it (when new rows have ids and versions) one audit_event row per change is inserted in the
same transaction, so a change and its record stand or fall together. When a person had to say why
(a postponement, a cancellation, a moved due date), the service names the reason (`because`) before its
flush, and the events of that flush carry it.
"""

from datetime import date, datetime
from enum import Enum

from sqlalchemy import event, insert, inspect
from sqlmodel import Session

from tracker.models import (
    Activity,
    Amendment,
    AuditEvent,
    Baseline,
    Certificate,
    CooperationArea,
    DataRequest,
    Deliverable,
    Document,
    Enrollment,
    Organization,
    Participant,
    Partnership,
    PeriodSummary,
    Person,
    Registration,
    utcnow,
)

TRACKED = {
    Activity: "activity",
    Deliverable: "deliverable",
    Person: "person",
    Partnership: "partnership",
    CooperationArea: "area",
    Organization: "organization",
    Participant: "participant",
    Enrollment: "enrollment",
    Certificate: "certificate",
    Baseline: "baseline",
    Amendment: "amendment",
    PeriodSummary: "period_summary",
    Document: "document",
    Registration: "registration",
    DataRequest: "data_request",
}
# Bookkeeping that changes on every save, and nothing a trail should ever show.
IGNORED = {"id", "version", "created_at", "updated_at", "last_sign_in_at"}
SECRET = {"password_hash", "calendar_token", "public_token", "token_hash"}
ACTOR_KEY = "audit_actor"
REASON_KEY = "audit_reason"


def _plain(value):
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "id") and hasattr(value, "__table__"):
        return value.id
    return value


def _ids(items) -> list:
    return sorted(item.id for item in items if item.id is not None)


def _changes(obj, *, creating: bool) -> dict:
    state = inspect(obj)
    mapper = state.mapper
    changes = {}
    for attr in mapper.column_attrs:
        key = attr.key
        if key in IGNORED:
            continue
        history = state.attrs[key].history
        if creating:
            value = getattr(obj, key)
            if value not in (None, "", []):
                changes[key] = [None, "•••" if key in SECRET else _plain(value)]
        elif history.has_changes():
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
            if _plain(before) != _plain(after):
                changes[key] = ["•••", "•••"] if key in SECRET else [_plain(before), _plain(after)]
    for rel in mapper.relationships:
        if rel.secondary is None:
            continue  # many-to-one links show as their *_id column above
        history = state.attrs[rel.key].history
        if creating:
            ids = _ids(getattr(obj, rel.key))
            if ids:
                changes[rel.key] = [None, ids]
        elif history.has_changes():
            before = _ids([*history.unchanged, *history.deleted])
            after = _ids([*history.unchanged, *history.added])
            if before != after:
                changes[rel.key] = [before, after]
    return changes


def _snapshot(obj) -> dict:
    state = inspect(obj)
    return {
        attr.key: [_plain(getattr(obj, attr.key)), None]
        for attr in state.mapper.column_attrs
        if attr.key not in IGNORED | SECRET
    }


def _before_flush(session: Session, _context, _instances) -> None:
    pending = session.info.setdefault("audit_pending", [])
    for obj in session.new:
        if type(obj) in TRACKED:
            pending.append((obj, "create", _changes(obj, creating=True)))
    for obj in session.dirty:
        if type(obj) in TRACKED and session.is_modified(obj):
            changes = _changes(obj, creating=False)
            if changes:
                pending.append((obj, "status" if "status" in changes else "update", changes))
    for obj in session.deleted:
        if type(obj) in TRACKED:
            pending.append((obj, "delete", _snapshot(obj)))


def _after_flush(session: Session, _context) -> None:
    pending = session.info.pop("audit_pending", [])
    if not pending:
        return
    actor_id, actor_name = session.info.get(ACTOR_KEY, (None, "system"))
    # Said for this change only: the next flush records its own reason, or none.
    reason = session.info.pop(REASON_KEY, None)
    now = utcnow()
    rows = [
        {
            "at": now,
            "actor_id": actor_id,
            "actor_name": actor_name,
            "action": action,
            "entity": TRACKED[type(obj)],
            "entity_id": obj.id,
            "version": None if action == "delete" else getattr(obj, "version", None),
            "changes": changes,
            "reason": reason,
        }
        for obj, action, changes in pending
    ]
    session.connection().execute(insert(AuditEvent), rows)


def record_change(session: Session, entity: str, entity_id: int, changes: dict) -> None:
    """An update of a record kept in rows the trail does not follow (a person's memberships): one event."""
    actor_id, actor_name = session.info.get(ACTOR_KEY, (None, "system"))
    row = {
        "at": utcnow(),
        "actor_id": actor_id,
        "actor_name": actor_name,
        "action": "update",
        "entity": entity,
        "entity_id": entity_id,
        "version": None,
        "changes": changes,
        "reason": session.info.pop(REASON_KEY, None),
    }
    session.connection().execute(insert(AuditEvent), [row])


def install() -> None:
    """Record changes made through any Session (idempotent)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)
    if not event.contains(Session, "after_rollback", _forget_reason):
        event.listen(Session, "after_rollback", _forget_reason)


def act_as(session: Session, person_id: int | None, name: str) -> None:
    """Attribute this session's changes to a person."""
    session.info[ACTOR_KEY] = (person_id, name)


def because(session: Session, reason: str | None) -> None:
    """The reason for the change the next flush writes: its audit events carry it (then it is forgotten)."""
    if reason:
        session.info[REASON_KEY] = reason
    else:
        session.info.pop(REASON_KEY, None)


def _forget_reason(session: Session) -> None:
    # A change rolled back takes its reason with it: the next one must not inherit it.
    session.info.pop(REASON_KEY, None)

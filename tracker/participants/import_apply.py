"""Putting a planned import on the roster in a few statements, whatever its size.

Thousands of rows through the ORM's flush (an object, a versioned UPDATE and an audit row built per
record) took seconds; here each kind of write is one executemany. The audit trail is written the way
tracker.audit.trail writes it, one event per record created or changed, in the same transaction.
"""

from sqlalchemy import bindparam, func, insert, select, update
from sqlmodel import Session

from tracker.audit.trail import ACTOR_KEY
from tracker.models import Activity, AuditEvent, Enrollment, Participant, utcnow
from tracker.participants.import_plan import ATTENDANCE_FIELDS, PERSON_FIELDS, Known, person_after
from tracker.participants.names import full_name

PARTICIPANT_COLUMNS = (*PERSON_FIELDS, "name", "match_key")
# Core statements on the tables, not the ORM's bulk path: that one builds per-row state this needs none of.
# The roster's defaults for what a sheet does not say.
ENROLLMENT_DEFAULTS = {"status": "registered", "days_attended": None, "pre_score": None, "post_score": None,
                       "satisfaction": None}  # fmt: skip


def _event(action: str, entity: str, entity_id: int, version: int, changes: dict) -> dict:
    return {"action": action, "entity": entity, "entity_id": entity_id, "version": version, "changes": changes}


def _created(values: dict, columns) -> dict:
    return {name: [None, values[name]] for name in columns if values.get(name) not in (None, "", [])}


def apply(session: Session, *, activity: Activity, planned: list[dict], known: Known, language: str) -> None:
    """Write what `planned` (import_plan.plan) says: new people, new roster rows, and each change."""
    now = utcnow()
    events: list[dict] = []
    acting = [e for e in planned if e["action"] in ("add", "update")]
    new_people = [e for e in acting if e.get("participant_id") is None]
    people = [person_after(e, known, language) | {"created_at": now} for e in new_people]
    if people:
        ids = _new_ids(session, Participant.__table__, len(people))
        session.exec(insert(Participant.__table__), params=[v | {"id": i} for v, i in zip(people, ids, strict=True)])
        for entry, values, new_id in zip(new_people, people, ids, strict=True):
            entry["participant_id"] = new_id
            events.append(_event("create", "participant", new_id, 1, _created(values, PARTICIPANT_COLUMNS)))
    created = {id(e) for e in new_people}
    changed_people = [e for e in acting if id(e) not in created and any(c[0] in PERSON_FIELDS for c in e["changes"])]
    if changed_people:
        table = Participant.__table__
        rows = []
        for entry in changed_people:
            values = person_after(entry, known, language)
            rows.append({"_id": entry["participant_id"], **{name: values[name] for name in PARTICIPANT_COLUMNS}})
            before = known.people[entry["participant_id"]]
            changes = {c[0]: [c[1], c[2]] for c in entry["changes"] if c[0] in PERSON_FIELDS}
            if values["name"] != _name_of(before):
                changes["name"] = [_name_of(before), values["name"]]
            events.append(_event("update", "participant", entry["participant_id"], before["_version"] + 1, changes))
        _update_rows(session, table, rows, PARTICIPANT_COLUMNS)
    additions = [e for e in acting if e["action"] == "add"]
    if additions:
        rows = [
            {"activity_id": activity.id, "participant_id": e["participant_id"], "created_at": now}
            | ENROLLMENT_DEFAULTS
            | {k: v for k, v in e["attendance"].items() if v is not None}
            for e in additions
        ]
        ids = _new_ids(session, Enrollment.__table__, len(rows))
        session.exec(insert(Enrollment.__table__), params=[v | {"id": i} for v, i in zip(rows, ids, strict=True)])
        for values, new_id in zip(rows, ids, strict=True):
            columns = ("activity_id", "participant_id", *ATTENDANCE_FIELDS)
            events.append(_event("create", "enrollment", new_id, 1, _created(values, columns)))
    updates = [e for e in acting if e["action"] == "update" and any(c[0] in ATTENDANCE_FIELDS for c in e["changes"])]
    if updates:
        table = Enrollment.__table__
        rows = []
        for entry in updates:
            values = dict(known.enrollments[entry["participant_id"]])
            changes = {c[0]: [c[1], c[2]] for c in entry["changes"] if c[0] in ATTENDANCE_FIELDS}
            values |= {name: after for name, (_before, after) in changes.items()}
            rows.append({"_id": values["id"], **{name: values[name] for name in ATTENDANCE_FIELDS}})
            action = "status" if "status" in changes else "update"
            events.append(_event(action, "enrollment", values["id"], values["_version"] + 1, changes))
        _update_rows(session, table, rows, ATTENDANCE_FIELDS)
    _record(session, events, now)


def _update_rows(session: Session, table, rows: list[dict], columns) -> None:
    """Write each row's columns (rows: {"_id": id, column: value}) with one executemany, bumping its version.

    SQLite runs it in-process; psycopg sends it as one pipeline, not a round trip per row.
    """
    statement = update(table).where(table.c.id == bindparam("_id"))
    bump = {"version": table.c.version + 1}
    session.exec(statement.values({name: bindparam(name) for name in columns} | bump), params=rows)


def _new_ids(session: Session, table, count: int) -> list[int]:
    """Ids for `count` new rows, known before inserting them, so one executemany writes them all.

    RETURNING in parameter order costs SQLite one statement per row. PostgreSQL hands out sequence
    values; SQLite has one writer, and this transaction already wrote (the batch's claim), so the
    ids above the largest are ours alone until it commits.
    """
    if session.get_bind().dialect.name == "postgresql":
        sequence = select(func.nextval(func.pg_get_serial_sequence(table.name, "id"))).select_from(
            func.generate_series(1, count)
        )
        return list(session.exec(sequence).scalars())
    start = session.exec(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
    return list(range(start + 1, start + count + 1))


def _name_of(values: dict) -> str:
    return full_name(values["given_names"], values.get("surnames") or "", values.get("country") or "")


def _record(session: Session, events: list[dict], now) -> None:
    if not events:
        return
    actor_id, actor_name = session.info.get(ACTOR_KEY, (None, "system"))
    session.exec(
        insert(AuditEvent.__table__),
        params=[e | {"at": now, "actor_id": actor_id, "actor_name": actor_name} for e in events],
    )

"""The sweep's heartbeat: one row saying when a sweep last ran, how long it took and whether it succeeded.

It is written by whichever process sweeps (`tracker scheduler`, or `tracker serve` with the scheduler on) and
read by every web worker: /healthz notices a sweep that has stopped, /metrics shows its duration and lag.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from tracker.models import SweepHeartbeat

_TABLE = SweepHeartbeat.__table__
_INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def record(engine: Engine, *, started_at: datetime, finished_at: datetime, succeeded: bool) -> None:
    """Count one sweep, in a transaction of its own (a failed sweep's own transaction is rolled back)."""
    values = {
        "started_at": started_at,
        "finished_at": finished_at,
        "duration_seconds": (finished_at - started_at).total_seconds(),
    }
    if succeeded:
        values["succeeded_at"] = finished_at
    insert = _INSERTS[engine.dialect.name](_TABLE).values(id=1, runs=1, failures=0 if succeeded else 1, **values)
    counts = {"runs": _TABLE.c.runs + 1, "failures": _TABLE.c.failures + (0 if succeeded else 1)}
    with engine.begin() as conn:
        conn.execute(insert.on_conflict_do_update(index_elements=[_TABLE.c.id], set_={**values, **counts}))


@dataclass(frozen=True)
class Beat:
    started_at: datetime
    finished_at: datetime | None
    duration_seconds: float
    succeeded_at: datetime | None
    runs: int
    failures: int


def last(conn: Connection) -> Beat | None:
    """The last sweep's record, or None before the first sweep ever."""
    row = conn.execute(select(_TABLE).where(_TABLE.c.id == 1)).mappings().first()
    return None if row is None else Beat(**{key: row[key] for key in Beat.__dataclass_fields__})

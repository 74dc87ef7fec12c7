"""The data version: one number that changes whenever a commit changes what pages show.

Page caches key their entries on it instead of asking the data. Every commit that wrote to a table
outside BOOKKEEPING adds one to the single row of `data_version`, as its last statement (so the row
lock, on PostgreSQL, is held for an instant and always taken last). A process learns of its own
commits at once and of other processes' within a second: `VersionWatch` re-reads the row when its
copy is older than that, and otherwise answers from memory, with no database round trip.
"""

import asyncio
import threading
import time
from collections.abc import Callable

from sqlalchemy import event, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from tracker.models import (
    ApiToken,
    AuditEvent,
    DataVersion,
    Delivery,
    ImportBatch,
    ImportLayout,
    OneTimeToken,
    OutboxMessage,
    Person,
    SignInAttempt,
    UserSession,
)

# Tables whose writes no page of progress shows: sign-ins, tokens, reminders in flight, import drafts.
BOOKKEEPING = frozenset(
    model.__tablename__
    for model in (
        ApiToken,
        AuditEvent,
        DataVersion,
        Delivery,
        ImportBatch,
        ImportLayout,
        OneTimeToken,
        OutboxMessage,
        SignInAttempt,
        UserSession,
    )
)
# Sign-ins remembered in memory (tracker.auth) are forgotten when these change: sign-out, roles.
ACCOUNTS = frozenset({UserSession.__tablename__, Person.__tablename__})
_CHANGED, _BUMPED, _ACCOUNTS = "data_version_changed", "data_version_bumped", "accounts_changed"

# Commits of this process that bumped the version; a watch whose copy predates one re-reads.
_generation = 0
# Commits of this process that changed a session or a person.
_accounts_generation = 0
_lock = threading.Lock()


def generation() -> int:
    return _generation


def accounts_generation() -> int:
    return _accounts_generation


def note_change() -> None:
    """This process changed the data: every watch re-reads the version before its next answer."""
    global _generation
    with _lock:
        _generation += 1


def bump(connection: Connection) -> None:
    """Add one to the version, inside the caller's transaction."""
    done = connection.execute(update(DataVersion).where(DataVersion.id == 1).values(value=DataVersion.value + 1))
    if done.rowcount == 0:  # a database built without migrations, or emptied by hand
        connection.execute(insert(DataVersion).values(id=1, value=1))


def read(connection: Connection) -> int:
    return connection.execute(select(DataVersion.value).where(DataVersion.id == 1)).scalar() or 0


def _note_tables(session: Session, tables: set) -> None:
    if not tables or tables - BOOKKEEPING:  # a statement on no mapped class counts as a change
        session.info[_CHANGED] = True
    if not tables or tables & ACCOUNTS:
        session.info[_ACCOUNTS] = True


def _after_flush(session: Session, _context) -> None:
    # Still the flush's own lists here: what was inserted, changed or deleted.
    objects = (*session.new, *session.dirty, *session.deleted)
    if objects:
        _note_tables(session, {type(obj).__tablename__ for obj in objects})


def _on_statement(state) -> None:
    # Bulk INSERT / UPDATE / DELETE statements skip the flush.
    if state.is_insert or state.is_update or state.is_delete:
        _note_tables(state.session, {getattr(m.class_, "__tablename__", None) for m in state.all_mappers} - {None})


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the outermost commit decides
    session.flush()  # what the commit would flush anyway, so the bump below is the last statement
    if session.info.pop(_CHANGED, False) and not session.info.get(_BUMPED):
        bump(session.connection())
        session.info[_BUMPED] = True


def _after_commit(session: Session) -> None:
    global _accounts_generation
    if session.info.pop(_BUMPED, False):
        note_change()
    if session.info.pop(_ACCOUNTS, False):
        with _lock:
            _accounts_generation += 1


def _after_rollback(session: Session) -> None:
    for key in (_CHANGED, _BUMPED, _ACCOUNTS):
        session.info.pop(key, None)


def install() -> None:
    """Count changes on every Session (idempotent)."""
    for name, hook in (
        ("after_flush", _after_flush),
        ("do_orm_execute", _on_statement),
        ("before_commit", _before_commit),
        ("after_commit", _after_commit),
        ("after_rollback", _after_rollback),
    ):
        if not event.contains(Session, name, hook):
            event.listen(Session, name, hook)


class VersionWatch:
    """The data version as this process knows it: from memory, re-read at most every `max_age` seconds
    (and right after this process's own commits)."""

    def __init__(self, engine: Engine, max_age: float = 1.0, clock: Callable[[], float] = time.monotonic):
        self._engine, self._max_age, self._clock = engine, max_age, clock
        self._value, self._read_at, self._generation = 0, float("-inf"), -1
        self._reading = None  # the read in flight: requests arriving meanwhile wait for it

    def known(self) -> int | None:
        """The version if the copy in memory is fresh enough, else None."""
        if self._generation == _generation and self._clock() - self._read_at < self._max_age:
            return self._value
        return None

    def refresh(self) -> int:
        """Read the version from the database (blocking)."""
        seen = _generation  # taken first: a commit landing during the read forces another read
        with self._engine.connect() as connection:
            value = read(connection)
        self._value, self._read_at, self._generation = value, self._clock(), seen
        return value

    async def current(self) -> int:
        known = self.known()
        if known is not None:
            return known
        if self._reading is None:
            self._reading = asyncio.ensure_future(run_in_threadpool(self.refresh))
            self._reading.add_done_callback(self._read_done)
        return await asyncio.shield(self._reading)

    def _read_done(self, _future) -> None:
        self._reading = None

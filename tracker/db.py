"""Engine factory, the request's session (SessionDep) and SQLite pragmas."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine
from starlette.concurrency import run_in_threadpool

from tracker.search import fold


def normalize_url(url: str) -> str:
    """Let people write postgresql://… and still get the psycopg 3 driver."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Reads through a memory map rather than a system call per page, and a larger page cache.
    cursor.execute("PRAGMA mmap_size=268435456")
    cursor.execute("PRAGMA cache_size=-32000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Build the engine for a database URL, with SQLite made safe for a web server."""
    url = normalize_url(url)
    if url.startswith("sqlite"):
        path = make_url(url).database
        pool = {}
        if path and path != ":memory:":
            from pathlib import Path

            Path(path).parent.mkdir(parents=True, exist_ok=True)
            # Room for every worker thread at once (opening a connection runs the pragmas again), and
            # the connection used last handed out first: its page cache is the warmest.
            pool = {"pool_size": 20, "max_overflow": 20, "pool_use_lifo": True}
        engine = create_engine(url, connect_args={"check_same_thread": False}, **pool)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # Sessions in UTC whatever the server's default: the driver can then read every stored instant,
    # even year 1 (in a zone west of UTC it would not fit the type, and every page showing it would fail).
    return create_engine(
        url, pool_pre_ping=True, pool_size=10, max_overflow=10, connect_args={"options": "-c timezone=UTC"}
    )


def install_session_hooks() -> None:
    """What every Session does by itself: write the audit trail, count changes for page caches, hand
    the mail a transaction queued to the courier once it commits, and keep records' search text current."""
    from tracker import data_version, search
    from tracker.audit import trail
    from tracker.mail import courier

    trail.install()
    search.install()
    data_version.install()
    courier.install()


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session per request; the request owns the transaction.

    Opening a Session costs no I/O, so it is made on the event loop; it is closed in a worker thread
    only when it holds a connection (closing gives it back to the pool: a rollback, a round trip).
    """
    session = Session(request.app.state.engine, expire_on_commit=False)
    # What the app's session hooks need besides the data (the courier that sends mail after commit).
    session.info.update(request.app.state.session_info)
    try:
        yield session
    finally:
        if session.in_transaction():
            await run_in_threadpool(session.close)
        else:
            session.close()


SessionDep = Annotated[Session, Depends(get_session)]


def contains(search_column, needle: str):
    """A record's folded search text (see tracker.search) contains the needle, whatever its accents and
    case; LIKE's wildcards in the needle are taken literally."""
    escaped = fold(needle).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return search_column.like(f"%{escaped}%", escape="\\")

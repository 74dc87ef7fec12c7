"""SQLite through its online backup API: a consistent copy while the tracker writes, and a restore that
replaces the database in one transaction."""

import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from tracker.backups import BackupError
from tracker.backups.manifest import Snapshot, describe

DUMP_NAME = "database.sqlite3"
BUSY_MS = 30_000  # how long to wait for the tracker's writers to let go


def database_path(url: str) -> Path:
    """The file of a SQLite URL."""
    name = make_url(url).database
    if not name or name == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(name)


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=BUSY_MS / 1000)
    connection.execute(f"PRAGMA busy_timeout={BUSY_MS}")
    return connection


def dump(url: str, target: Path) -> Snapshot:
    """Copy the database to `target` and describe the copy (so the description is the snapshot's own)."""
    source_path = database_path(url)
    if not source_path.is_file():
        raise BackupError(f"there is no database at {source_path}")
    try:
        with closing(_connect(source_path)) as source, closing(sqlite3.connect(target)) as copy:
            # All pages in one step: one read transaction, so one consistent state, what the WAL holds
            # included; the tracker's writers carry on meanwhile (WAL lets readers and writers overlap).
            source.backup(copy)
            # One self-contained file in the archive, with no -wal beside it.
            copy.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as exc:
        raise BackupError(f"could not copy the SQLite database {source_path}: {exc}") from None
    return snapshot_of(target)


def snapshot_of(path: Path) -> Snapshot:
    """What a SQLite database file holds."""
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            return describe(connection)
    finally:
        engine.dispose()


def check(path: Path) -> None:
    """Refuse a database file SQLite finds damaged."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
            result = connection.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.Error as exc:
        raise BackupError(f"the database in the archive is unreadable: {exc}") from None
    if result != "ok":
        raise BackupError(f"the database in the archive is damaged: {result}")


def load(dump_path: Path, url: str) -> None:
    """Replace the database at `url` with the dump, in one write transaction: a reader sees the old
    database or the new one, and the target's -wal is SQLite's to handle, never a stale file left beside it."""
    check(dump_path)
    target_path = database_path(url)
    target_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with closing(sqlite3.connect(f"file:{dump_path}?mode=ro", uri=True)) as source:
            with closing(_connect(target_path)) as target:
                source.backup(target)
    except sqlite3.Error as exc:
        raise BackupError(f"could not write the SQLite database {target_path}: {exc}") from None

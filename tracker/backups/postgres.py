"""PostgreSQL through `pg_dump --format=custom` (a consistent snapshot by design) and `pg_restore`."""

import os
import shutil
import subprocess
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError

from tracker.backups import BackupError
from tracker.backups.manifest import Snapshot, describe
from tracker.db import normalize_url

DUMP_NAME = "database.pgdump"
# Run before the restored objects, in the same transaction: whatever the database held goes (tables a
# newer schema added included) or, if anything fails, stays as it was.
EMPTY_SCHEMA = "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;"


def libpq(url: str) -> tuple[str, dict]:
    """The URL as the PostgreSQL tools take it, and their environment: the password goes in PGPASSWORD,
    never on a command line others can read."""
    parsed = make_url(url)
    # URL.set() keeps a password given None: a new URL without it.
    bare = URL.create("postgresql", parsed.username, None, parsed.host, parsed.port, parsed.database, parsed.query)
    uri = bare.render_as_string(hide_password=False)
    env = dict(os.environ)
    if parsed.password is not None:
        env["PGPASSWORD"] = str(parsed.password)
    return uri, env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed: install PostgreSQL's client tools of the server's major version "
            "(Debian: apt-get install postgresql-client)"
        )
    return path


def _engine(url: str):
    return create_engine(normalize_url(url), connect_args={"options": "-c timezone=UTC"})


def dump(url: str, target: Path) -> Snapshot:
    """Dump the database to `target` and describe exactly the state the dump holds."""
    pg_dump = _tool("pg_dump")
    uri, env = libpq(url)
    engine = _engine(url)
    try:
        with engine.connect() as connection:
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                # The dump and the description read the same snapshot: this transaction's, exported and
                # held open until pg_dump is done.
                snapshot_id = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
                described = describe(connection)
                _run([pg_dump, "--format=custom", f"--snapshot={snapshot_id}", f"--file={target}", f"--dbname={uri}"],
                     env=env, failed="pg_dump failed")  # fmt: skip
    except SQLAlchemyError as exc:
        raise BackupError(f"could not read the database: {exc.orig or exc}") from None
    finally:
        engine.dispose()
    return described


def _run(command: list[str], *, env: dict, failed: str) -> None:
    result = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{failed}: {result.stderr.strip() or f'exit status {result.returncode}'}")


def check(dump_path: Path) -> None:
    """Refuse a dump pg_restore cannot read."""
    _run(
        [_tool("pg_restore"), "--list", str(dump_path)], env=dict(os.environ), failed="pg_restore cannot read the dump"
    )


def load(dump_path: Path, url: str) -> None:
    """Replace everything in the database's public schema with the dump, in one transaction.

    pg_restore first turns the whole dump into SQL (without owners or privileges: the target's roles may
    differ); only a complete script is then run by psql, after emptying the schema, all or nothing.
    """
    pg_restore, psql = _tool("pg_restore"), _tool("psql")
    uri, env = libpq(url)
    script = dump_path.with_suffix(".sql")
    _run(
        [pg_restore, "--no-owner", "--no-acl", f"--file={script}", str(dump_path)], env=env, failed="pg_restore failed"
    )
    try:
        _run([psql, "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--single-transaction",
              f"--command={EMPTY_SCHEMA}", f"--file={script}", f"--dbname={uri}"],
             env=env, failed="the restore failed and the database is unchanged")  # fmt: skip
    finally:
        script.unlink(missing_ok=True)

"""Upgrade a copy of a production-sized database: the 100× dataset taken back a few revisions, then brought
forward by `tracker db upgrade` exactly as an administrator runs it.

Run: .venv/bin/python benchmarks/upgrade.py [DATABASE_URL] [--scale hundred] [--back 3]
(default: a throwaway SQLite file). Exits non-zero when the upgrade fails, leaves the schema unlike the models,
leaves an `_alembic_tmp_*` table, or changes how many rows a table holds.
"""

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from benchmarks.dataset import build
from tracker.db import make_engine
from tracker.migrate import alembic_config

COUNTED = ("partnership", "activity", "deliverable", "participant", "enrollment", "person")


def counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    with engine.connect() as conn:
        found = {table: conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() for table in COUNTED}
    engine.dispose()
    return found


def copy_of(url: str) -> str:
    """A copy of the database, as an administrator would rehearse an upgrade on one."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        import sqlite3

        target = Path(parsed.database).with_name("copy.db")
        with sqlite3.connect(parsed.database) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
        return f"sqlite:///{target}"
    name = f"{parsed.database}_copy_{secrets.token_hex(3)}"
    server = make_engine(url).execution_options(isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name} TEMPLATE {parsed.database}"))
    server.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


def drop_copy(url: str) -> None:
    """A PostgreSQL copy is a database of its own on the server: not left behind (a file copy goes with its folder)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return
    server = make_engine(url.replace(f"/{parsed.database}", "/postgres")).execution_options(
        isolation_level="AUTOCOMMIT"
    )
    with server.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {parsed.database} WITH (FORCE)"))
    server.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", nargs="?", default=f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}")
    parser.add_argument("--scale", default="hundred", choices=("realistic", "hundred"))
    parser.add_argument("--back", type=int, default=3, help="revisions to take the dataset back before upgrading")
    args = parser.parse_args()

    started = time.perf_counter()
    build(args.url, args.scale)
    command.downgrade(alembic_config(args.url), f"-{args.back}")
    print(f"{args.scale} dataset built and taken back {args.back} revisions in {time.perf_counter() - started:.0f} s")
    before = counts(args.url)
    copy = copy_of(args.url)

    started = time.perf_counter()
    env = {**os.environ, "TRACKER_DATABASE_URL": copy}
    done = subprocess.run([Path(sys.executable).with_name("tracker"), "db", "upgrade"], env=env, check=False)
    seconds = time.perf_counter() - started
    problems = []
    if done.returncode:
        problems.append(f"`tracker db upgrade` exited {done.returncode}")
    else:
        try:
            command.check(alembic_config(copy))
        except Exception as exc:  # noqa: BLE001 - reported, then the run fails
            problems.append(f"schema differs from the models: {exc}")
        engine = make_engine(copy)
        leftovers = [name for name in inspect(engine).get_table_names() if name.startswith("_alembic_tmp")]
        engine.dispose()
        if leftovers:
            problems.append(f"left behind: {leftovers}")
        after = counts(copy)
        if after != before:
            problems.append(f"row counts changed: {before} → {after}")
    rows = ", ".join(f"{n:,} {table}" for table, n in before.items())
    print(f"{make_url(copy).get_backend_name()}: upgraded {args.back} revisions over {rows} in {seconds:.1f} s")
    for problem in problems:
        print(f"FAILED: {problem}")
    drop_copy(copy)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()

"""Alembic environment: one metadata (tracker.models), batch mode for SQLite."""

from alembic import context
from sqlmodel import SQLModel

import tracker.models  # noqa: F401 - registers every table on SQLModel.metadata
from tracker.config import Settings
from tracker.db import make_engine, normalize_url

config = context.config
url = config.attributes.get("database_url") or normalize_url(Settings().database_url)


def run_offline() -> None:
    context.configure(url=url, target_metadata=SQLModel.metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(url)
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()

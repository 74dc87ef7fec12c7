"""Alembic environment: one metadata (tracker.models), batch mode for SQLite, every upgrade one transaction."""

from alembic import context
from sqlalchemy import event
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


def _sqlite_migration_connection(dbapi_connection, _record) -> None:
    # Batch mode rebuilds a table by copy-and-drop; with foreign keys enforced, dropping a table that
    # others point at fails. Off for the migration (it must be set outside a transaction), checked after.
    dbapi_connection.execute("PRAGMA foreign_keys=OFF")
    # Python's sqlite3 opens a transaction before INSERT and UPDATE but not before CREATE, DROP or ALTER,
    # so a failed table rebuild used to leave its `_alembic_tmp_*` copy behind. The driver stops managing
    # transactions and the engine says BEGIN itself: the whole upgrade is then one transaction.
    dbapi_connection.isolation_level = None


def _begin(connection) -> None:
    connection.exec_driver_sql("BEGIN")


def run_online() -> None:
    engine = make_engine(url)
    sqlite = engine.dialect.name == "sqlite"
    if sqlite:
        event.listen(engine, "connect", _sqlite_migration_connection)
        event.listen(engine, "begin", _begin)
    try:
        with engine.connect() as connection:
            # All revisions in one transaction (transaction_per_migration is off): all of them or none.
            context.configure(
                connection=connection, target_metadata=SQLModel.metadata, render_as_batch=True, compare_type=True
            )
            with context.begin_transaction():
                context.run_migrations()
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"the migration left rows pointing nowhere: {broken[:5]}")
    finally:
        # This engine's connections have foreign keys off: none of them may serve anything else.
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()

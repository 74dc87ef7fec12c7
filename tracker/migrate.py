"""Alembic, driven from code: the schema is always brought up by real migrations."""

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from tracker.config import ROOT
from tracker.db import make_engine, normalize_url


def alembic_config(database_url: str) -> Config:
    """Alembic's configuration for a database, independent of the working directory."""
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["database_url"] = normalize_url(database_url)
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Migrate the database to `revision` (the newest by default)."""
    command.upgrade(alembic_config(database_url), revision)


def revisions(database_url: str) -> tuple[frozenset[str], frozenset[str]]:
    """The database's current revisions and the newest ones (equal when it is up to date; empty if never migrated)."""
    config = alembic_config(database_url)
    heads = frozenset(ScriptDirectory.from_config(config).get_heads())
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            current = frozenset(MigrationContext.configure(connection).get_current_heads())
    finally:
        engine.dispose()
    return current, heads

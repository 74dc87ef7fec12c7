"""Alembic, driven from code: the schema is always brought up by real migrations."""

from alembic import command
from alembic.config import Config

from tracker.config import ROOT
from tracker.db import normalize_url


def alembic_config(database_url: str) -> Config:
    """Alembic's configuration for a database, independent of the working directory."""
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["database_url"] = normalize_url(database_url)
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Migrate the database to `revision` (the newest by default)."""
    command.upgrade(alembic_config(database_url), revision)

"""What a backup says about itself, and what a database snapshot holds: its schema revision, the rows
of every table and the stored files it names."""

import json
from dataclasses import asdict, dataclass, field
from importlib import metadata

from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util.exc import CommandError
from sqlalchemy import func, inspect, select, table, text
from sqlalchemy.engine import Connection

from tracker.backups import BackupError
from tracker.migrate import alembic_config

FORMAT = 1
MANIFEST = "manifest.json"
# Tables whose counts the commands print; every table is counted and checked.
MAIN_TABLES = (
    "partnership",
    "cooperation_area",
    "activity",
    "deliverable",
    "person",
    "participant",
    "enrollment",
    "document",
    "stored_file",
    "certificate",
    "audit_event",
)


@dataclass(frozen=True)
class Snapshot:
    """A database as one transaction saw it."""

    revision: str | None
    counts: dict[str, int]
    files: list[tuple[str, int]]  # (sha256, size) of every stored_file row


def describe(connection: Connection) -> Snapshot:
    """The schema revision, the rows of each table and the stored files, as this connection sees them."""
    names = sorted(inspect(connection).get_table_names())
    counts = {
        name: connection.execute(select(func.count()).select_from(table(name))).scalar_one()
        for name in names
        if name != "alembic_version"
    }
    revision = None
    if "alembic_version" in names:
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    files = []
    if "stored_file" in names:
        files = [tuple(row) for row in connection.execute(text("SELECT sha256, size FROM stored_file ORDER BY sha256"))]
    return Snapshot(revision=revision, counts=counts, files=files)


def tracker_version() -> str:
    """The installed tracker's version."""
    try:
        return metadata.version("mou-tracker")
    except metadata.PackageNotFoundError:
        return "unknown"


@dataclass
class Manifest:
    """manifest.json: what made the archive, when, and what it holds."""

    tracker_version: str
    alembic_revision: str
    database_kind: str  # "sqlite" or "postgresql"
    created_at: str  # ISO 8601, UTC
    database: dict  # {"name", "size", "sha256"} of the dump in the archive
    counts: dict[str, int]
    files: list[dict] = field(default_factory=list)  # {"sha256", "size"} of each file in the archive
    # Files the database names that were absent (or not their SHA-256) in the file store at backup time.
    missing: list[str] = field(default_factory=list)
    format: int = FORMAT

    def to_json(self) -> bytes:
        """The manifest as written into the archive."""
        return json.dumps(asdict(self), indent=2, sort_keys=True).encode()

    @classmethod
    def from_json(cls, data: bytes) -> "Manifest":
        """Read a manifest, refusing one this tracker cannot understand."""
        try:
            fields = json.loads(data)
            if fields.get("format") != FORMAT:
                raise BackupError(
                    f"the archive is in backup format {fields.get('format')!r}; this tracker reads {FORMAT}"
                )
            manifest = cls(**fields)
        except (ValueError, TypeError, AttributeError) as exc:
            raise BackupError(f"the backup's manifest is unreadable ({exc})") from None
        shapes = (
            isinstance(manifest.database, dict)
            and isinstance(manifest.counts, dict)
            and all(isinstance(item, dict) and isinstance(item.get("sha256"), str) for item in manifest.files)
        )
        if not shapes:
            raise BackupError("the backup's manifest is unreadable (unexpected contents)")
        return manifest

    def main_counts(self) -> str:
        """`partnership 1, activity 12, …` for the main tables."""
        return ", ".join(f"{name} {self.counts[name]}" for name in MAIN_TABLES if name in self.counts)


def revision_status(revision: str | None) -> str:
    """Whether a backup's schema revision is this tracker's ("current") or "older"; refuses a newer one."""
    if not revision:
        raise BackupError("the backup has no schema revision: it is not of a migrated tracker database")
    scripts = _scripts()
    heads = scripts.get_heads()
    try:
        # Alembic also resolves a prefix: only the whole identifier is this tracker's revision.
        known = getattr(scripts.get_revision(revision), "revision", None) == revision
    except (CommandError, RevisionError):
        known = False
    if not known:
        raise BackupError(
            f"the backup's schema revision {revision} is newer than this tracker's ({', '.join(heads)}), "
            "restore it with the tracker version that made it, or upgrade the tracker first"
        )
    return "current" if revision in heads else "older"


def head_revision() -> str:
    """This tracker's newest schema revision."""
    return ", ".join(_scripts().get_heads())


def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config("sqlite://"))

"""`backup` and `restore`: the database and the stored files, into one archive and back."""

import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from tracker.backups import BackupError, archive, postgres, sqlite
from tracker.backups.manifest import (
    MAIN_TABLES,
    MANIFEST,
    Manifest,
    Snapshot,
    describe,
    head_revision,
    revision_status,
    tracker_version,
)
from tracker.config import Settings
from tracker.db import make_engine, normalize_url

KINDS = {"sqlite": sqlite, "postgresql": postgres}
# Written by migrations themselves: a database that holds only these is empty.
SCHEMA_TABLES = frozenset({"data_version"})


def file_size(size: float) -> str:
    """`1.4 MB`."""
    if size < 1000:
        return f"{int(size)} bytes"
    for unit in ("kB", "MB", "GB", "TB"):
        size /= 1000
        if size < 1000 or unit == "TB":
            break
    return f"{size:.1f} {unit}"


def database_kind(url: str) -> str:
    """Which kind of database a URL names: sqlite or postgresql."""
    kind = make_url(normalize_url(url)).get_backend_name()
    if kind not in KINDS:
        raise BackupError(f"backups cover SQLite and PostgreSQL databases, not {kind}")
    return kind


@dataclass(frozen=True)
class BackupReport:
    """What `backup` wrote."""

    path: Path
    size: int
    manifest: Manifest

    def lines(self) -> list[str]:
        """What the command prints."""
        manifest = self.manifest
        stored = sum(item["size"] for item in manifest.files)
        lines = [
            f"Wrote {self.path} ({file_size(self.size)}).",
            f"  database: {manifest.database_kind} at schema revision {manifest.alembic_revision}, "
            f"{sum(manifest.counts.values())} rows in {len(manifest.counts)} tables",
            f"  rows: {manifest.main_counts()}",
            f"  stored files: {len(manifest.files)} ({file_size(stored)})",
        ]
        if manifest.missing:
            lines.append(
                f"  WARNING: {len(manifest.missing)} stored files the database names are missing or damaged in the "
                f"file store and are not in the backup: {', '.join(manifest.missing[:5])}"
            )
        return lines


def backup(settings: Settings, path: Path) -> BackupReport:
    """Write one archive at `path`: the database as one consistent snapshot and every stored file it
    names. Safe while the tracker serves; `path` appears only once the archive is complete."""
    path = Path(path)
    if path.is_dir():
        raise BackupError(f"{path} is a folder: name the archive to write, e.g. {path / 'tracker.tar.gz'}")
    kind = database_kind(settings.database_url)
    database = KINDS[kind]
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".tracker-backup-") as staging:
        dump = Path(staging) / database.DUMP_NAME
        snapshot = database.dump(settings.database_url, dump)
        if not snapshot.revision:
            raise BackupError("the database has no schema revision: it is not a tracker database yet")
        created_at = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        with archive.writing(path) as tar:
            archive.add_path(tar, dump, database.DUMP_NAME)
            # Files only after the snapshot: the tracker stores a file before it commits the row that
            # names it, so every file the snapshot names is already in the store now.
            files, missing = archive.add_stored_files(tar, settings.files_dir, snapshot.files)
            manifest = Manifest(
                tracker_version=tracker_version(),
                alembic_revision=snapshot.revision,
                database_kind=kind,
                created_at=created_at,
                database={"name": database.DUMP_NAME, "size": dump.stat().st_size,
                          "sha256": archive.sha256_of_file(dump)},
                counts=snapshot.counts,
                files=files,
                missing=missing,
            )  # fmt: skip
            archive.add_bytes(tar, MANIFEST, manifest.to_json())
    return BackupReport(path=path, size=path.stat().st_size, manifest=manifest)


@contextmanager
def _connected(url: str):
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            yield connection
    except SQLAlchemyError as exc:
        raise BackupError(f"cannot read the database: {getattr(exc, 'orig', None) or exc}") from None
    finally:
        engine.dispose()


def current_snapshot(url: str) -> Snapshot | None:
    """What the database holds now (None for a SQLite file that does not exist yet)."""
    if database_kind(url) == "sqlite" and not sqlite.database_path(url).exists():
        return None
    with _connected(url) as connection:
        return describe(connection)


def rows_held(url: str) -> dict[str, int]:
    """The tables of the database that hold rows (besides what migrations write)."""
    snapshot = current_snapshot(url)
    if snapshot is None:
        return {}
    return {name: count for name, count in snapshot.counts.items() if count and name not in SCHEMA_TABLES}


@dataclass(frozen=True)
class RestoreReport:
    """What `restore` put back."""

    manifest: Manifest
    revision: str  # "current", or "older" than this tracker's schema (run `tracker db upgrade`)
    counts: dict[str, int]
    files: int

    def lines(self, path: Path, url: str, files_dir: Path) -> list[str]:
        """What the command prints."""
        manifest = self.manifest
        lines = [
            f"Restored {path} (made {manifest.created_at} by tracker {manifest.tracker_version}) into "
            f"{make_url(url).render_as_string(hide_password=True)}.",
            f"  rows match the backup: {sum(self.counts.values())} in {len(self.counts)} tables; "
            f"{manifest.main_counts()}",
            f"  stored files: {self.files} put back into {files_dir}, each checked against its SHA-256",
        ]
        if manifest.missing:
            lines.append(f"  WARNING: {len(manifest.missing)} stored files were already missing when it was made")
        if self.revision == "older":
            lines.append(
                f"The backup's schema (revision {manifest.alembic_revision}) is older than this tracker's "
                f"({head_revision()}): run `tracker db upgrade` before serving (`tracker serve` also does it)."
            )
        return lines


def restore(settings: Settings, path: Path, *, force: bool = False) -> RestoreReport:
    """Replace the database with the archive's and put its stored files back, each checked; refuses a
    database that holds data unless `force`. Run it with the tracker stopped."""
    path = Path(path)
    url = settings.database_url
    kind = database_kind(url)
    if not path.is_file():
        raise BackupError(f"there is no backup at {path}")
    held = rows_held(url)
    if held and not force:
        shown = ", ".join(f"{name} {held[name]}" for name in MAIN_TABLES if name in held)
        shown = shown or f"{sum(held.values())} rows"
        raise BackupError(f"the database already holds data ({shown}); restore with --force to replace it")
    files_dir = Path(settings.files_dir)
    files_dir.mkdir(parents=True, exist_ok=True)
    # Staged beside the file store, so that putting each file in place is a rename.
    with tempfile.TemporaryDirectory(dir=files_dir.parent, prefix=".tracker-restore-") as staging:
        unpacked = archive.unpack(path, Path(staging), frozenset(module.DUMP_NAME for module in KINDS.values()))
        manifest = unpacked.manifest
        if manifest.database_kind != kind:
            raise BackupError(
                f"the backup is of a {manifest.database_kind} database and TRACKER_DATABASE_URL names a {kind} one"
            )
        status = revision_status(manifest.alembic_revision)
        database = KINDS[kind]
        database.check(unpacked.database)
        # The files first, as the tracker itself writes them: once the database is back, every file it
        # names is in the store.
        for sha256, staged in unpacked.files.items():
            target = files_dir / sha256[:2] / sha256[2:]
            target.parent.mkdir(exist_ok=True)
            os.replace(staged, target)
        database.load(unpacked.database, url)
    restored = current_snapshot(url)
    differ = sorted(
        f"{name} {manifest.counts.get(name, 0)} in the backup, {restored.counts.get(name, 0)} restored"
        for name in manifest.counts.keys() | restored.counts.keys()
        if manifest.counts.get(name, 0) != restored.counts.get(name, 0)
    )
    if differ or restored.revision != manifest.alembic_revision:
        raise BackupError(f"the restored database does not match the backup: {'; '.join(differ) or 'revision'}")
    return RestoreReport(manifest=manifest, revision=status, counts=restored.counts, files=len(unpacked.files))

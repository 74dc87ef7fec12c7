"""Backups that restore: `tracker backup` taken while people write, the database and the files wiped,
`tracker restore`, and the same pages, counts and documents come back; archives that are cut short, made
by a newer tracker or aimed at a database that holds data are refused, and nothing is touched.

Each test works on databases of its own, of the suite's kind (SQLite files, or PostgreSQL databases
created on the suite's server and dropped afterwards), never on the suite's database.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import threading
import time
import uuid
from contextlib import closing
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, inspect, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, select
from typer.testing import CliRunner

from tests.conftest import SLUG, activity_input, signed_in
from tests.documents.conftest import pdf_bytes, png_bytes
from tracker.accounts import service as account_service
from tracker.activities import service as activity_service
from tracker.activities.schemas import ActivityIn
from tracker.app import create_app
from tracker.auth import SESSION_COOKIE
from tracker.backups import postgres
from tracker.cli import app as cli
from tracker.config import DEFAULT_SEED, Settings
from tracker.db import install_session_hooks, make_engine, normalize_url
from tracker.deliverables import service as deliverable_service
from tracker.deliverables.schemas import DeliverableIn
from tracker.documents import service as document_service
from tracker.migrate import alembic_config, upgrade
from tracker.models import Activity, Document, Enrollment, Participant, Partnership, StoredFile
from tracker.participants import service as participant_service
from tracker.participants.schemas import EnrollmentIn, ParticipantIn
from tracker.partnerships.seed import load_seed, read_seed
from tracker.storage import LocalFileStore, sha256_of

SERVER = os.environ.get("TRACKER_TEST_DATABASE_URL")
runner = CliRunner()
# Tables the writer during the backup leaves alone: they must come back exactly as they were.
UNTOUCHED = ("partnership", "cooperation_area", "activity", "deliverable", "participant", "enrollment",
             "partnership_logo", "person")  # fmt: skip
NEWER_REVISION = "ffff0000aaaa"


def _admin_engine():
    return create_engine(make_url(normalize_url(SERVER)).set(database="postgres"), isolation_level="AUTOCOMMIT")


class Databases:
    """Databases of the suite's kind for one test, copied from a migrated template or empty; all of them
    dropped (or deleted) at the end."""

    def __init__(self, folder: Path, template: str):
        self.folder, self.template, self.made = folder, template, []

    def _name(self) -> str:
        return f"backup_{uuid.uuid4().hex[:12]}"

    def _url(self, name: str) -> str:
        if SERVER:
            return make_url(normalize_url(SERVER)).set(database=name).render_as_string(hide_password=False)
        return f"sqlite:///{self.folder / (name + '.db')}"

    def empty(self) -> str:
        """A database with nothing in it, not even tables."""
        name = self._name()
        if SERVER:
            _execute(f'CREATE DATABASE "{name}"')
        self.made.append(name)
        return self._url(name)

    def migrated(self) -> str:
        """A database migrated to this tracker's schema, holding no data."""
        name = self._name()
        if SERVER:
            _execute(f'CREATE DATABASE "{name}" TEMPLATE "{make_url(self.template).database}"')
        else:
            with closing(sqlite3.connect(make_url(self.template).database)) as source:
                with closing(sqlite3.connect(self.folder / f"{name}.db")) as copy:
                    source.backup(copy)
        self.made.append(name)
        return self._url(name)

    def wipe(self, url: str) -> None:
        """Lose the database, as a broken disk would: dropped and made again empty (PostgreSQL), or the
        file deleted (SQLite)."""
        name = make_url(url).database
        if SERVER:
            _execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            _execute(f'CREATE DATABASE "{name}"')
        else:
            for path in Path(name).parent.glob(Path(name).name + "*"):
                path.unlink()

    def drop_all(self) -> None:
        if SERVER:
            for name in self.made:
                _execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _execute(statement: str) -> None:
    engine = _admin_engine()
    try:
        with engine.connect() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A database migrated once, copied for each test (migrating each from nothing would be slow)."""
    name = f"backup_template_{uuid.uuid4().hex[:8]}"
    if SERVER:
        _execute(f'CREATE DATABASE "{name}"')
        url = make_url(normalize_url(SERVER)).set(database=name).render_as_string(hide_password=False)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('template') / 'template.db'}"
    upgrade(url)
    yield url
    if SERVER:
        _execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def databases(template, tmp_path):
    made = Databases(tmp_path, template)
    yield made
    made.drop_all()


def settings_for(url: str, folder: Path) -> Settings:
    """A tracker on this database, its files in `folder`/files."""
    return Settings(
        database_url=url,
        base_url="http://testserver",
        secret_key="test-secret",
        files_dir=folder / "files",
        mail_outbox=folder / "outbox",
        scheduler="off",
        session_idle_minutes=10 * 365 * 24 * 60,
        session_max_hours=10 * 365 * 24,
    )


def environment(settings: Settings) -> dict:
    """What `tracker` reads to work on these settings' database and files."""
    return {"TRACKER_DATABASE_URL": settings.database_url, "TRACKER_FILES_DIR": str(settings.files_dir)}


def tracker(settings: Settings, *arguments: str):
    """Run `tracker ARGUMENTS` on these settings."""
    return runner.invoke(cli, list(arguments), env=environment(settings))


def seeded(settings: Settings) -> None:
    """The real MOU loaded, as `tracker serve` does on an empty database."""
    install_session_hooks()
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        load_seed(session, read_seed(DEFAULT_SEED))
        session.commit()
    engine.dispose()


def row_counts(url: str) -> dict[str, int]:
    """How many rows each main table holds."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            names = (*UNTOUCHED, "document", "stored_file")
            return {name: connection.execute(text(f"SELECT COUNT(*) FROM {name}")).scalar_one() for name in names}
    finally:
        engine.dispose()


def build_the_record(session: Session, client: TestClient) -> dict:
    """What a program would have logged after a few months: activities with rosters, a deliverable,
    documents uploaded through the pages, a logo on the certificates."""
    partnership = session.exec(select(Partnership).where(Partnership.slug == SLUG)).one()
    area = next(a for a in partnership.areas if a.number == 2)
    workshop = activity_service.create_activity(
        session,
        partnership=partnership,
        data=ActivityIn.model_validate(activity_input([area.id], title_es="Taller de medición y verificación")),
    )
    busy = activity_service.create_activity(
        session,
        partnership=partnership,
        data=ActivityIn.model_validate(
            activity_input([area.id], title_en="Field visit", start_local="2026-04-14T08:00",
                           end_local="2026-04-14T12:00")
        ),
    )  # fmt: skip
    deliverable_service.create_deliverable(
        session,
        partnership=partnership,
        data=DeliverableIn.model_validate({"area_id": area.id, "title_es": "Hoja de ruta MRV", "due_on": "2026-06-30"}),
    )
    for given, surnames, organization in [
        ("José Andrés", "Pérez Batista", "MiAMBIENTE"),
        ("María José", "Núñez De León", "MiAMBIENTE"),
        ("Iñaki", "Ibáñez Güell", "CARB"),
    ]:
        participant_service.enroll(
            session,
            activity=workshop,
            data=ParticipantIn(given_names=given, surnames=surnames, organization=organization),
            attendance=EnrollmentIn(status="attended"),
        )
    session.commit()

    def upload(address: str, kind: str, title: str, name: str, content: bytes) -> None:
        uploaded = client.post(
            address,
            data={"kind": kind, "title": title, "language": "es"},
            files={"file": (name, content, "application/pdf")},
            follow_redirects=False,
        )
        assert uploaded.status_code == 303, uploaded.text

    agenda = pdf_bytes("Agenda del taller de medición — Panamá")
    upload(f"/activities/{workshop.id}/documents", "agenda", "Agenda del taller", "Agenda_técnica.pdf", agenda)
    signed = pdf_bytes("Memorando de Entendimiento firmado")
    upload(f"/partnerships/{SLUG}/documents", "signed_text", "Texto firmado del MdE", "MdE_firmado.pdf", signed)
    logo = png_bytes("MiAMBIENTE")
    added = client.post(
        f"/admin/partnerships/{SLUG}/logos",
        data={"alt_text": "Logotipo de MiAMBIENTE"},
        files={"image": ("logo.png", logo, "image/png")},
        follow_redirects=False,
    )
    assert added.status_code == 303, added.text
    documents = {d.title: d for d in session.exec(select(Document))}
    return {
        "area": area,
        "workshop": workshop,
        "busy": busy,
        "agenda": (documents["Agenda del taller"].id, agenda),
        "signed": (documents["Texto firmado del MdE"].id, signed),
    }


def pages(client: TestClient, record: dict) -> dict[str, bytes]:
    """The pages people read, as they read them."""
    workshop, agenda_id = record["workshop"].id, record["agenda"][0]
    urls = [
        f"/partnerships/{SLUG}",
        f"/partnerships/{SLUG}/areas/{record['area'].slug}",
        f"/partnerships/{SLUG}/documents",
        f"/activities/{workshop}",
        f"/activities/{workshop}/roster",
        f"/admin/partnerships/{SLUG}/certificates",
        f"/documents/{agenda_id}",
        f"/documents/{record['signed'][0]}",
    ]
    shown = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        shown[url] = response.content
    return shown


class Writer(threading.Thread):
    """Someone adding photos to an activity, one commit after another, until told to stop: each photo's
    bytes go to the file store first, then its rows commit, as uploads do."""

    def __init__(self, settings: Settings, activity_id: int):
        super().__init__(daemon=True)
        self.settings, self.activity_id = settings, activity_id
        self.stop, self.photos, self.failure = threading.Event(), {}, None
        # Commits begun, and commits done: a snapshot holds at least those done before it began and
        # at most those begun before it ended.
        self.begun = self.commits = 0

    def run(self):
        engine = make_engine(self.settings.database_url)
        store = LocalFileStore(self.settings.files_dir)
        try:
            while not self.stop.is_set():
                title = f"Foto {self.commits + 1} de la visita"
                data = png_bytes(title)
                with Session(engine) as session:
                    activity = session.get(Activity, self.activity_id)
                    document_service.add_document(
                        session, store, parent=document_service.of_activity(activity), filename=f"{title}.png",
                        data=data, values={"kind": "photo", "title": title}, allowed=self.settings.upload_types,
                        max_bytes=10**7, person_id=None,
                    )  # fmt: skip
                    self.begun += 1
                    session.commit()
                self.photos[title] = data
                self.commits += 1
        except Exception as exc:  # noqa: BLE001 - reported by the test
            self.failure = exc
        finally:
            engine.dispose()

    def wait_for(self, commits: int) -> None:
        deadline = time.monotonic() + 30
        while self.commits < commits:
            assert self.failure is None, self.failure
            assert time.monotonic() < deadline, "the writer made no progress"
            time.sleep(0.01)


def manifest_of(path: Path) -> dict:
    with tarfile.open(path, "r:gz") as archive:
        return json.loads(archive.extractfile("manifest.json").read())


def test_a_backup_taken_while_people_write_restores_the_same_pages_counts_and_documents(databases, tmp_path):
    url = databases.migrated()
    settings = settings_for(url, tmp_path)
    seeded(settings)
    app = create_app(settings)
    with Session(app.state.engine, expire_on_commit=False) as session:
        admin = account_service.grant_login(
            session, email="gestora@miambiente.gob.pa", name="Gestora Pérez Batista", role="admin",
            partnership_id=None, timezone="America/Panama",
        )  # fmt: skip
        session.commit()
        client = signed_in(app, session, admin)
        record = build_the_record(session, client)
    before = pages(client, record)
    assert "José Andrés Pérez Batista" in before[f"/activities/{record['workshop'].id}/roster"].decode()
    assert before[f"/documents/{record['agenda'][0]}"] == record["agenda"][1]
    assert "Texto firmado del MdE" in before[f"/partnerships/{SLUG}/documents"].decode()
    assert "Logotipo de MiAMBIENTE" in before[f"/admin/partnerships/{SLUG}/certificates"].decode()
    counted = row_counts(url)

    writer = Writer(settings, record["busy"].id)
    writer.start()
    try:
        writer.wait_for(3)
        commits_at_start = writer.commits
        archive = tmp_path / "backups" / "tracker-2026-03-10.tar.gz"
        # As the nightly timer runs it: its own process, while the tracker writes.
        made = subprocess.run(
            [sys.executable, "-m", "tracker.cli", "backup", str(archive)],
            env=os.environ | environment(settings), capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        begun_at_end = writer.begun
    finally:
        writer.stop.set()
        writer.join(timeout=30)
    assert writer.failure is None, writer.failure
    assert made.returncode == 0, made.stderr
    assert f"Wrote {archive}" in made.stdout and "partnership 1, cooperation_area 7, activity 2" in made.stdout
    assert begun_at_end > commits_at_start  # people were writing while it ran
    assert sorted(p.name for p in archive.parent.iterdir()) == [archive.name]  # nothing half-written is left
    manifest = manifest_of(archive)
    assert manifest["database_kind"] == ("postgresql" if SERVER else "sqlite")
    assert manifest["alembic_revision"] == ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    assert manifest["missing"] == []

    cookie, csrf = client.cookies.get(SESSION_COOKIE), client.headers["X-CSRF-Token"]
    client.close()
    app.state.engine.dispose()
    databases.wipe(url)
    shutil.rmtree(settings.files_dir)

    restored = tracker(settings, "restore", str(archive))
    assert restored.exit_code == 0, restored.output
    assert "rows match the backup" in restored.output and "run `tracker db upgrade`" not in restored.output

    again = create_app(settings)
    try:
        counts = row_counts(url)
        assert {name: counts[name] for name in UNTOUCHED} == {name: counted[name] for name in UNTOUCHED}
        assert counted["document"] + commits_at_start <= counts["document"] <= counted["document"] + begun_at_end
        assert counts["document"] == manifest["counts"]["document"]
        with Session(again.state.engine) as session:
            # A consistent set: every file a restored row names has its bytes.
            for stored in session.exec(select(StoredFile)):
                assert sha256_of(LocalFileStore(settings.files_dir).read(stored.sha256)) == stored.sha256
            photos = list(session.exec(select(Document).where(Document.activity_id == record["busy"].id)))
            assert len(photos) == counts["document"] - counted["document"]
            # The same person signed in before the loss is still signed in: sessions came back too.
            with closing(TestClient(again)) as reader:
                reader.cookies.set(SESSION_COOKIE, cookie)
                reader.headers["X-CSRF-Token"] = csrf
                assert pages(reader, record) == before
                for photo in photos:
                    assert reader.get(f"/documents/{photo.id}").content == writer.photos[photo.title]
            # And the tracker carries on: new records take new ids.
            partnership = session.exec(select(Partnership).where(Partnership.slug == SLUG)).one()
            area = next(a for a in partnership.areas if a.number == 2)
            activity_service.create_activity(
                session, partnership=partnership, data=ActivityIn.model_validate(activity_input([area.id]))
            )
            participant_service.enroll(
                session,
                activity=session.get(Activity, record["workshop"].id),
                data=ParticipantIn(given_names="Ana Lucía", surnames="Quintero Ávila", organization="CARB"),
                attendance=EnrollmentIn(),
            )
            session.commit()
            assert session.exec(select(func.count()).select_from(Enrollment)).one() == 4
            assert session.exec(select(func.count()).select_from(Participant)).one() == 4
    finally:
        again.state.engine.dispose()


def backed_up(databases, folder: Path) -> tuple[Settings, Path]:
    """A tracker with the MOU loaded, and a backup of it."""
    settings = settings_for(databases.migrated(), folder)
    seeded(settings)
    archive = folder / "tracker.tar.gz"
    made = tracker(settings, "backup", str(archive))
    assert made.exit_code == 0, made.output
    return settings, archive


def add_activity(settings: Settings, title: str) -> None:
    install_session_hooks()
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        partnership = session.exec(select(Partnership).where(Partnership.slug == SLUG)).one()
        area = next(a for a in partnership.areas if a.number == 2)
        data = ActivityIn.model_validate(activity_input([area.id], title_es=title))
        activity_service.create_activity(session, partnership=partnership, data=data)
        session.commit()
    engine.dispose()


def test_restore_refuses_a_database_that_holds_data_unless_forced_and_then_replaces_it(databases, tmp_path):
    settings, archive = backed_up(databases, tmp_path)
    add_activity(settings, "Taller añadido después de la copia")
    refused = tracker(settings, "restore", str(archive))
    assert refused.exit_code == 1
    assert "Restore failed: the database already holds data (partnership 1, cooperation_area 7, activity 1" in (
        refused.output
    )
    assert "--force" in refused.output and "Traceback" not in refused.output
    assert row_counts(settings.database_url)["activity"] == 1  # untouched

    forced = tracker(settings, "restore", "--force", str(archive))
    assert forced.exit_code == 0, forced.output
    assert "rows match the backup" in forced.output
    assert row_counts(settings.database_url)["activity"] == 0  # as it was when backed up
    assert row_counts(settings.database_url)["partnership"] == 1


def test_an_archive_cut_short_or_not_a_backup_is_refused_and_nothing_is_touched(databases, tmp_path):
    _, archive = backed_up(databases, tmp_path / "source")
    target = settings_for(databases.migrated(), tmp_path / "target")
    whole = archive.read_bytes()
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    damaged = tmp_path / "damaged.tar.gz"
    damaged.write_bytes(whole[:200] + bytes(b ^ 0xFF for b in whole[200:260]) + whole[260:])
    not_one = tmp_path / "minutes.tar.gz"
    not_one.write_bytes(pdf_bytes())
    for path, reason in [
        (cut, "is cut short or damaged"),
        (damaged, "is cut short or damaged"),
        (not_one, "is not a tracker backup (not a gzipped tar archive)"),
        (tmp_path / "nowhere.tar.gz", "there is no backup at"),
    ]:
        result = tracker(target, "restore", str(path))
        assert result.exit_code == 1, result.output
        assert result.output.startswith("Restore failed: ") and reason in result.output, result.output
        assert "Traceback" not in result.output
    assert row_counts(target.database_url)["partnership"] == 0
    assert list(target.files_dir.iterdir()) == []


def test_a_backup_made_by_a_newer_tracker_is_refused(databases, tmp_path):
    source = settings_for(databases.migrated(), tmp_path / "source")
    engine = make_engine(source.database_url)
    with engine.begin() as connection:  # as a newer tracker's migrations would leave it
        connection.execute(text("UPDATE alembic_version SET version_num = :newer"), {"newer": NEWER_REVISION})
    engine.dispose()
    archive = tmp_path / "newer.tar.gz"
    assert tracker(source, "backup", str(archive)).exit_code == 0
    target = settings_for(databases.empty(), tmp_path / "target")
    refused = tracker(target, "restore", str(archive))
    assert refused.exit_code == 1
    assert f"the backup's schema revision {NEWER_REVISION} is newer than this tracker's" in refused.output
    assert "Traceback" not in refused.output
    engine = make_engine(target.database_url)
    assert inspect(engine).get_table_names() == []  # nothing was restored
    engine.dispose()


def test_a_backup_of_an_older_schema_is_restored_as_it_was_and_says_to_upgrade(databases, tmp_path):
    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    previous = scripts.get_revision(scripts.get_current_head()).down_revision
    source = settings_for(databases.empty(), tmp_path / "source")
    upgrade(source.database_url, previous)
    archive = tmp_path / "older.tar.gz"
    assert tracker(source, "backup", str(archive)).exit_code == 0
    target = settings_for(databases.empty(), tmp_path / "target")
    restored = tracker(target, "restore", str(archive))
    assert restored.exit_code == 0, restored.output
    assert f"The backup's schema (revision {previous}) is older than this tracker's" in restored.output
    assert "run `tracker db upgrade`" in restored.output
    upgraded = tracker(target, "db", "upgrade")
    assert upgraded.exit_code == 0, upgraded.output
    assert row_counts(target.database_url)["partnership"] == 0


def test_a_backup_that_fails_leaves_no_file_behind(databases, tmp_path):
    empty = settings_for(databases.empty(), tmp_path)
    folder = tmp_path / "backups"
    failed = tracker(empty, "backup", str(folder / "tracker.tar.gz"))
    assert failed.exit_code == 1
    assert "Backup failed:" in failed.output and "Traceback" not in failed.output
    assert not folder.exists() or list(folder.iterdir()) == []


def test_without_postgresqls_tools_only_a_postgresql_backup_says_what_to_install(databases, tmp_path, monkeypatch):
    """pg_dump is needed for PostgreSQL alone: a SQLite tracker backs up on a machine without it."""
    settings = settings_for(databases.migrated(), tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path))  # a machine without PostgreSQL's client tools
    result = tracker(settings, "backup", str(tmp_path / "tracker.tar.gz"))
    if SERVER:
        assert result.exit_code == 1
        assert "Backup failed: pg_dump is not installed" in result.output and "postgresql-client" in result.output
        assert not (tmp_path / "tracker.tar.gz").exists()
    else:
        assert result.exit_code == 0, result.output
        assert (tmp_path / "tracker.tar.gz").is_file()


def test_the_postgresql_tools_get_the_password_in_their_environment_never_on_their_command_line():
    uri, env = postgres.libpq("postgresql+psycopg://tracker:p%40ss%20word@db.example.org:6543/tracker?sslmode=require")
    assert uri == "postgresql://tracker@db.example.org:6543/tracker?sslmode=require"
    assert env["PGPASSWORD"] == "p@ss word"
    uri, _ = postgres.libpq("postgresql://postgres@[::1]/tracker")
    assert uri == "postgresql://postgres@[::1]/tracker"

"""Fixtures: a migrated database (SQLite, or PostgreSQL when TRACKER_TEST_DATABASE_URL is set),
emptied after every test, the app, a client, and factories that build what a test needs."""

import os
from contextlib import closing
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from hypothesis import settings as hypothesis_settings
from sqlalchemy import func, text
from sqlmodel import Session, SQLModel, select

from tracker import data_version
from tracker.accounts import service as account_service
from tracker.activities import service as activity_service
from tracker.activities.schemas import ActivityIn
from tracker.app import create_app
from tracker.auth import SESSION_COOKIE
from tracker.config import DEFAULT_SEED, Settings
from tracker.db import install_session_hooks, make_engine, normalize_url
from tracker.deliverables import service as deliverable_service
from tracker.deliverables.schemas import DeliverableIn
from tracker.migrate import upgrade
from tracker.models import Organization, Partnership, Person, utcnow
from tracker.partnerships.seed import load_seed, read_seed
from tracker.people import service as people_service
from tracker.people.schemas import PersonIn

SLUG = "carb-miambiente-2025"

# Property-based tests draw the same examples on every run (a fixed seed, no example database): a
# failure is a defect to fix, never a run that happened to be unlucky.
hypothesis_settings.register_profile("repeatable", derandomize=True, database=None, deadline=None)
hypothesis_settings.load_profile("repeatable")


def _reset_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """A freshly migrated database for this test run."""
    url = os.environ.get("TRACKER_TEST_DATABASE_URL")
    if url:
        url = normalize_url(url)
        _reset_postgres(url)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def settings(database_url, tmp_path_factory) -> Settings:
    # Sessions that outlive the clock travel of time-machine tests; timeouts have their own tests.
    return Settings(
        database_url=database_url,
        base_url="http://testserver",
        secret_key="test-secret",
        session_idle_minutes=10 * 365 * 24 * 60,
        session_max_hours=10 * 365 * 24,
        mail_outbox=tmp_path_factory.mktemp("outbox"),
        scheduler="off",  # tests run sweeps themselves, at the instants they choose
        # … so no sweep runs on its own: /healthz would call the suite's long-lived app stalled.
        sweep_stall_seconds=10 * 365 * 24 * 3600,
    )


@pytest.fixture(scope="session")
def app(settings):
    app = create_app(settings)
    yield app
    app.state.engine.dispose()


@pytest.fixture(scope="session")
def engine(app):
    return app.state.engine


@pytest.fixture(autouse=True)
def _empty_tables(request):
    """Every test starts from an empty database (the schema stays: it came from migrations)."""
    yield
    if "engine" not in request.fixturenames:
        return
    engine = request.getfixturevalue("engine")
    with engine.begin() as conn:
        for table in reversed(SQLModel.metadata.sorted_tables):
            if table.name != "data_version":
                conn.execute(table.delete())
        data_version.bump(conn)  # as any writer would: cached pages of this test are stale now
    data_version.note_change()


@pytest.fixture
def session(engine):
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def anon(app, engine):
    """A browser nobody has signed in with."""
    with closing(TestClient(app)) as client:
        yield client


@pytest.fixture
def make_user(session, mou):
    """A person with a login; with a password only when asked (hashing is slow on purpose)."""

    def make(role="manager", email=None, name=None, password=None, partnership=mou):
        person = account_service.grant_login(
            session,
            email=email or f"{role}@example.org",
            name=name or f"{role.title()} User",
            role=role,
            partnership_id=partnership.id if partnership is not None else None,
            timezone="America/Panama",
        )
        if password:
            account_service.set_password(session, person=person, password=password)
        session.commit()
        return person

    return make


def signed_in(app, session, person) -> TestClient:
    """A client of `app` signed in as a person: their session cookie, and their CSRF token on every request."""
    token, row = account_service.start_session(
        session, person=person, now=utcnow(), max_age=timedelta(days=3650), client_ip="testclient", user_agent=None
    )
    session.commit()
    client = TestClient(app)
    client.cookies.set(SESSION_COOKIE, token)
    client.headers["X-CSRF-Token"] = row.csrf_token
    return client


@pytest.fixture
def login(app, session):
    """A browser signed in as a person (closed after the test)."""
    clients = []

    def login(person) -> TestClient:
        client = signed_in(app, session, person)
        clients.append(client)
        return client

    yield login
    for client in clients:
        client.close()


@pytest.fixture
def bearer(session):
    """Headers carrying a fresh personal API token of a person."""

    def bearer(person) -> dict:
        secret, _ = account_service.create_api_token(session, person=person, name="tests", now=utcnow())
        session.commit()
        return {"Authorization": f"Bearer {secret}"}

    return bearer


@pytest.fixture
def manager(make_user):
    return make_user("manager")


@pytest.fixture
def client(login, manager):
    """A program manager's browser: most tests act as one."""
    return login(manager)


@pytest.fixture
def mou(session) -> Partnership:
    """The CARB–MiAMBIENTE MOU loaded from the real seed file."""
    install_session_hooks()
    load_seed(session, read_seed(DEFAULT_SEED))
    session.commit()
    return session.exec(select(Partnership).where(Partnership.slug == SLUG)).one()


@pytest.fixture
def orgs(session, mou) -> dict[str, Organization]:
    return {o.acronym: o for o in session.exec(select(Organization))}


@pytest.fixture
def area(mou):
    """Area 2 (MRV)."""
    return next(a for a in mou.areas if a.number == 2)


def activity_input(area_ids, **overrides) -> dict:
    """A valid workshop in Panama City, inside the term."""
    data = {
        "kind": "workshop",
        "title_en": "MRV workshop",
        "area_ids": area_ids,
        "start_local": "2026-03-10T09:00",
        "end_local": "2026-03-10T17:00",
        "timezone": "America/Panama",
        "format": "in_person",
        "venue": "Panama City",
        "languages": ["es", "en"],
    }
    data.update(overrides)
    return data


@pytest.fixture
def make_activity(session, mou, area):
    def make(**overrides):
        data = ActivityIn.model_validate(activity_input([area.id], **overrides))
        activity = activity_service.create_activity(session, partnership=mou, data=data)
        session.commit()
        return activity

    return make


@pytest.fixture
def make_person(session, mou):
    def make(**overrides):
        data = {"name": "Ana Pérez", "email": "ana@example.org", "timezone": "America/Panama", "language": "es"}
        data.update(overrides)
        person = people_service.save_person(session, person=Person(), data=PersonIn.model_validate(data))
        session.commit()
        return person

    return make


@pytest.fixture
def make_deliverable(session, mou, area):
    def make(**overrides):
        data = {"area_id": area.id, "title_en": "MRV roadmap", "due_on": "2026-06-30"}
        data.update(overrides)
        deliverable = deliverable_service.create_deliverable(
            session, partnership=mou, data=DeliverableIn.model_validate(data)
        )
        session.commit()
        return deliverable

    return make


def count_rows(engine, model) -> int:
    """How many rows a table holds (to prove a refused write stored nothing)."""
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(model)).one()


SONORA = "carb-sonora-2026"


@pytest.fixture
def sonora(session, mou):
    """A second partnership with records of every kind, each carrying the word "Sonora"; no page or
    answer may show any of them to someone who may not see this partnership."""
    from tracker.models import CooperationArea, Enrollment, Participant
    from tracker.partnerships.schemas import AreaIn, PartnershipIn
    from tracker.partnerships.service import save_area, save_partnership

    cedes = Organization(
        acronym="CEDES",
        name_en="Sonora Commission of Ecology and Sustainable Development",
        name_es="Comisión de Ecología y Desarrollo Sustentable del Estado de Sonora",
        country="MX",
        timezone="America/Hermosillo",
    )
    session.add(cedes)
    session.flush()
    carb = session.exec(select(Organization).where(Organization.acronym == "CARB")).one()
    partnership = save_partnership(
        session,
        partnership=Partnership(),
        data=PartnershipIn(
            slug=SONORA,
            title_en="CARB and Sonora on climate",
            title_es="CARB y Sonora sobre el clima",
            signed_on="2026-01-15",
            starts_on="2026-01-15",
            ends_on="2028-01-14",
            party_ids=[carb.id, cedes.id],
        ),
    )
    area = save_area(
        session,
        area=CooperationArea(),
        data=AreaIn(partnership_id=partnership.id, number=1, slug="sonora-forests", name_en="Sonora forests",
                    name_es="Bosques de Sonora"),
    )  # fmt: skip
    owner = people_service.save_person(
        session,
        person=Person(),
        data=PersonIn(name="Rosa Sonora Valenzuela", email="rosa@cedes.sonora.gob.mx", organization_id=cedes.id,
                      timezone="America/Hermosillo", language="es"),
    )  # fmt: skip
    partner = account_service.grant_login(
        session, email="partner@sonora.gob.mx", name="Partner of Sonora", role="partner",
        partnership_id=partnership.id, timezone="America/Hermosillo",
    )  # fmt: skip
    activity = activity_service.create_activity(
        session,
        partnership=partnership,
        data=ActivityIn.model_validate(
            activity_input([area.id], title_en="Sonora forest inventory workshop", timezone="America/Hermosillo",
                           venue="Hermosillo, Sonora", start_local="2026-03-10T09:00", end_local="2026-03-10T17:00",
                           responsible_ids=[owner.id], organizer_ids=[cedes.id])
        ),
    )  # fmt: skip
    deliverable = deliverable_service.create_deliverable(
        session,
        partnership=partnership,
        data=DeliverableIn.model_validate(
            {"area_id": area.id, "title_en": "Sonora forest inventory report", "due_on": "2026-06-30",
             "owner_id": owner.id, "organization_id": cedes.id}
        ),
    )  # fmt: skip
    participant = Participant(name="Sonorense Participante", organization="CEDES Sonora", match_key="sonorense|cedes")
    session.add(participant)
    session.flush()
    enrollment = Enrollment(activity_id=activity.id, participant_id=participant.id, status="attended")
    session.add(enrollment)
    session.commit()
    return {
        "partnership": partnership,
        "area": area,
        "organization": cedes,
        "owner": owner,
        "partner": partner,
        "activity": activity,
        "deliverable": deliverable,
        "participant": participant,
        "enrollment": enrollment,
    }


@pytest.fixture
def smtp():
    """A real SMTP server for this test."""
    from tests.smtp import SmtpServer

    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mail_settings(settings, smtp):
    """The test settings, sending through `smtp`."""
    return settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": smtp.port, "smtp_security": "none"})

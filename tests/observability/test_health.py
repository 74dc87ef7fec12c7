"""/healthz tells a monitor when reminders have stopped: 503 once no sweep has succeeded for the stall delay."""

import time
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from starlette.testclient import TestClient

from tracker.app import create_app
from tracker.db import make_engine
from tracker.migrate import upgrade
from tracker.models import utcnow
from tracker.observability.health import check
from tracker.reminders import heartbeat
from tracker.reminders.sweep import sweep

STALL = 120


@pytest.fixture(scope="module")
def watched(settings):
    """The tracker as deployed: the sweep is due every minute and stalls after two."""
    return create_app(settings.model_copy(update={"sweep_seconds": 60, "sweep_stall_seconds": STALL}))


@pytest.fixture
def monitor(watched, engine):
    with TestClient(watched) as client:
        yield client


def test_the_default_delay_is_fifteen_sweeps_and_at_least_fifteen_minutes(settings):
    assert settings.model_copy(update={"sweep_stall_seconds": None, "sweep_seconds": 60}).stall_after_seconds == 900
    assert settings.model_copy(update={"sweep_stall_seconds": None, "sweep_seconds": 300}).stall_after_seconds == 4500


def test_a_sweep_that_stopped_answers_503_and_the_next_sweep_makes_it_healthy(monitor, engine, settings):
    long_ago = utcnow() - timedelta(hours=2)
    heartbeat.record(engine, started_at=long_ago, finished_at=long_ago + timedelta(seconds=1), succeeded=True)
    stalled = monitor.get("/healthz")
    assert stalled.status_code == 503
    body = stalled.json()
    assert body["status"] == "sweep stalled"
    assert body["sweep"]["stalled_after_seconds"] == STALL
    assert body["sweep"]["lag_seconds"] > 7000
    assert body["sweep"]["last_success"].startswith(long_ago.date().isoformat())

    sweep(engine, settings)
    healthy = monitor.get("/healthz")
    assert healthy.status_code == 200
    assert healthy.json()["status"] == "ok"
    assert 0 <= healthy.json()["sweep"]["lag_seconds"] < STALL


def test_failed_sweeps_do_not_count_as_the_sweep_running(monitor, engine):
    long_ago = utcnow() - timedelta(hours=2)
    heartbeat.record(engine, started_at=long_ago, finished_at=long_ago, succeeded=True)
    heartbeat.record(engine, started_at=utcnow(), finished_at=utcnow(), succeeded=False)  # runs, but fails
    assert monitor.get("/healthz").status_code == 503
    with engine.connect() as conn:
        beat = heartbeat.last(conn)
    assert (beat.runs, beat.failures) == (2, 1)


def test_a_sweep_that_fails_is_counted_and_still_raises(settings, tmp_path):
    """A database that lost a table: the sweep's error reaches the scheduler's log as before, and the heartbeat
    counts the run as failed without calling it a success."""
    url = f"sqlite:///{tmp_path / 'damaged.db'}"
    upgrade(url)
    damaged = make_engine(url)
    with damaged.begin() as conn:
        conn.execute(text("DROP TABLE outbox_message"))
    with pytest.raises(OperationalError):
        sweep(damaged, settings.model_copy(update={"database_url": url}))
    with damaged.connect() as conn:
        beat = heartbeat.last(conn)
    damaged.dispose()
    assert (beat.runs, beat.failures, beat.succeeded_at) == (1, 1, None)
    assert beat.finished_at >= beat.started_at


def test_a_new_installation_gets_the_delay_for_its_first_sweep(engine):
    """No sweep has ever run: healthy while the process is younger than the delay, stalled after."""
    assert check(engine, STALL, started=time.monotonic())[0] == 200
    status, body = check(engine, STALL, started=time.monotonic() - STALL - 1)
    assert (status, body["status"], body["sweep"]["last_success"]) == (503, "sweep stalled", None)


def test_an_unreachable_database_answers_503(settings, tmp_path):
    missing = make_engine(f"sqlite:///{tmp_path / 'never-migrated.db'}")
    assert check(missing, STALL, started=time.monotonic()) == (503, {"status": "database unreachable"})
    missing.dispose()

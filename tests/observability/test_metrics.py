"""/metrics: who may read it, and the figures an operator watches (requests by route, page-cache hits, the
sweep, the outbox), within one process and added up over several."""

import time
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from prometheus_client.parser import text_string_to_metric_families
from starlette.testclient import TestClient

from tests.conftest import SLUG
from tests.observability.serving import environment, get, workers
from tracker.app import create_app
from tracker.mail.outbox import queue, send_due
from tracker.models import utcnow
from tracker.reminders.sweep import sweep

TOKEN = "metrics-secret-for-tests"


@pytest.fixture(scope="module")
def metrics_app(settings):
    """The tracker with a metrics token, on the suite's database."""
    return create_app(settings.model_copy(update={"metrics_token": TOKEN}))


@pytest.fixture
def local(metrics_app, engine):
    """A client on this machine: no token needed."""
    with TestClient(metrics_app, client=("127.0.0.1", 40000)) as client:
        yield client


def scrape(client, **headers) -> dict:
    """{(name, labels…): value} of one scrape."""
    answer = client.get("/metrics", headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain; version=")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
    }


def value(figures: dict, name: str, **labels) -> float:
    return figures.get((name, tuple(sorted(labels.items()))), 0.0)


def test_only_this_machine_or_the_token_may_read_it(metrics_app, engine):
    with TestClient(metrics_app, client=("203.0.113.9", 40000)) as outside:
        assert outside.get("/metrics").status_code == 403
        assert outside.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
        assert "TRACKER_METRICS_TOKEN" in outside.get("/metrics").json()["detail"]
        assert value(scrape(outside, Authorization=f"Bearer {TOKEN}"), "tracker_sweep_runs_total") >= 0
    with TestClient(metrics_app, client=("::1", 40000)) as here:
        assert here.get("/metrics").status_code == 200


def test_requests_are_counted_under_their_route_not_their_path(local, login, manager, mou, area):
    route = "/partnerships/{slug}/areas/{area_slug}"
    before = scrape(local)
    browser = login(manager)
    browser.app = local.app
    with TestClient(local.app, client=("127.0.0.1", 40001), cookies=browser.cookies) as signed_in:
        assert signed_in.get(f"/partnerships/{SLUG}/areas/{area.slug}").status_code == 200
        assert signed_in.get(f"/partnerships/{SLUG}/areas/no-such-area").status_code == 404
        assert signed_in.get("/no/such/page").status_code == 404
    after = scrape(local)
    ok = value(after, "tracker_http_requests_total", method="GET", route=route, status="200")
    assert ok == value(before, "tracker_http_requests_total", method="GET", route=route, status="200") + 1
    missing = value(after, "tracker_http_requests_total", method="GET", route=route, status="404")
    assert missing == value(before, "tracker_http_requests_total", method="GET", route=route, status="404") + 1
    unmatched = ("tracker_http_requests_total", {"method": "GET", "route": "unmatched", "status": "404"})
    assert value(after, unmatched[0], **unmatched[1]) == value(before, unmatched[0], **unmatched[1]) + 1
    timed = value(after, "tracker_http_request_duration_seconds_count", method="GET", route=route)
    assert timed == value(before, "tracker_http_request_duration_seconds_count", method="GET", route=route) + 2
    assert not any(area.slug in labels_text for (_name, labels) in after for labels_text in map(str, labels))


def test_a_page_served_again_from_memory_counts_as_a_hit(local, login, manager, mou):
    browser = login(manager)
    with TestClient(local.app, client=("127.0.0.1", 40002), cookies=browser.cookies) as signed_in:
        signed_in.get(f"/partnerships/{SLUG}")  # rendered, or already kept
        before = scrape(local)
        assert signed_in.get(f"/partnerships/{SLUG}").status_code == 200
    after = scrape(local)
    assert value(after, "tracker_page_cache_lookups_total", cache="pages", result="hit") == (
        value(before, "tracker_page_cache_lookups_total", cache="pages", result="hit") + 1
    )
    assert value(after, "tracker_page_cache_lookups_total", cache="personal", result="hit") >= 1


def test_the_sweep_shows_how_long_it_took_and_how_long_ago(local, engine, settings):
    before = scrape(local)
    assert value(before, "tracker_sweep_lag_seconds") == 0.0  # no sweep yet in this test: no figure
    started = time.time()
    sweep(engine, settings)
    after = scrape(local)
    assert value(after, "tracker_sweep_runs_total") == 1
    assert value(after, "tracker_sweep_failures_total") == 0
    assert started - 1 <= value(after, "tracker_sweep_last_success_timestamp_seconds") <= time.time() + 1
    assert 0 <= value(after, "tracker_sweep_lag_seconds") < 60
    assert 0 < value(after, "tracker_sweep_duration_seconds") < 60


def _email(to: str) -> EmailMessage:
    email = EmailMessage()
    email["From"], email["To"], email["Subject"] = "tracker@arb.ca.gov", to, "Invitación"
    email["Message-ID"] = make_msgid(domain="arb.ca.gov")
    email.set_content("Hola")
    return email


def test_the_outbox_backlog_and_failures_are_shown_by_kind(local, session, settings, smtp):
    smtp.inbox.unknown.add("nadie@example.org")
    for to in ("ana@example.org", "nadie@example.org"):
        queue(session, kind="invitation", email=_email(to), person_id=None, partnership_id=None, language="es",
              now=utcnow())  # fmt: skip
    session.commit()
    waiting = scrape(local)
    assert value(waiting, "tracker_outbox_messages", kind="invitation", status="pending") == 2
    assert value(waiting, "tracker_outbox_oldest_pending_age_seconds", kind="invitation") >= 0
    relay = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": smtp.port, "smtp_security": "none"})
    send_due(session, relay, now=utcnow())
    done = scrape(local)
    assert value(done, "tracker_outbox_messages", kind="invitation", status="sent") == 1
    assert value(done, "tracker_outbox_messages", kind="invitation", status="failed") == 1  # 550: given up
    assert value(done, "tracker_outbox_messages", kind="invitation", status="pending") == 0


def test_with_several_workers_any_of_them_reports_the_requests_of_all(tmp_path):
    """Two `tracker serve` processes sharing PROMETHEUS_MULTIPROC_DIR, as the deploy units run them."""
    folder = tmp_path / "metrics"
    folder.mkdir()
    env = environment(tmp_path, PROMETHEUS_MULTIPROC_DIR=str(folder))
    with workers(env, [tmp_path / "worker-1.log", tmp_path / "worker-2.log"]) as urls:
        for url, times in zip(urls, (3, 2), strict=True):
            for _ in range(times):
                assert get(f"{url}/sign-in")[0] == 200
        for url in urls:
            figures = {
                tuple(sorted(sample.labels.items())): sample.value
                for family in text_string_to_metric_families(get(f"{url}/metrics")[2])
                for sample in family.samples
                if sample.name == "tracker_http_requests_total"
            }
            assert figures[(("method", "GET"), ("route", "/sign-in"), ("status", "200"))] == 5

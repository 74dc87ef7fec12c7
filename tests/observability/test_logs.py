"""Request ids and JSON logs: the id a partner reads on an error page is the one in the answer's header and
in every log line of that request; with TRACKER_LOG_FORMAT=json each line of the log is one JSON object."""

import io
import json
import logging
import re

import pytest
from starlette.testclient import TestClient

from tests.observability.serving import environment, get, workers
from tracker.app import create_app
from tracker.observability.logs import JsonFormatter, RequestIdFilter

GENERATED = re.compile(r"[0-9a-f]{12}")


def _explode():
    raise RuntimeError("the disk is full")


@pytest.fixture(scope="module")
def fragile(settings):
    """The tracker with one page and one API route that fail as a bug would."""
    app = create_app(settings)
    app.add_api_route("/explode", _explode, methods=["GET"])
    app.add_api_route("/api/v1/explode", _explode, methods=["GET"])
    yield app
    app.state.engine.dispose()


@pytest.fixture
def browser(fragile, engine):
    with TestClient(fragile, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def log_lines():
    """What the tracker logs during the test, written as `TRACKER_LOG_FORMAT=json` writes it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    tracker, access = logging.getLogger("tracker"), logging.getLogger("tracker.access")
    levels = tracker.level, access.level
    tracker.addHandler(handler)
    tracker.setLevel(logging.INFO)
    access.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    tracker.removeHandler(handler)
    tracker.setLevel(levels[0])
    access.setLevel(levels[1])


def test_every_answer_carries_a_request_id_and_keeps_a_sane_one_it_was_sent(browser):
    made = browser.get("/sign-in").headers["x-request-id"]
    assert GENERATED.fullmatch(made)
    assert browser.get("/sign-in").headers["x-request-id"] != made
    assert browser.get("/sign-in", headers={"X-Request-ID": "f0c1a9e2-nginx.7"}).headers["x-request-id"] == (
        "f0c1a9e2-nginx.7"
    )
    for insane in ("x" * 65, "two words", "<script>", "ñandú"):
        replaced = browser.get("/sign-in", headers={"X-Request-ID": insane.encode()})
        assert GENERATED.fullmatch(replaced.headers["x-request-id"])


def test_an_error_page_shows_the_reference_its_header_carries(browser):
    missing = browser.get("/partnerships/no-such-partnership", headers={"X-Request-ID": "report-me-1"})
    assert missing.status_code == 404
    assert missing.headers["x-request-id"] == "report-me-1"
    assert "Reference: report-me-1" in missing.text


def test_a_crash_shows_the_same_reference_as_its_header_and_its_log_lines(browser, log_lines):
    page = browser.get("/explode")
    assert page.status_code == 500
    assert "Something went wrong on our side" in page.text and "the disk is full" not in page.text
    reference = page.headers["x-request-id"]
    assert GENERATED.fullmatch(reference)
    assert f"Reference: {reference}" in page.text

    api = browser.get("/api/v1/explode")
    assert api.status_code == 500
    assert api.json() == {"detail": "Internal error", "request_id": api.headers["x-request-id"]}

    lines = log_lines()
    crash = [line for line in lines if line.get("request_id") == reference and line["level"] == "ERROR"]
    assert len(crash) == 1
    assert crash[0]["logger"] == "tracker" and crash[0]["message"] == "unhandled error on GET /explode"
    assert "RuntimeError: the disk is full" in crash[0]["exception"]
    accessed = [line for line in lines if line["logger"] == "tracker.access" and line["request_id"] == reference]
    assert [(a["method"], a["path"], a["route"], a["status"]) for a in accessed] == [
        ("GET", "/explode", "/explode", 500)
    ]
    assert accessed[0]["duration_ms"] >= 0
    assert any(line.get("request_id") == api.headers["x-request-id"] for line in lines)


def test_tracker_serve_logs_one_json_object_a_line_with_an_access_line_per_request(tmp_path):
    env = environment(tmp_path, TRACKER_LOG_FORMAT="json")
    log = tmp_path / "serve.log"
    with workers(env, [log]) as (url,):
        status, headers, _ = get(f"{url}/sign-in?next=/account")
        assert status == 200
        sent = get(f"{url}/partnerships/none", headers={"X-Request-ID": "partner-report-42"})
        assert sent[0] == 404 and "Reference: partner-report-42" in sent[2]
        # A link's secret is part of its path: the log names the route instead.
        assert get(f"{url}/survey/s3cr3t-survey-link-token")[0] == 404
    lines = [json.loads(line) for line in log.read_text().splitlines()]  # every line, or this fails

    assert {"time", "level", "logger", "message"} <= set(lines[0])
    assert lines[0]["time"].endswith("+00:00")
    assert any(line["logger"].startswith("uvicorn") and "startup complete" in line["message"] for line in lines)
    (access,) = [line for line in lines if line.get("request_id") == headers["x-request-id"]]
    assert (access["logger"], access["method"], access["path"], access["status"]) == (
        "tracker.access", "GET", "/sign-in", 200
    )  # fmt: skip
    assert access["route"] == "/sign-in" and access["duration_ms"] > 0
    (refused,) = [line for line in lines if line.get("request_id") == "partner-report-42"]
    assert (refused["path"], refused["status"]) == ("/partnerships/none", 404)
    assert any(line.get("path") == "/survey/{token}" for line in lines)
    assert "s3cr3t" not in log.read_text()

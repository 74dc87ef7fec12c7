"""Request ids and JSON logs: the id a partner reads on an error page is the one in the answer's header and
in every log line of that request; with TRACKER_LOG_FORMAT=json each line of the log is one JSON object."""

import io
import json
import logging
import re
from contextlib import contextmanager

import pytest
from fastapi import Request
from starlette.testclient import TestClient

from tests.observability.serving import environment, get, workers
from tracker.app import _error_page, create_app
from tracker.auth import Forbidden
from tracker.errors import NotFound, transition_refused
from tracker.observability.logs import TEXT_FORMAT, JsonFormatter, RequestIdFilter

GENERATED = re.compile(r"[0-9a-f]{12}")


def _explode():
    raise RuntimeError("the disk is full")


def _noted():
    # A plain `def` route runs in the thread pool: its log lines must still know their request.
    logging.getLogger("tracker").info("noted from a worker thread")
    return {"ok": True}


def _refuse(kind: str, request: Request):
    if kind == "404":
        raise NotFound()
    if kind == "403":
        raise Forbidden()
    if kind == "409":
        raise transition_refused("done")
    # No page of the tracker answers 413 itself (the body limits answer in plain text): the error page's own.
    return _error_page(request, 413, "Too large")


@pytest.fixture(scope="module")
def fragile(settings):
    """The tracker with one page and one API route that fail as a bug would."""
    app = create_app(settings)
    app.add_api_route("/explode", _explode, methods=["GET"])
    app.add_api_route("/api/v1/explode", _explode, methods=["GET"])
    app.add_api_route("/noted", _noted, methods=["GET"])
    app.add_api_route("/refuse/{kind}", _refuse, methods=["GET"])
    yield app
    app.state.engine.dispose()


@pytest.fixture
def browser(fragile, engine):
    with TestClient(fragile, raise_server_exceptions=False) as client:
        yield client


@contextmanager
def _capture(formatter: logging.Formatter):
    """The text the tracker's loggers write during the test, through `formatter`."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    handler.addFilter(RequestIdFilter())
    tracker, access = logging.getLogger("tracker"), logging.getLogger("tracker.access")
    levels = tracker.level, access.level
    tracker.addHandler(handler)
    tracker.setLevel(logging.INFO)
    access.setLevel(logging.INFO)
    try:
        yield stream.getvalue
    finally:
        tracker.removeHandler(handler)
        tracker.setLevel(levels[0])
        access.setLevel(levels[1])


@pytest.fixture
def log_lines():
    """What the tracker logs during the test, written as `TRACKER_LOG_FORMAT=json` writes it."""
    with _capture(JsonFormatter()) as text:
        yield lambda: [json.loads(line) for line in text().splitlines()]


@pytest.fixture
def log_text():
    """What the tracker logs during the test, written as `TRACKER_LOG_FORMAT=text` writes it."""
    with _capture(logging.Formatter(TEXT_FORMAT)) as text:
        yield text


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
    assert [(a["method"], a["path"], a["route"], a["status"], a["client"]) for a in accessed] == [
        ("GET", "/explode", "/explode", 500, "testclient")
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
    assert access["route"] == "/sign-in" and access["duration_ms"] > 0 and access["client"] == "127.0.0.1"
    assert "next=" not in log.read_text()  # a query string may hold a token: never logged
    (refused,) = [line for line in lines if line.get("request_id") == "partner-report-42"]
    assert (refused["path"], refused["status"]) == ("/partnerships/none", 404)
    assert any(line.get("path") == "/survey/{token}" for line in lines)
    assert "s3cr3t" not in log.read_text()


TITLES = {
    "en": {"404": "Not found", "403": "Not allowed", "409": "This change was not made", "413": "Too large",
           "500": "Something went wrong"},
    "es": {"404": "No encontrado", "403": "No permitido", "409": "No se realizó este cambio",
           "413": "Demasiado grande", "500": "Algo salió mal"},
}  # fmt: skip
REFERENCE = {"en": "Reference: {}", "es": "Referencia: {}"}


@pytest.mark.parametrize("language", ["en", "es"])
def test_error_pages_of_every_kind_show_their_reference_in_the_readers_language(browser, language):
    for status, title in TITLES[language].items():
        path = "/explode" if status == "500" else f"/refuse/{status}"
        page = browser.get(path, headers={"Accept-Language": language, "X-Request-ID": f"ref-{status}"})
        assert (page.status_code, page.headers["content-language"]) == (int(status), language)
        assert page.headers["x-request-id"] == f"ref-{status}"
        assert f"<h1>{title}</h1>" in page.text
        assert REFERENCE[language].format(f"ref-{status}") in page.text


def test_log_lines_of_a_route_in_the_thread_pool_carry_its_request_id(browser, log_lines):
    answers = [browser.get("/noted") for _ in range(3)]
    noted = [line for line in log_lines() if line["message"] == "noted from a worker thread"]
    assert [line["request_id"] for line in noted] == [answer.headers["x-request-id"] for answer in answers]


def test_text_logs_show_the_request_id_on_the_line(browser, log_text):
    browser.get("/noted", headers={"X-Request-ID": "text-7"})
    (line,) = [line for line in log_text().splitlines() if "noted from a worker thread" in line]
    assert " INFO tracker [text-7] noted from a worker thread" in line

"""/metrics in the Prometheus text format.

Two kinds of figures:
- counted in each process as requests pass (requests and their latency by route, page-cache lookups). With
  several web workers, set PROMETHEUS_MULTIPROC_DIR (the deploy units do) and every worker's /metrics adds up
  all of them (prometheus_client's multiprocess mode, files in that folder). The library reads the variable
  when first imported, so it is set in the environment the process starts with, and the folder is emptied
  before the workers start (the units do). A worker that stops leaves its counts in, as counters should;
  there are no per-process gauges, so nothing needs marking dead;
- read from the database when scraped (the sweep's heartbeat, the outbox by kind and status), so any worker
  reports what the scheduler process did and what waits to be sent.
"""

import hmac
import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from sqlalchemy import func, select
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tracker.models import OutboxMessage, utcnow
from tracker.reminders import heartbeat

LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})

# No `_created` series beside each counter: one value a series, the same with one worker or several.
disable_created_metrics()
# This process's own figures; in multiprocess mode each value also lives in a file the scrape reads.
PROCESS = CollectorRegistry()
REQUESTS = Counter(
    "tracker_http_requests", "Requests answered, by method, route template and status.",
    ("method", "route", "status"), registry=PROCESS,
)  # fmt: skip
LATENCY = Histogram(
    "tracker_http_request_duration_seconds", "Time to answer a request, by method and route template.",
    ("method", "route"), registry=PROCESS,
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)  # fmt: skip
PAGE_CACHE = Counter(
    "tracker_page_cache_lookups", "Page-cache lookups: hit, miss (rendered) or wait (another request rendered it).",
    ("cache", "result"), registry=PROCESS,
)  # fmt: skip


class DatabaseFigures:
    """What the database says when scraped: the sweep's heartbeat and the outbox."""

    def __init__(self, engine):
        self.engine = engine

    def collect(self):
        with self.engine.connect() as conn:
            beat = heartbeat.last(conn)
            outbox = conn.execute(
                select(OutboxMessage.kind, OutboxMessage.status, func.count(), func.min(OutboxMessage.created_at))
                .group_by(OutboxMessage.kind, OutboxMessage.status)
            ).all()  # fmt: skip
        now = utcnow()
        yield from _sweep_families(beat, now)
        yield from _outbox_families(outbox, now)


def _sweep_families(beat, now):
    runs = CounterMetricFamily("tracker_sweep_runs", "Reminder sweeps run, in every process.")
    failures = CounterMetricFamily("tracker_sweep_failures", "Reminder sweeps that raised an error.")
    duration = GaugeMetricFamily("tracker_sweep_duration_seconds", "How long the last reminder sweep took.")
    success = GaugeMetricFamily("tracker_sweep_last_success_timestamp_seconds", "When a sweep last succeeded.")
    lag = GaugeMetricFamily("tracker_sweep_lag_seconds", "Seconds since a reminder sweep last succeeded.")
    runs.add_metric([], beat.runs if beat else 0)
    failures.add_metric([], beat.failures if beat else 0)
    if beat is not None:
        duration.add_metric([], beat.duration_seconds)
        if beat.succeeded_at is not None:
            success.add_metric([], beat.succeeded_at.timestamp())
            lag.add_metric([], max((now - beat.succeeded_at).total_seconds(), 0.0))
    return runs, failures, duration, success, lag


def _outbox_families(rows, now):
    messages = GaugeMetricFamily(
        "tracker_outbox_messages", "Emails in the outbox by kind and status (pending and sending: the backlog; "
        "failed: given up).", labels=("kind", "status"),
    )  # fmt: skip
    oldest = GaugeMetricFamily(
        "tracker_outbox_oldest_pending_age_seconds", "Age of the oldest email still waiting, by kind.", labels=("kind",)
    )
    for kind, status, count, first in rows:
        messages.add_metric([kind, status], count)
        if status == "pending":
            oldest.add_metric([kind], max((now - first).total_seconds(), 0.0))
    return messages, oldest


def _allowed(request: Request) -> bool:
    """This machine (the client address the trusted proxy passed on, or a direct one) needs no token; anyone
    else sends `Authorization: Bearer <TRACKER_METRICS_TOKEN>`."""
    token = request.app.state.settings.metrics_token
    if token:
        scheme, _, sent = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(sent.strip().encode(), token.encode()):
            return True
    return request.client is not None and request.client.host in LOOPBACK


def metrics(request: Request) -> Response:
    """The scrape. A plain route, outside FastAPI's dependencies: the bearer token here is the metrics token,
    not a person's API token, and a scrape needs no viewer."""
    if not _allowed(request):
        return JSONResponse(
            {"detail": "Metrics are served to this machine, or with the bearer token TRACKER_METRICS_TOKEN."},
            status_code=403,
        )
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)  # every worker's files, this one's included
    else:
        for collector in (REQUESTS, LATENCY, PAGE_CACHE):
            registry.register(collector)
    registry.register(DatabaseFigures(request.app.state.engine))
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)


route = Route("/metrics", metrics, methods=["GET"], name="metrics", include_in_schema=False)

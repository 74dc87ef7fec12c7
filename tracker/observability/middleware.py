"""Around every request: its id, its count and time under its route template, and its access line."""

import functools
import logging
import random
import re
import time

from tracker.observability.logs import REQUEST_ID
from tracker.observability.metrics import LATENCY, REQUESTS

access = logging.getLogger("tracker.access")
# An id the proxy (or a client) sent is kept when it is short and plain, so it can be found in both logs.
_SANE_ID = re.compile(rb"[A-Za-z0-9._:-]{1,64}")
# Path parameters that are secrets (sign-up, survey, password and verification links): never written to a log.
_SECRET_PARAMS = ("{token}", "{code}")


def new_request_id() -> str:
    """A short random id: 12 hex digits, easy to read out over the phone. It names a request, guards
    nothing: Python's fast generator is enough."""
    return f"{random.getrandbits(48):012x}"


def _request_id(headers) -> str:
    for name, value in headers:
        if name == b"x-request-id":
            return value.decode() if _SANE_ID.fullmatch(value) else new_request_id()
    return new_request_id()


@functools.cache
def _secret(template: str) -> bool:
    return any(param in template for param in _SECRET_PARAMS)


class Observe:
    """Takes the request's id from X-Request-ID (when sane) or makes one, keeps it for the log records made
    while answering, and sends it back as X-Request-ID. Counts and times the request under its route
    template (`/partnerships/{slug}/areas/{area_slug}`: one series per route, never one per record;
    "unmatched" when no route took it), and writes its access line when those are on (JSON logs).

    Plain ASGI, outermost of the middleware; the label children are cached, so a request costs a dictionary
    lookup and two increments besides its id.
    """

    def __init__(self, app):
        self.app = app
        self._children: dict[tuple, tuple] = {}

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started, method, status = time.perf_counter(), scope["method"], 500
        request_id = _request_id(scope["headers"])
        # Not reset afterwards: the 500 handler, which runs outside every middleware, still needs it.
        REQUEST_ID.set(request_id)
        header = (b"x-request-id", request_id.encode())

        recorded = False

        def record() -> None:
            nonlocal recorded
            recorded = True
            elapsed = time.perf_counter() - started
            route = scope.get("route")
            template = getattr(route, "path", "unmatched")
            key = (method, template, status)
            children = self._children.get(key)
            if children is None:
                children = self._children[key] = (REQUESTS.labels(*key), LATENCY.labels(method, template))
            children[0].inc()
            children[1].observe(elapsed)
            if access.isEnabledFor(logging.INFO):
                path = template if _secret(template) else scope["path"]
                fields = {"method": method, "path": path, "route": template, "status": status}
                fields["duration_ms"] = round(elapsed * 1000, 2)
                # The address uvicorn took from the proxy's X-Forwarded-For (only the trusted proxy's is believed).
                fields["client"] = scope["client"][0] if scope.get("client") else None
                access.info("%s %s %s %.1f ms", method, path, status, elapsed * 1000, extra=fields)

        async def send_observed(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), header]
            elif message["type"] == "http.response.body" and not message.get("more_body") and not recorded:
                # Counted before the last byte leaves: a client that has its answer finds it in /metrics.
                record()
            await send(message)

        try:
            await self.app(scope, receive, send_observed)
        finally:
            if not recorded:
                # An exception leaves here unanswered: the 500 page is sent outside, and counted as a 500 here.
                record()

"""/healthz: whether this worker can reach the database, and whether reminders are still being swept.

A monitor polls it. The sweep runs in another process (`tracker scheduler`) or another thread; its heartbeat
row says when it last succeeded. Once that is older than TRACKER_SWEEP_STALL_SECONDS (15 sweep intervals, at
least 15 minutes, by default) the answer is 503: reminders have stopped, though the pages still work. A
process that has not seen a first sweep yet gives it as long, counted from its own start.
"""

import time

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from tracker.models import utcnow
from tracker.reminders import heartbeat

router = APIRouter()


def check(engine, stall_after: int, started: float) -> tuple[int, dict]:
    """(status code, body) of a health check: one query."""
    try:
        with engine.connect() as conn:
            beat = heartbeat.last(conn)
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return 503, {"status": "database unreachable"}
    succeeded = beat.succeeded_at if beat else None
    lag = (utcnow() - succeeded).total_seconds() if succeeded else None
    sweep = {
        "last_success": succeeded.isoformat() if succeeded else None,
        "lag_seconds": round(lag, 1) if lag is not None else None,
        "stalled_after_seconds": stall_after,
    }
    waited = lag if lag is not None else time.monotonic() - started
    if waited > stall_after:
        return 503, {"status": "sweep stalled", "sweep": sweep}
    return 200, {"status": "ok", "sweep": sweep}


@router.get("/healthz", tags=["meta"], summary="200 when the database answers and reminders are being swept")
def healthz(request: Request):
    state = request.app.state
    status, body = check(state.engine, state.settings.stall_after_seconds, state.started)
    return JSONResponse(body, status_code=status)

"""The periodic sweep, on APScheduler 3: one job, never two at once, missed runs coalesced.

APScheduler only says *when* to sweep; *what* is due lives in the tracker's tables, so a crash,
a restart or a code change loses nothing.
"""

from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger

from tracker.config import Settings
from tracker.reminders.sweep import sweep


def _add_job(scheduler, engine, settings: Settings) -> None:
    scheduler.add_job(
        sweep,
        IntervalTrigger(seconds=settings.sweep_seconds),
        args=(engine, settings),
        id="reminder-sweep",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=settings.sweep_seconds,
        replace_existing=True,
        next_run_time=datetime.now(UTC),  # catch up at start, then every interval
    )


def start_background(engine, settings: Settings) -> BackgroundScheduler:
    """The sweep in a thread of this process (`tracker serve`, the embedded default)."""
    scheduler = BackgroundScheduler(timezone="UTC")
    _add_job(scheduler, engine, settings)
    scheduler.start()
    return scheduler


def run_forever(engine, settings: Settings) -> None:
    """The sweep as its own process (`tracker scheduler`), for deployments with several web workers."""
    scheduler = BlockingScheduler(timezone="UTC")
    _add_job(scheduler, engine, settings)
    scheduler.start()

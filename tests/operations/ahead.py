"""`tracker scheduler` with its clock set ahead, writing one line to a file after each sweep it completes.

    python -m tests.operations.ahead 2026-03-10T13:00:30+00:00 sweeps.log

A reminder falls due at the rules' local hour after its item was logged, so a test that logs a deliverable
now would wait hours for the real clock to get there. This process starts at that instant instead (and
its clock then runs at the real pace); everything else, the sweep included, is the real command. The
lines let a test wait for sweeps to have happened rather than guess how long they take.
"""

import sys
from datetime import datetime
from pathlib import Path

import time_machine


def main(moment: str, log: str) -> None:
    import tracker.reminders.scheduler as scheduler
    from tracker.cli import app

    real_sweep = scheduler.sweep

    def sweep(engine, settings, **options):
        report = real_sweep(engine, settings, **options)
        with Path(log).open("a", encoding="utf-8") as out:
            out.write(f"planned {report.planned} sent {report.sent.sent}\n")
        return report

    scheduler.sweep = sweep
    with time_machine.travel(datetime.fromisoformat(moment), tick=True):
        app(["scheduler"])


if __name__ == "__main__":
    main(*sys.argv[1:])

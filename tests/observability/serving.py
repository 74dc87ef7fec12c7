"""Real `tracker serve` processes on a migrated SQLite database of their own, always stopped afterwards."""

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from tests.browser import free_port

TRACKER = Path(sys.executable).with_name("tracker")


def environment(tmp_path: Path, **extra: str) -> dict:
    """The environment of a deployment's worker, on a database migrated here (workers never migrate)."""
    env = {
        **os.environ,
        "TRACKER_DATABASE_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
        "TRACKER_FILES_DIR": str(tmp_path / "files"),
        "TRACKER_MAIL_OUTBOX": str(tmp_path / "outbox"),
        "TRACKER_SCHEDULER": "off",
        **extra,
    }
    subprocess.run([TRACKER, "db", "upgrade"], env=env, check=True, capture_output=True)
    return {**env, "TRACKER_MIGRATE_ON_START": "off"}


def get(url: str, headers: dict | None = None) -> tuple[int, dict, str]:
    """(status, headers, text) of a GET, errors included."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, dict(answer.headers), answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def _wait_ready(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the worker stopped: {log.read_text(errors='replace')}")
        try:
            get(f"{url}/healthz")
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer within 60 s")


@contextmanager
def workers(env: dict, logs: list[Path]):
    """One `tracker serve` per log file (its stdout and stderr), on free ports; yields their addresses."""
    processes, urls = [], []
    try:
        for log in logs:
            port = free_port()
            with log.open("wb") as output:  # the child keeps its own copy of the descriptor
                processes.append(
                    subprocess.Popen(
                        [TRACKER, "serve", "--port", str(port)],
                        env=env,
                        stdout=output,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )  # fmt: skip
                )
            urls.append(f"http://127.0.0.1:{port}")
        for url, process, log in zip(urls, processes, logs, strict=True):
            _wait_ready(url, process, log)
        yield urls
    finally:
        for process in processes:
            _signal(process, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                _signal(process, signal.SIGKILL)
                process.wait()


def _signal(process: subprocess.Popen, number: int) -> None:
    try:
        os.killpg(process.pid, number)
    except ProcessLookupError:
        pass  # already gone

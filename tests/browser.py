"""A live server and Debian's Chromium for the real-browser tests."""

import socket
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import expect

CHROMIUM = "/usr/bin/chromium"
# Headless Chromium as root, with nothing reaching for the (closed) network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
# How long a browser step may wait for what it expects. Generous: on a loaded 2-core machine a render
# and an htmx swap can take seconds, and a passing step never waits this long.
BROWSER_TIMEOUT_MS = 60_000
expect.set_options(timeout=BROWSER_TIMEOUT_MS)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """The app served by uvicorn in a background thread, as `tracker serve` would."""

    def __init__(self, app):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # No lifespan: the tests own the engine, and disposing it at shutdown would strand their connections.
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the live server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(timeout=10)

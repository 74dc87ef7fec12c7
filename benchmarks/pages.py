"""Throughput of the progress pages against a bare endpoint of the same server and the same size.

For each dataset (see dataset.py) this loads a fresh database, starts the tracker as in production
(`tracker serve`, one worker, scheduler off) with its bare endpoint switched on, and runs wrk
(2 threads, 32 connections, 10 s, 3 runs, median) on:

  - the public progress page (/public/{token}), as a visitor;
  - the signed-in progress page (/partnerships/{slug}), as a manager;
  - an area page, as a manager;

each time against /_bare/{n}, which answers the same number of bytes from memory. It also times a
page's first, uncached render (a query string the cache has not seen; median of 15, measured by
the client, so it includes the HTTP round trip).

Run:  make benchmark            (or: .venv/bin/python benchmarks/pages.py [--scale realistic])
Needs wrk (Debian: apt-get install wrk). Prints a table and each target; exits 1 if one is missed.
"""

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.dataset import SCALES, build  # noqa: E402

TARGETS = {"public": 0.50, "signed-in": 0.10, "area": 0.10}
P99_LIMIT_MS = 50.0
FIRST_RENDER_LIMIT_MS = 25.0


@dataclass
class Run:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int = 0  # non-2xx answers, timeouts and socket errors


@dataclass
class Row:
    name: str
    path: str
    size: int
    page: Run
    bare: Run
    first_ms: float

    @property
    def ratio(self) -> float:
        return self.page.rps / self.bare.rps


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, headers: dict) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body


def start_server(url: str, port: int) -> subprocess.Popen:
    env = os.environ | {
        "TRACKER_DATABASE_URL": url,
        "TRACKER_SCHEDULER": "off",
        "TRACKER_BENCHMARK_ENDPOINTS": "true",
    }
    tracker = Path(sys.executable).parent / "tracker"
    server = subprocess.Popen(
        [str(tracker), "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if get(port, "/healthz", {})[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit(f"the server did not start: {server.stderr.read().decode()[-2000:]}")


_LATENCY = re.compile(r"^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", re.M)
_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(port: int, path: str, headers: dict, duration: int) -> Run:
    command = ["wrk", "-t2", "-c32", f"-d{duration}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True
    ).stdout
    errors = sum(int(n) for n in re.findall(r"(?:Non-2xx or 3xx responses:|connect|read|write|timeout) (\d+)", out))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = {p: float(v) * _UNIT_MS[u] for p, v, u in _LATENCY.findall(out)}
    return Run(rps, latency["50"], latency["99"], errors)


def median_run(runs: list[Run]) -> Run:
    medians = (statistics.median(getattr(r, f) for r in runs) for f in ("rps", "p50_ms", "p99_ms"))
    return Run(*medians, errors=sum(r.errors for r in runs))


def first_render_ms(port: int, path: str, headers: dict, times: int = 15) -> float:
    """A page the cache has not seen: each request carries a new query string."""
    samples = []
    for n in range(times):
        started = time.perf_counter()
        status, _ = get(port, f"{path}?first={time.time_ns()}-{n}", headers)
        samples.append((time.perf_counter() - started) * 1000)
        assert status == 200, (path, status)
    return statistics.median(samples)


def measure(scale: str, url: str | None, duration: int, runs: int) -> list[Row]:
    workdir = Path(tempfile.mkdtemp(prefix=f"tracker-bench-{scale}-"))
    url = url or f"sqlite:///{workdir / 'tracker.db'}"
    print(f"\n== {scale}: loading {SCALES[scale]} (partnerships, activities, deliverables, participants)")
    started = time.monotonic()
    loaded = build(url, scale)
    print(f"   loaded in {time.monotonic() - started:.0f} s into {url}")
    port = free_port()
    server = start_server(url, port)
    cookie = {"Cookie": f"tracker_session={loaded.session_cookie}"}
    pages = [
        ("public", f"/public/{loaded.public_token}", {}),
        ("signed-in", f"/partnerships/{loaded.slug}", cookie),
        ("area", f"/partnerships/{loaded.slug}/areas/{loaded.area_slug}", cookie),
    ]
    rows = []
    try:
        sizes, firsts = {}, {}
        for name, path, headers in pages:  # first renders on a quiet server, before any load
            status, body = get(port, path, headers)
            if status != 200:
                raise SystemExit(f"{path} answered {status}")
            sizes[name], firsts[name] = len(body), first_render_ms(port, path, headers)
        for name, path, headers in pages:
            bare = f"/_bare/{sizes[name]}"
            page_runs, bare_runs = [], []
            for _ in range(runs):  # interleaved, so drift hits both alike
                bare_runs.append(wrk(port, bare, {}, duration))
                page_runs.append(wrk(port, path, headers, duration))
            rows.append(Row(name, path, sizes[name], median_run(page_runs), median_run(bare_runs), firsts[name]))
            print(f"   {name}: done")
    finally:
        server.terminate()
        server.wait(timeout=30)
    return rows


def report(scale: str, rows: list[Row]) -> list[str]:
    """Print the table; return the targets missed."""
    print(f"\n{scale} dataset — wrk -t2 -c32 -d10s, median of the runs; ratio = page req/s ÷ bare req/s")
    print(
        f"{'page':10} {'bytes':>8} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'bare req/s':>11} {'bare p99':>9}"
        f" {'ratio':>6} {'target':>7} {'first ms':>9}"
    )
    missed = []
    for r in rows:
        target = TARGETS[r.name]
        print(
            f"{r.name:10} {r.size:8,} {r.page.rps:8,.0f} {r.page.p50_ms:7.2f} {r.page.p99_ms:7.2f}"
            f" {r.bare.rps:11,.0f} {r.bare.p99_ms:9.2f} {r.ratio:6.0%} {target:>7.0%} {r.first_ms:9.1f}"
        )
        if r.ratio < target:
            missed.append(f"{scale} {r.name}: {r.ratio:.0%} of the bare endpoint (target {target:.0%})")
        if r.page.errors or r.bare.errors:
            missed.append(f"{scale} {r.name}: {r.page.errors} failed requests (bare: {r.bare.errors})")
        if r.page.p99_ms >= P99_LIMIT_MS:
            missed.append(f"{scale} {r.name}: p99 {r.page.p99_ms:.1f} ms (limit {P99_LIMIT_MS:.0f} ms)")
        if scale == "realistic" and r.first_ms > FIRST_RENDER_LIMIT_MS:
            missed.append(f"{scale} {r.name}: first render {r.first_ms:.1f} ms (limit {FIRST_RENDER_LIMIT_MS:.0f} ms)")
    return missed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=[*SCALES, "both"], default="both")
    parser.add_argument("--database-url", help="an EMPTY database to fill (default: a new SQLite file per scale)")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    scales = list(SCALES) if args.scale == "both" else [args.scale]
    if args.database_url and len(scales) > 1:
        parser.error("--database-url fills one database: choose one --scale")
    print(f"machine: {os.cpu_count()} cores, {sys.platform}, Python {sys.version.split()[0]}")
    results = {scale: measure(scale, args.database_url, args.duration, args.runs) for scale in scales}
    missed = [m for scale, rows in results.items() for m in report(scale, rows)]
    print()
    for line in missed or ["every target met"]:
        print(("MISSED " if missed else "") + line)
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()

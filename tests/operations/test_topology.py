"""The production topology on this machine, as deploy/ sets it up: a database of the suite's kind,
`tracker db upgrade`, `tracker seed` and `tracker user create --link` run once, two `tracker serve`
workers that neither migrate nor sweep, one `tracker scheduler`, and an SMTP server (aiosmtpd).

Requests reach the workers as nginx sends them (deploy/nginx/tracker.conf): from 127.0.0.1, with
X-Forwarded-For and X-Forwarded-Proto: https, for an https base URL; the last test puts nginx itself,
with that site, in front. The scheduler's clock starts at the moment the reminder falls due
(tests/operations/ahead.py): real time would reach it in hours. Every process is real and is ended
(its whole process group) when the module is done; a failure prints what each one logged.
"""

import os
import pwd
import re
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx2
import pytest
import trustme
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.browser import free_port
from tests.smtp import SmtpServer
from tracker.accounts.service import MAX_FAILURES_PER_ADDRESS
from tracker.auth import SESSION_COOKIE
from tracker.db import normalize_url

SERVER = os.environ.get("TRACKER_TEST_DATABASE_URL")
ROOT = Path(__file__).resolve().parents[2]
TRACKER = str(Path(sys.executable).parent / "tracker")
SLUG = "carb-miambiente-2025"
BASE_URL = "https://tracker.test"
ADMIN = "coordinacion@miambiente.gob.pa"
PASSWORD = "mangroves store blue carbon in Panama bay"
CLIENT = "203.0.113.7"  # the person's address, as nginx forwards it
SWEEP_SECONDS = 1
# The bound the README states: a worker re-reads the data version when its copy is a second old
# (tracker/data_version.py, VersionWatch max_age), so another worker's change shows within a second
# plus the time that one read takes.
VERSION_MAX_AGE = 1.0
# Room for that read and for the request itself on a loaded 2-core machine.
MARGIN = 1.0
STARTUP_SECONDS = 60
NGINX = "/usr/sbin/nginx"
SITE = ROOT / "deploy" / "nginx" / "tracker.conf"


# Processes --------------------------------------------------------------------------------------


class Process:
    """A command in a process group of its own, its output kept in a file for the failure message."""

    def __init__(self, name: str, args: list[str], env: dict, folder: Path):
        self.name, self.log = name, folder / f"{name}.log"
        with self.log.open("wb") as out:
            self.popen = subprocess.Popen(
                args, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait()


class Topology:
    """What the test started, and what it needs to reach it."""

    def __init__(self, folder: Path, url: str, env: dict):
        self.folder, self.url, self.env = folder, url, env
        self.processes: list[Process] = []
        self.ports: dict[str, int] = {}
        self.smtp: SmtpServer | None = None
        self.link = ""

    def run(self, *args: str) -> str:
        """A `tracker` command run to its end, as an administrator would; its output."""
        done = subprocess.run([TRACKER, *args], env=self.env, cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"tracker {' '.join(args)} failed:\n{done.stdout}{done.stderr}"
        return done.stdout

    def start(self, name: str, args: list[str]) -> Process:
        process = Process(name, args, self.env, self.folder)
        self.processes.append(process)
        return process

    def worker(self, name: str) -> Process:
        self.ports[name] = free_port()
        return self.start(name, [TRACKER, "serve", "--host", "127.0.0.1", "--port", str(self.ports[name])])

    def logs(self) -> str:
        return "\n".join(f"--- {p.name} (exit {p.popen.poll()}) ---\n{p.output()[-4000:]}" for p in self.processes)

    def wait_until(self, check, what: str, timeout: float = 30):
        """Poll `check` until it returns something true (and return that), or fail with every process's output."""
        deadline = time.monotonic() + timeout
        while True:
            if found := check():
                return found
            for process in self.processes:
                assert process.popen.poll() is None, f"{process.name} died\n{self.logs()}"
            assert time.monotonic() < deadline, f"timed out waiting for {what}\n{self.logs()}"
            time.sleep(0.05)

    def sweeps(self) -> int:
        log = self.folder / "sweeps.log"
        return len(log.read_text().splitlines()) if log.exists() else 0

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.stop()
        if self.smtp is not None:
            self.smtp.stop()


# The database -----------------------------------------------------------------------------------


def _server_engine():
    return create_engine(make_url(normalize_url(SERVER)).set(database="postgres"), isolation_level="AUTOCOMMIT")


def fresh_database(folder: Path) -> tuple[str, callable]:
    """A new, empty database of the suite's kind, and what drops it."""
    if not SERVER:
        return f"sqlite:///{folder / 'topology.db'}", lambda: None
    name = f"topology_{uuid.uuid4().hex[:12]}"
    engine = _server_engine()
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()

    def drop():
        engine = _server_engine()
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()

    return make_url(normalize_url(SERVER)).set(database=name).render_as_string(hide_password=False), drop


def query(url: str, sql: str, **params) -> list:
    engine = create_engine(normalize_url(url))
    try:
        with engine.connect() as connection:
            return list(connection.execute(text(sql), params))
    finally:
        engine.dispose()


# Dates: a reminder the scheduler sends at once ---------------------------------------------------


def reminder_plan(now: datetime) -> tuple[str, datetime]:
    """A zone where it is now about five in the morning, and the instant the scheduler's clock starts at.

    The default rules remind at 08:00 the owner's time on the due date (and 14, 7 and 1 days before),
    only for moments after the deliverable was logged. Due today in that zone, its 08:00 is two or three
    hours ahead and yesterday's long gone, whatever hour the test runs: exactly one reminder, "due today",
    once the scheduler's clock has passed 08:00.
    """
    offset = (5 - now.hour + 12) % 24 - 12  # local = UTC + offset, from -12 to +11
    zone = f"Etc/GMT{-offset:+d}"  # POSIX style: Etc/GMT+5 is five hours behind UTC
    local = now.astimezone(ZoneInfo(zone))
    due_at = local.replace(hour=8, minute=0, second=0, microsecond=0).astimezone(UTC)
    return zone, due_at + timedelta(seconds=30)


# Pages as a browser sees them --------------------------------------------------------------------


class Forms(HTMLParser):
    """The fields of each form on a page, with the values a browser would send, and each select's options."""

    def __init__(self, html: str):
        super().__init__()
        self.forms: list[dict] = []
        self.options: dict[str, list[tuple[str, str]]] = {}
        self._select = self._option = self._textarea = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action"), "fields": {}})
        elif not self.forms:
            return
        fields = self.forms[-1]["fields"]
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                fields[name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            self.options[name] = []
            fields.setdefault(name, "")
        elif tag == "option" and self._select:
            self._option = [attrs.get("value", ""), ""]
            if "selected" in attrs:
                fields[self._select] = self._option[0]
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = ""

    def handle_data(self, data):
        if self._option is not None:
            self._option[1] += data
        elif self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None:
            self.options[self._select].append((self._option[0], self._option[1].strip()))
            self._option = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def posting_to(self, action: str) -> dict:
        return dict(next(form for form in self.forms if form["action"] == action)["fields"])

    def option(self, select: str, label: str) -> str:
        return next(value for value, text in self.options[select] if label in text)


class Browser:
    """One person's browser reaching one worker through the proxy: X-Forwarded-For their address,
    X-Forwarded-Proto https. Cookies are kept by hand: the tracker marks them Secure (it is served over
    https), and an http client would keep them from the plain-http hop between nginx and the workers."""

    def __init__(self, port: int, forwarded_for: str | None = CLIENT, peer: str = "127.0.0.1"):
        self.port, self.cookies, self.set_cookies = port, {}, {}
        headers = {"X-Forwarded-Proto": "https", "Host": "tracker.test"}
        if forwarded_for:
            headers["X-Forwarded-For"] = forwarded_for
        self.client = httpx2.Client(
            base_url=f"http://127.0.0.1:{port}",
            headers=headers,
            transport=httpx2.HTTPTransport(local_address=peer),
            timeout=60,
        )

    def on(self, port: int) -> "Browser":
        """The same browser (its cookies) reaching another worker."""
        other = Browser(port)
        other.cookies = self.cookies
        return other

    def request(self, method: str, path: str, **options) -> httpx2.Response:
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        response = self.client.request(method, path, headers={"Cookie": cookie} if cookie else {}, **options)
        self.client.cookies.clear()
        for header in response.headers.get_list("set-cookie"):
            for name, morsel in SimpleCookie(header).items():
                self.set_cookies[name] = header
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return response

    def get(self, path: str) -> httpx2.Response:
        return self.request("GET", path)

    def submit(self, page: str, action: str, **values) -> httpx2.Response:
        """Open `page`, fill in the form that posts to `action` and send it, as a person would."""
        form = Forms(self.get(page).text).posting_to(action)
        return self.request("POST", action, data=form | values)

    def close(self) -> None:
        self.client.close()


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


# The topology ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def topology(tmp_path_factory):
    folder = tmp_path_factory.mktemp("topology")
    (folder / "metrics").mkdir()  # what tracker-migrate.service makes, empty, before the workers start
    url, drop = fresh_database(folder)
    zone, scheduler_clock = reminder_plan(datetime.now(UTC))
    smtp = SmtpServer()
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "HOME": str(folder),
        # What deploy/tracker.env.example sets, for this machine.
        "TRACKER_DATABASE_URL": url,
        "TRACKER_BASE_URL": BASE_URL,
        "TRACKER_SECRET_KEY": "topology-test-secret-key-0123456789",
        "TRACKER_FORWARDED_ALLOW_IPS": "127.0.0.1",
        "TRACKER_SCHEDULER": "off",
        "TRACKER_MIGRATE_ON_START": "off",
        "TRACKER_SWEEP_SECONDS": str(SWEEP_SECONDS),
        "TRACKER_FILES_DIR": str(folder / "files"),
        "TRACKER_MAIL_OUTBOX": str(folder / "outbox"),
        "TRACKER_MAIL_FROM": "MOU tracker <no-reply@tracker.test>",
        "TRACKER_SMTP_HOST": "127.0.0.1",
        "TRACKER_SMTP_PORT": str(smtp.port),
        "TRACKER_SMTP_SECURITY": "none",
        "TRACKER_DEFAULT_TIMEZONE": zone,
        "TRACKER_LOG_FORMAT": "json",
        "PROMETHEUS_MULTIPROC_DIR": str(folder / "metrics"),
    }
    topology = Topology(folder, url, env)
    topology.smtp = smtp
    try:
        smtp.start()
        # A worker started before the migration refuses to serve, and says what to run.
        refused = topology.start("refused", [TRACKER, "serve", "--port", str(free_port())])
        assert refused.popen.wait(timeout=STARTUP_SECONDS) == 1
        assert "Run `tracker db upgrade` first" in refused.output()
        topology.processes.remove(refused)
        # The first steps, in the README's order.
        assert "Database is up to date." in topology.run("db", "upgrade")
        assert "Loaded" in topology.run("seed")
        created = topology.run("user", "create", "--role", "admin", "--email", ADMIN, "--name", "Ana Coordinadora",
                               "--link")  # fmt: skip
        topology.link = re.search(r"https://tracker\.test(/password/set/\S+)", created).group(1)
        sent = subprocess.run(
            [TRACKER, "mail", "test", "--to", ADMIN], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
        )
        assert sent.returncode == 0 and "The server answered: 250" in sent.stdout, sent.stdout + sent.stderr
        smtp.inbox.messages.clear()
        topology.worker("a")
        topology.worker("b")
        topology.start(
            "scheduler",
            [sys.executable, "-m", "tests.operations.ahead", scheduler_clock.isoformat(), str(folder / "sweeps.log")],
        )
        for name, port in topology.ports.items():
            topology.wait_until(lambda port=port: _healthy(port), f"worker {name} to answer", STARTUP_SECONDS)
        topology.wait_until(lambda: topology.sweeps() >= 1, "the scheduler's first sweep", STARTUP_SECONDS)
        yield topology
    finally:
        topology.stop()
        drop()


def _healthy(port: int) -> bool:
    try:
        return httpx2.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200
    except httpx2.TransportError:
        return False


@pytest.fixture(scope="module")
def admin(topology):
    """The first administrator, who set a password from the printed link and then signed in on worker A."""
    first = Browser(topology.ports["a"])
    page = first.get(topology.link)
    assert page.status_code == 200
    done = first.submit(topology.link, topology.link, password=PASSWORD, password_again=PASSWORD)
    assert done.status_code == 303, done.text
    browser = Browser(topology.ports["a"])
    signed_in = browser.submit("/sign-in", "/sign-in", email=ADMIN, password=PASSWORD)
    assert signed_in.status_code == 303, signed_in.text
    yield browser
    browser.close()
    first.close()


# The scenario ------------------------------------------------------------------------------------


def test_sign_in_goes_through_the_proxy_with_a_secure_session_cookie(topology, admin):
    cookie = admin.set_cookies[SESSION_COOKIE]
    assert "Secure" in cookie and "HttpOnly" in cookie
    assert admin.get("/account").status_code == 200
    # The tracker saw the person's address, not the proxy's.
    seen = query(topology.url, "SELECT client_ip FROM user_session")
    assert {row.client_ip for row in seen} == {CLIENT}


def test_a_deliverable_logged_on_worker_a_gets_its_reminder_from_the_scheduler_once(topology, admin):
    form = Forms(admin.get(f"/partnerships/{SLUG}/deliverables/new").text)
    today = datetime.now(ZoneInfo(topology.env["TRACKER_DEFAULT_TIMEZONE"])).date()
    logged = admin.request(
        "POST",
        f"/partnerships/{SLUG}/deliverables",
        data=form.posting_to(f"/partnerships/{SLUG}/deliverables")
        | {
            "area_id": form.option("area_id", "MRV"),
            "owner_id": form.option("owner_id", "Ana Coordinadora"),
            "title_en": "MRV roadmap for the steering committee",
            "due_on": today.isoformat(),
            "confirm_outside_term": "true",  # a run after the MOU's term would otherwise be asked to confirm
        },
    )
    assert logged.status_code == 303, logged.text
    path = logged.headers["location"]
    assert re.fullmatch(r"/deliverables/\d+", path)

    def arrived():
        return topology.smtp.inbox.to(ADMIN)

    [reminder] = topology.wait_until(arrived, "the reminder at the SMTP server")
    assert str(reminder["Subject"]) == "Reminder: MRV roadmap for the steering committee"
    assert f"{BASE_URL}{path}" in reminder.get_body(("plain",)).get_content()  # links carry the public address
    # Three more sweeps later it is still the only one.
    after = topology.sweeps()
    topology.wait_until(lambda: topology.sweeps() >= after + 3, "three more sweeps")
    assert len(arrived()) == 1 and len(topology.smtp.inbox.messages) == 1


def test_a_change_through_worker_a_shows_through_worker_b_within_a_second(topology, admin):
    on_b = admin.on(topology.ports["b"])
    area = f"/partnerships/{SLUG}/areas/mrv"
    [deliverable_id] = [row.id for row in query(topology.url, "SELECT id FROM deliverable")]
    old, new = "MRV roadmap for the steering committee", "MRV roadmap, second draft"
    assert old in on_b.get(area).text  # worker B has the area page in its cache
    edit = f"/deliverables/{deliverable_id}/edit"
    changed = admin.submit(edit, edit, title_en=new)
    committed = time.monotonic()  # the change is committed before worker A answers
    assert changed.status_code == 303, changed.text
    bound = committed + VERSION_MAX_AGE + MARGIN
    while True:
        sent = time.monotonic()
        page = on_b.get(area).text
        if new in page:
            break
        assert sent < bound, f"worker B still showed the old title {sent - committed:.2f} s after the change"
    assert old not in page
    on_b.close()


def test_the_client_address_and_https_are_believed_from_the_proxy_only(topology):
    address, neighbour = "198.51.100.23", "198.51.100.24"

    def fail(number: int) -> int:
        # Alternately through each worker: the throttle counts in the database, not per process.
        port = topology.ports["a" if number % 2 else "b"]
        browser = Browser(port, forwarded_for=address)
        try:
            return browser.submit("/sign-in", "/sign-in", email=f"nobody{number}@example.org", password="x").status_code
        finally:
            browser.close()

    with ThreadPoolExecutor(4) as pool:
        assert set(pool.map(fail, range(MAX_FAILURES_PER_ADDRESS))) == {401}
    too_many = Browser(topology.ports["b"], forwarded_for=address)
    assert too_many.submit("/sign-in", "/sign-in", email=ADMIN, password=PASSWORD).status_code == 429
    # Another address behind the same proxy is not held back.
    other = Browser(topology.ports["a"], forwarded_for=neighbour)
    assert other.submit("/sign-in", "/sign-in", email="someone@example.org", password="x").status_code == 401
    # A peer that is not the proxy cannot borrow an address: it is counted as itself.
    direct = Browser(topology.ports["a"], forwarded_for=address, peer="127.0.0.2")
    assert direct.submit("/sign-in", "/sign-in", email="else@example.org", password="x").status_code == 401
    [[recorded]] = query(topology.url, "SELECT client_ip FROM sign_in_attempt WHERE email = 'else@example.org'")
    assert recorded == "127.0.0.2"
    # The scheme too: links the tracker builds from the request say https only when the proxy says so.
    assert too_many.get(f"/partnerships/{SLUG}/").headers["location"].startswith("https://tracker.test/")
    assert direct.get(f"/partnerships/{SLUG}/").headers["location"].startswith("http://tracker.test/")
    for browser in (too_many, other, direct):
        browser.close()


# nginx with the deploy/ site ---------------------------------------------------------------------


def nginx_site(topology, folder: Path, http_port: int, https_port: int) -> str:
    """deploy/nginx/tracker.conf for this machine: the workers' ports, loopback ports of its own, a test certificate."""
    site = SITE.read_text()
    for old, new in {
        "server 127.0.0.1:8001 ": f"server 127.0.0.1:{topology.ports['a']} ",
        "server 127.0.0.1:8002 ": f"server 127.0.0.1:{topology.ports['b']} ",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "/etc/letsencrypt/live/tracker.example.org/": f"{folder}/",
        "tracker.example.org": "tracker.test",
    }.items():
        assert old in site, f"deploy/nginx/tracker.conf no longer says {old!r}"
        site = site.replace(old, new)
    return "\n".join(line for line in site.splitlines() if "listen [::]" not in line)  # no IPv6 needed here


@pytest.fixture(scope="module")
def nginx(topology):
    """nginx, not as root, serving the deploy/ site over https on the loopback, in front of both workers."""
    assert Path(NGINX).exists(), "nginx is missing: apt-get install nginx (.ci/run installs it)"
    # Its own folder, which nginx may write even when it drops root for nobody (pytest's are private to root).
    folder = Path(tempfile.mkdtemp(prefix="tracker-nginx-"))
    authority = trustme.CA()
    cert = authority.issue_cert("tracker.test", "127.0.0.1")
    cert.private_key_pem.write_to_path(str(folder / "privkey.pem"))
    cert.cert_chain_pems[0].write_to_path(str(folder / "fullchain.pem"))
    http_port, https_port = free_port(), free_port()
    (folder / "tracker.conf").write_text(nginx_site(topology, folder, http_port, https_port))
    (folder / "nginx.conf").write_text(f"""
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/tracker.conf;
}}
""")
    nobody = {}
    if os.geteuid() == 0:
        user = pwd.getpwnam("nobody")
        for path in [folder, *folder.iterdir()]:
            os.chown(path, user.pw_uid, user.pw_gid)
        nobody = {"user": user.pw_uid, "group": user.pw_gid}
    args = [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", str(folder / "error.log")]
    checked = subprocess.run([*args, "-t"], capture_output=True, text=True, **nobody)
    assert checked.returncode == 0, checked.stderr
    log = folder / "nginx.out"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*args, "-g", "daemon off;"], stdout=out, stderr=subprocess.STDOUT, start_new_session=True, **nobody
        )
    try:
        context = ssl.create_default_context()
        authority.configure_trust(context)
        topology.wait_until(
            lambda: process.poll() is not None or _listening(https_port), "nginx to listen", STARTUP_SECONDS
        )
        assert process.poll() is None, log.read_text() + (folder / "error.log").read_text()
        yield {"http": http_port, "https": https_port, "tls": context}
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=15)
        shutil.rmtree(folder, ignore_errors=True)


def _listening(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_nginx_with_the_deploy_site_passes_https_and_the_client_address_through(topology, admin, nginx):
    person = "127.0.0.9"  # the browser's own address, as nginx sees it
    plain = httpx2.Client(base_url=f"http://127.0.0.1:{nginx['http']}", headers={"Host": "tracker.test"})
    moved = plain.get(f"/partnerships/{SLUG}?lang=es")
    assert moved.status_code == 301
    assert moved.headers["location"] == f"https://tracker.test/partnerships/{SLUG}?lang=es"
    plain.close()
    browser = httpx2.Client(
        base_url=f"https://127.0.0.1:{nginx['https']}",
        # An address of its choosing in X-Forwarded-For: nginx replaces it with the one it sees.
        headers={"Host": "tracker.test", "X-Forwarded-For": "192.0.2.66"},
        transport=httpx2.HTTPTransport(local_address=person, verify=nginx["tls"]),
        timeout=60,
    )
    try:
        page = browser.get("/sign-in")
        assert page.status_code == 200
        assert page.headers["strict-transport-security"].startswith("max-age=")
        signed_in = browser.post(
            "/sign-in", data={"csrf_token": csrf_of(page.text), "email": ADMIN, "password": PASSWORD, "next": "/"}
        )
        assert signed_in.status_code == 303, signed_in.text
        cookie = next(c for c in signed_in.headers.get_list("set-cookie") if c.startswith(f"{SESSION_COOKIE}="))
        assert "Secure" in cookie and "HttpOnly" in cookie
        # Over https the browser sends the Secure cookie back: signed in.
        assert browser.get("/account").status_code == 200
        # The scheme the workers see is https: links they build from the request say so.
        assert browser.get(f"/partnerships/{SLUG}/").headers["location"].startswith("https://tracker.test/")
    finally:
        browser.close()
    seen = query(topology.url, "SELECT client_ip FROM sign_in_attempt WHERE email = :email", email=ADMIN)
    assert person in {row.client_ip for row in seen} and "192.0.2.66" not in {row.client_ip for row in seen}

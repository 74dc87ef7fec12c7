"""deploy/ as an administrator installs it: units systemd accepts, an environment file the tracker reads,
and an nginx site that lets the largest document through."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

from tracker.config import Settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
INSTALLED = "/opt/tracker/.venv/bin/tracker"
UNITS = ("tracker-migrate.service", "tracker-web@8001.service", "tracker-scheduler.service")


def environment_file(commented: bool = False) -> dict[str, str]:
    """The example's settings (with `commented`, also those left commented out for the administrator)."""
    found = {}
    for line in (DEPLOY / "tracker.env.example").read_text().splitlines():
        if match := re.fullmatch(r"(#?)([A-Z][A-Z0-9_]*)=(.*)", line.strip()):
            if commented or not match[1]:
                value = match[3]
                found.setdefault(match[2], value[1:-1] if value[:1] in "\"'" and value[-1:] == value[:1] else value)
    return found


def test_systemd_accepts_the_units_as_written(tmp_path):
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze is missing: apt-get install systemd (.ci/run installs it)"
    tracker = str(Path(sys.executable).parent / "tracker")
    for unit in DEPLOY.glob("tracker-*.service"):
        # The units name the installed command; this checkout's stands in for it.
        (tmp_path / unit.name).write_text(unit.read_text().replace(INSTALLED, tracker))
    done = subprocess.run(
        [analyze, "verify", "--man=no", *(str(tmp_path / unit) for unit in UNITS)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr


def test_the_workers_neither_migrate_nor_sweep_and_wait_for_the_migration():
    web = (DEPLOY / "tracker-web@.service").read_text()
    scheduler = (DEPLOY / "tracker-scheduler.service").read_text()
    for unit in (web, scheduler):
        assert "Requires=tracker-migrate.service" in unit and re.search(r"After=tracker-migrate\.service", unit)
    assert f"ExecStart={INSTALLED} serve --host 127.0.0.1 --port %i" in web
    assert "TRACKER_SCHEDULER=off" in web and "TRACKER_MIGRATE_ON_START=off" in web
    migrate = (DEPLOY / "tracker-migrate.service").read_text()
    assert f"ExecStart={INSTALLED} db upgrade" in migrate and "RuntimeDirectory=tracker tracker/metrics" in migrate
    settings = environment_file()
    assert settings["TRACKER_SCHEDULER"] == settings["TRACKER_MIGRATE_ON_START"] == "off"
    assert settings["PROMETHEUS_MULTIPROC_DIR"] == "/run/tracker/metrics"


def test_the_environment_file_is_one_the_tracker_reads_for_an_https_deployment():
    example = environment_file()
    mentioned = environment_file(commented=True)
    fields = {f"TRACKER_{name.upper()}" for name in Settings.model_fields}
    for needed in ("database_url", "base_url", "secret_key", "forwarded_allow_ips", "files_dir", "mail_from",
                   "smtp_host", "smtp_port", "smtp_security", "smtp_username", "smtp_password", "scheduler",
                   "migrate_on_start"):  # fmt: skip
        assert f"TRACKER_{needed.upper()}" in mentioned, needed
    values = {key.removeprefix("TRACKER_").lower(): value for key, value in example.items() if key in fields}
    settings = Settings(**values | {"secret_key": "a-secret-of-its-own"})
    settings.check_safe()
    assert settings.is_production and settings.secure_cookies
    assert settings.forwarded_allow_ips == "127.0.0.1" and settings.database_url.startswith("postgresql://")


def test_nginx_lets_the_largest_document_through_and_forwards_what_the_tracker_believes():
    site = (DEPLOY / "nginx" / "tracker.conf").read_text()
    limit = int(re.search(r"client_max_body_size (\d+)m;", site)[1])
    largest = int(environment_file()["TRACKER_MAX_UPLOAD_MB"])
    assert largest < limit <= largest + 5  # room for the form around the file, not much more
    for header in ("proxy_set_header Host $host;", "proxy_set_header X-Forwarded-For $remote_addr;",
                   "proxy_set_header X-Forwarded-Proto $scheme;"):  # fmt: skip
        assert header in site
    assert re.findall(r"server 127\.0\.0\.1:(\d+)", site) == ["8001", "8002"]


def test_the_environment_file_reads_the_same_in_a_shell_as_in_systemd():
    # The README runs `tracker` commands by hand with the file sourced by sh: quoting must agree.
    done = subprocess.run(
        ["sh", "-c", f'set -a; . "{DEPLOY / "tracker.env.example"}"; env'],
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    shell = dict(line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)
    example = environment_file()
    assert {key: shell.get(key) for key in example} == example
    assert example["TRACKER_MAIL_FROM"] == "MOU tracker <no-reply@tracker.example.org>"

import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.error import URLError

from typer.testing import CliRunner

from tests.browser import free_port
from tracker.cli import app

runner = CliRunner()


def test_db_upgrade_and_seed_build_a_database_from_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    loaded = runner.invoke(app, ["seed"])
    assert loaded.exit_code == 0 and "Loaded" in loaded.output
    assert runner.invoke(app, ["seed"]).exit_code == 0  # twice is harmless


def test_seed_refuses_a_broken_file_with_its_reason(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    runner.invoke(app, ["db", "upgrade"])
    broken = tmp_path / "broken.yaml"
    broken.write_text("organizations: [\n", encoding="utf-8")
    result = runner.invoke(app, ["seed", str(broken)])
    assert result.exit_code == 1 and "Seed not loaded" in result.output


def test_serve_migrates_seeds_and_answers_on_an_empty_database(tmp_path):
    port = free_port()
    env = {"TRACKER_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}", "PATH": str(Path(sys.executable).parent)}
    server = subprocess.Popen(
        [sys.executable, "-m", "tracker.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/?lang=es", timeout=2) as response:
                    status, text = response.status, response.read().decode()
                break
            except (URLError, ConnectionError):
                assert server.poll() is None, server.stdout.read().decode()
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        assert status == 200
        assert "Medición, notificación y verificación de emisiones (MRV)" in text
    finally:
        server.terminate()
        server.communicate(timeout=10)

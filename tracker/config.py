"""Settings, read from the environment (prefix TRACKER_) and never at import time."""

from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
DEFAULT_DATABASE_URL = f"sqlite:///{DATA_DIR / 'tracker.db'}"
DEFAULT_SEED = DATA_DIR / "mou-carb-miambiente.yaml"
DEV_SECRET = "dev-only-not-secret"


class Settings(BaseSettings):
    """Everything the tracker reads from its environment."""

    model_config = SettingsConfigDict(env_prefix="TRACKER_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    base_url: str = "http://127.0.0.1:8000"
    secret_key: str = DEV_SECRET
    # The partnership "/" shows; by default the most recently signed one.
    default_partnership: str | None = None
    # Shown to viewers who have not chosen a zone for times that are not an event's own.
    default_timezone: str = "America/Panama"
    seed_file: Path = DEFAULT_SEED
    # Sessions end after this long without a request, and in any case after the maximum.
    session_idle_minutes: int = 240
    session_max_hours: int = 168
    # With no SMTP host, messages are written here as .eml files (and stay on the Outbox page).
    mail_outbox: Path = DATA_DIR / "outbox"
    # Uploaded files (certificate logos and signatures), stored once each under their SHA-256.
    files_dir: Path = DATA_DIR / "files"
    # The address emails come from; with no name in it, they are signed in the reader's language.
    mail_from: str = "no-reply@localhost"
    # Outgoing mail. With no host, messages stay in the outbox and are written to mail_outbox.
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_security: Literal["none", "starttls", "ssl"] = "starttls"
    # Certificates of these authorities are trusted besides the system's (a ministry's internal CA).
    smtp_ca_file: Path | None = None
    smtp_timeout_seconds: float = 20
    # "on": `tracker serve` runs the reminder sweep in-process; "off" when `tracker scheduler` runs it.
    scheduler: Literal["on", "off"] = "on"
    sweep_seconds: int = 60
    # Adds /_bare/{size}, which answers that many bytes from memory: the baseline of benchmarks/pages.py.
    benchmark_endpoints: bool = False

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown IANA time zone {value!r}") from exc
        return value

    @field_validator("base_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @property
    def secure_cookies(self) -> bool:
        """Cookies only over https when the tracker is served over https."""
        return self.base_url.startswith("https://")

    @property
    def is_production(self) -> bool:
        """A deployment reached over https is treated as production."""
        return self.base_url.startswith("https://")

    def check_safe(self) -> None:
        """Refuse to serve production with the development secret."""
        if self.is_production and self.secret_key == DEV_SECRET:
            raise RuntimeError("TRACKER_SECRET_KEY must be set for an https deployment")

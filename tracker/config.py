"""Settings, read from the environment (prefix TRACKER_) and never at import time."""

from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
DEFAULT_DATABASE_URL = f"sqlite:///{DATA_DIR / 'tracker.db'}"
DEFAULT_SEED = DATA_DIR / "mou-carb-miambiente.yaml"
DEV_SECRET = "dev-only-not-secret"
# What documents may be, as libmagic names them: PDF, images browsers show, Office and OpenDocument
# files, CSV and plain text.
DEFAULT_UPLOAD_TYPES = (
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
    "text/csv",
    "text/plain",
)


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
    # Uploaded files (certificate logos and signatures, documents), stored once each under their SHA-256.
    files_dir: Path = DATA_DIR / "files"
    # Documents kept as evidence: the largest accepted, and the types accepted, told by their content
    # (comma-separated in the environment). HTML, SVG and programs stay out unless named here.
    max_upload_mb: int = 25
    upload_types: Annotated[tuple[str, ...], NoDecode] = DEFAULT_UPLOAD_TYPES
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
    sweep_seconds: int = Field(default=60, ge=1)
    # /healthz answers 503 once no sweep has succeeded for this long (by default 15 sweeps, at least 15 minutes):
    # reminders have stopped. A fresh process waits as long for the first sweep.
    sweep_stall_seconds: int | None = Field(default=None, ge=1)
    # /metrics answers this machine without a token, and anyone else sending it as a bearer token.
    metrics_token: str | None = None
    # "json": `tracker serve` and `tracker scheduler` log one JSON object a line, with an access line per request.
    log_format: Literal["text", "json"] = "text"
    # "on": `tracker serve` migrates and loads the MOU into an empty database first (one machine).
    # "off" on a deployment's workers: `tracker db upgrade` runs once before them, and they refuse an old schema.
    migrate_on_start: Literal["on", "off"] = "on"
    # Addresses of the reverse proxy whose X-Forwarded-For and X-Forwarded-Proto are believed (comma-separated,
    # "*" for any): the client address the sign-in and registration throttles count, and the scheme.
    forwarded_allow_ips: str = "127.0.0.1"
    # The follow-up survey (have you applied what you learned?) goes this many days after an activity ends.
    followup_days: int = Field(default=90, ge=1, le=3650)
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

    @field_validator("max_upload_mb")
    @classmethod
    def _positive_size(cls, value: int) -> int:
        if not 1 <= value <= 10_000:
            raise ValueError("max_upload_mb must be from 1 to 10000")
        return value

    @field_validator("upload_types", mode="before")
    @classmethod
    def _type_list(cls, value):
        if isinstance(value, str):
            value = value.split(",")
        types = tuple(dict.fromkeys(str(item).strip().lower() for item in value if str(item).strip()))
        if not types or not all("/" in item for item in types):
            raise ValueError("upload_types must name content types such as application/pdf, image/png")
        return types

    @field_validator("base_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @property
    def stall_after_seconds(self) -> int:
        """How long without a successful sweep before /healthz says reminders have stopped."""
        return self.sweep_stall_seconds or max(15 * self.sweep_seconds, 900)

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

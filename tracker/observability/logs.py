"""Logging for `tracker serve` and `tracker scheduler`: plain text, or one JSON object a line
(TRACKER_LOG_FORMAT=json), for the tracker's own loggers and uvicorn's alike.

Every line written while a request is being answered carries that request's id, the one its answer
sends back as X-Request-ID and its error page shows, so a partner quoting it leads to the log.
"""

import json
import logging
import logging.config
from contextvars import ContextVar
from datetime import UTC, datetime

# The id of the request being answered. Each request runs in a task of its own (and threads started for it
# copy the context), so nothing leaks from one request to another.
REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)
# What an access line (logger "tracker.access") adds to the record, written out as JSON fields.
ACCESS_FIELDS = ("method", "path", "route", "status", "duration_ms", "client")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def current_request_id() -> str | None:
    """The id of the request being answered, or None outside one."""
    return REQUEST_ID.get()


class RequestIdFilter(logging.Filter):
    """Stamps each record with the request id ("-" outside a request), for either format."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = REQUEST_ID.get() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (ISO 8601, UTC), level, logger, message, request_id in a request, the
    access fields of an access line, and the exception's traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if getattr(record, "request_id", "-") != "-":
            entry["request_id"] = record.request_id
        for name in ACCESS_FIELDS:
            if (value := getattr(record, name, None)) is not None:
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # Newlines inside (a traceback, a name) stay escaped: one record, one line.
        return json.dumps(entry, ensure_ascii=False, default=str)


def log_config(log_format: str) -> dict:
    """A `logging.config.dictConfig` for this format, also what uvicorn is given (it applies it in each worker).

    Everything goes to stderr through one handler; the tracker and uvicorn say what they do (INFO), other
    libraries only what goes wrong (the scheduler library's "job executed" every minute stays out). The
    tracker's access lines ("tracker.access") are written in the JSON format only: as text they would double
    the log of a busy server for what nginx already writes.
    """
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {
            "json": {"()": JsonFormatter},
            "text": {"format": TEXT_FORMAT},
        },
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": log_format,
                "filters": ["request_id"],
            },
        },
        "root": {"level": "WARNING", "handlers": ["stderr"]},
        "loggers": {
            "tracker": {"level": "INFO"},
            "tracker.access": {"level": "INFO" if log_format == "json" else "WARNING"},
            # uvicorn's own handlers are replaced by the one above.
            "uvicorn": {"level": "INFO", "handlers": [], "propagate": True},
            "uvicorn.error": {"level": "INFO", "handlers": [], "propagate": True},
            "uvicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
        },
    }


def configure(log_format: str) -> None:
    """Set up logging for a process of the tracker (the scheduler; uvicorn does it for `tracker serve`)."""
    logging.config.dictConfig(log_config(log_format))

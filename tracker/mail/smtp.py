"""Handing one message to the SMTP server, and telling a temporary failure from a permanent one."""

import smtplib
import ssl

from tracker.config import Settings


class TemporaryFailure(Exception):
    """Try again later: no connection, a timeout, a 4xx answer."""


class PermanentFailure(Exception):
    """Do not try again: a 5xx answer (unknown recipient, refused message)."""


def _classify(code: int, text: str) -> Exception:
    detail = f"{code} {text}".strip()
    return PermanentFailure(detail) if 500 <= code < 600 else TemporaryFailure(detail)


def tls_context(settings: Settings) -> ssl.SSLContext:
    """Certificates checked against the system's authorities, and TRACKER_SMTP_CA_FILE's (an internal one)."""
    return ssl.create_default_context(cafile=str(settings.smtp_ca_file) if settings.smtp_ca_file else None)


def deliver(settings: Settings, raw: bytes, sender: str, recipient: str) -> None:
    """Send raw message bytes; raises TemporaryFailure or PermanentFailure."""
    try:
        if settings.smtp_security == "ssl":
            client = smtplib.SMTP_SSL(
                settings.smtp_host,
                settings.smtp_port,
                timeout=settings.smtp_timeout_seconds,
                context=tls_context(settings),
            )
        else:
            client = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds)
        with client:
            if settings.smtp_security == "starttls":
                client.starttls(context=tls_context(settings))
            if settings.smtp_username:
                client.login(settings.smtp_username, settings.smtp_password or "")
            refused = client.sendmail(sender, [recipient], raw)
            if refused:
                code, text = refused[recipient]
                raise _classify(code, text.decode(errors="replace"))
    except smtplib.SMTPRecipientsRefused as exc:
        code, text = exc.recipients.get(recipient, (550, b"refused"))
        raise _classify(code, text.decode(errors="replace")) from None
    except smtplib.SMTPResponseException as exc:
        text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        raise _classify(exc.smtp_code, text) from None
    except (TimeoutError, smtplib.SMTPException, OSError) as exc:
        raise TemporaryFailure(f"{type(exc).__name__}: {exc}") from None

"""Handing one message to the SMTP server, and telling a temporary failure from a permanent one."""

import smtplib
import ssl
from dataclasses import dataclass

from tracker.config import Settings


class TemporaryFailure(Exception):
    """Try again later: no connection, a timeout, a 4xx answer."""


class PermanentFailure(Exception):
    """Do not try again: a 5xx answer (unknown recipient, refused message)."""


@dataclass(frozen=True)
class Answer:
    """The server's reply to the end of the message: it has taken responsibility for it."""

    code: int
    text: str

    def __str__(self) -> str:
        return f"{self.code} {self.text}".strip()


def _classify(code: int, text: str) -> Exception:
    detail = f"{code} {text}".strip()
    return PermanentFailure(detail) if 500 <= code < 600 else TemporaryFailure(detail)


def _text(reply) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)


def tls_context(settings: Settings) -> ssl.SSLContext:
    """Certificates checked against the system's authorities, and TRACKER_SMTP_CA_FILE's (an internal one)."""
    return ssl.create_default_context(cafile=str(settings.smtp_ca_file) if settings.smtp_ca_file else None)


def _transaction(client: smtplib.SMTP, raw: bytes, sender: str, recipient: str) -> Answer:
    """MAIL, RCPT and DATA one by one (what sendmail does), so the answer to DATA is kept."""
    client.ehlo_or_helo_if_needed()
    options = [f"SIZE={len(raw)}"] if client.does_esmtp and client.has_extn("size") else []
    code, reply = client.mail(sender, options)
    if code != 250:
        raise _classify(code, _text(reply))
    code, reply = client.rcpt(recipient)
    if code not in (250, 251):
        raise _classify(code, _text(reply))
    code, reply = client.data(raw)
    if code != 250:
        raise _classify(code, _text(reply))
    return Answer(code, _text(reply))


def deliver(settings: Settings, raw: bytes, sender: str, recipient: str) -> Answer:
    """Send raw message bytes and return the server's answer; raises TemporaryFailure or PermanentFailure."""
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
            return _transaction(client, raw, sender, recipient)
    except smtplib.SMTPResponseException as exc:
        raise _classify(exc.smtp_code, _text(exc.smtp_error)) from None
    except (TimeoutError, smtplib.SMTPException, OSError) as exc:
        raise TemporaryFailure(f"{type(exc).__name__}: {exc}") from None

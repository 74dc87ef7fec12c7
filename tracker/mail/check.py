"""`tracker mail test`: one short message through the SMTP settings, to check the relay before anyone is invited.

It takes the same road as every email (tracker.mail.headers for the headers, tracker.mail.smtp for the
connection, its security, login and timeout) but not the outbox: the administrator wants the server's
answer now, not a retry in a minute.
"""

from email.message import EmailMessage

from tracker.config import Settings
from tracker.mail.headers import compose, mailbox, sender
from tracker.mail.smtp import Answer, deliver

# Both languages in one message: whoever reads the test mailbox reads one of them.
SUBJECT = "MOU tracker: test message / Seguimiento del MdE: mensaje de prueba"
TEXT = """\
This is a test message from the MOU tracker at {base_url}.
It was sent with `tracker mail test` through {relay}. If you can read it, the tracker's
emails (invitations, reminders, digests) can reach this mailbox. No reply is needed.

Este es un mensaje de prueba del Seguimiento del MdE en {base_url}.
Se envió con `tracker mail test` a través de {relay}. Si puede leerlo, los correos del
sistema (invitaciones, recordatorios, resúmenes diarios) pueden llegar a este buzón. No hace falta responder.
"""


class NotConfigured(Exception):
    """No SMTP host is set: the tracker writes emails to files and sends nothing."""


def relay(settings: Settings) -> str:
    """The SMTP server as the settings name it: host, port and security."""
    return f"{settings.smtp_host}:{settings.smtp_port} ({settings.smtp_security})"


def check_message(settings: Settings, to: str) -> EmailMessage:
    """The bilingual test message to one address (InvalidAddress when no header can carry it)."""
    return compose(
        settings,
        to=mailbox("", to),
        subject=SUBJECT,
        text=TEXT.format(base_url=settings.base_url, relay=relay(settings)),
    )


def send_test(settings: Settings, to: str) -> Answer:
    """Send the test message; the server's answer, or NotConfigured, TemporaryFailure, PermanentFailure."""
    if not settings.smtp_host:
        raise NotConfigured("no SMTP server is configured (TRACKER_SMTP_HOST is not set)")
    message = check_message(settings, to)
    # The address as the To header carries it (an international domain in IDNA), as the outbox sends it.
    return deliver(settings, message.as_bytes(), sender(settings).addr_spec, message["To"].addresses[0].addr_spec)

"""Sending email. Every message leaves through send(); for now it is written to the outbox folder."""

from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from tracker.config import Settings


def _clean_header(value: str) -> str:
    # No user-entered text may add a header line.
    return " ".join(value.replace("\r", " ").replace("\n", " ").split())


def compose(settings: Settings, *, to: str, subject: str, text: str, html: str | None = None) -> EmailMessage:
    """A message from the tracker, plain text with an optional HTML alternative."""
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = _clean_header(to)
    message["Subject"] = _clean_header(subject)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="mou-tracker")
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    return message


def send(settings: Settings, message: EmailMessage) -> Path:
    """Deliver a message: written as an .eml file under the outbox folder."""
    outbox = Path(settings.mail_outbox)
    outbox.mkdir(parents=True, exist_ok=True)
    name = message["Message-ID"].strip("<>").replace("@", "_").replace("/", "_")
    path = outbox / f"{name}.eml"
    path.write_bytes(bytes(message))
    return path

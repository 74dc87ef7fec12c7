"""An outbox message as people may look at it: headers, the text and HTML bodies, the attachments'
names, with every secret link blanked (a set-password, preferences or own-data link in a preview would let the
reader act as the recipient)."""

import re
from dataclasses import dataclass
from email import message_from_bytes, policy

from tracker.models import OutboxMessage

# The secret part of the links the tracker sends: set-password tokens and signed preference links.
_SECRETS = re.compile(r"(/password/set/|/reminders/|/my-data/|/survey/|/my-registration/)[A-Za-z0-9._~-]+")
HIDDEN = "•••"


def redact(text: str) -> str:
    """Text with every secret link's token blanked."""
    return _SECRETS.sub(lambda found: found.group(1) + HIDDEN, text)


@dataclass(frozen=True)
class Preview:
    """What a message says, as its recipient would read it, minus its secrets."""

    sender: str
    to: str
    subject: str
    date: str
    text: str
    html: str | None
    attachments: list[tuple[str, str]]  # (file name, content type)


def preview(message: OutboxMessage) -> Preview | None:
    """The message's parts, or None for one that was never built (it failed before)."""
    if not message.raw:
        return None
    parsed = message_from_bytes(message.raw, policy=policy.default)
    text = parsed.get_body(("plain",))
    html = parsed.get_body(("html",))
    attachments = [(part.get_filename() or "", part.get_content_type()) for part in parsed.iter_attachments()]
    return Preview(
        sender=str(parsed["From"]),
        to=str(parsed["To"]),
        subject=str(parsed["Subject"]),
        date=str(parsed["Date"]),
        text=redact(text.get_content()) if text else "",
        html=redact(html.get_content()) if html else None,
        attachments=attachments,
    )

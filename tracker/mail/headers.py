"""Composing email: every header is built here, from parts, so no title or name can add or forge one.

Headers come from `email.headerregistry` objects under the SMTP policy, never from formatted strings.
What the standard library leaves open is closed here. Text that merely *looks* like an RFC 2047
encoded word (`=?utf-8?q?…?=`) is decoded when a header is set and written back raw, so every mail
reader would decode it again (a title could smuggle in `\\r\\nBcc: …`); Unicode line separators
(U+2028, U+0085…) are line breaks to some readers; and long accented subjects lose spaces where the
standard folding puts whitespace between two encoded words. Text is therefore cleaned to one line,
and a subject or display name that is not plain ASCII or looks like an encoded word is written as
encoded words of its own, which readers decode exactly once, to the text as typed.
"""

import unicodedata
from base64 import b64encode
from datetime import datetime
from email import policy as email_policy
from email.errors import HeaderParseError
from email.header import Header
from email.headerregistry import Address, HeaderRegistry, UniqueAddressHeader, UniqueUnstructuredHeader
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from tracker.config import Settings
from tracker.i18n import DEFAULT_LANGUAGE, N_, gettext_for

TRACKER_NAME = N_("MOU tracker")
MAX_SUBJECT = 250
MAX_NAME = 120  # the longest name a person or participant may have
# Characters that reorder what a reader sees (a subject could be shown backwards): dropped.
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


class InvalidAddress(ValueError):
    """An email address that no message header can carry (malformed, or not plain ASCII before the @)."""


def header_text(value: str, limit: int) -> str:
    """Text as one header line may carry it: control characters and line separators become spaces."""
    kept = []
    for char in str(value):
        if char in _BIDI_CONTROLS:
            continue
        kept.append(" " if unicodedata.category(char) in ("Cc", "Zl", "Zp") else char)
    return " ".join("".join(kept).split())[:limit].rstrip()


def _needs_own_encoding(text: str) -> bool:
    return "=?" in text or not text.isascii()


def _encoded_words(text: str, name: str, policy) -> str:
    """`text` as RFC 2047 encoded words, folded for the header `name`."""
    limit = policy.max_line_length or 0  # 0: one line
    return Header(text, "utf-8", header_name=name).encode(maxlinelen=limit, linesep=policy.linesep)


class _LiteralText(UniqueUnstructuredHeader):
    """A subject written so that readers decode it once, to the text as typed."""

    def fold(self, *, policy):
        text = str(self)
        if not _needs_own_encoding(text):
            return super().fold(policy=policy)
        return f"{self.name}: {_encoded_words(text, self.name, policy)}{policy.linesep}"


class _LiteralMailboxes(UniqueAddressHeader):
    """From or To, each display name that is not plain ASCII written as one encoded word of its own.

    One word, not several: between two encoded words of a phrase, some readers keep the space the
    standard says to drop, and others drop it, so a name split in two would not read back as typed.
    Names are short enough (MAX_NAME) for one word to fit the line.
    """

    def fold(self, *, policy):
        if not any(_needs_own_encoding(address.display_name) for address in self.addresses):
            return super().fold(policy=policy)
        mailboxes = ", ".join(
            f"=?utf-8?b?{b64encode(a.display_name.encode()).decode()}?= <{a.addr_spec}>"
            if _needs_own_encoding(a.display_name)
            else str(a)
            for a in self.addresses
        )
        return f"{self.name}: {mailboxes}{policy.linesep}"


def _policy():
    registry = HeaderRegistry()
    registry.map_to_type("subject", _LiteralText)
    for name in ("from", "to"):
        registry.map_to_type(name, _LiteralMailboxes)
    return email_policy.SMTP.clone(header_factory=registry)


POLICY = _policy()
_ONE_LINE = POLICY.clone(max_line_length=0)


def mailbox(name: str, email: str) -> Address:
    """A mailbox for a header: the name cleaned, the domain in IDNA; InvalidAddress when it cannot be one."""
    local, at, domain = str(email).strip().rpartition("@")
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        raise InvalidAddress(f"the domain of {email!r} is not a valid internet domain") from None
    if not at or not local or not domain:
        raise InvalidAddress(f"{email!r} is not an email address")
    try:
        return Address(display_name=header_text(name or "", MAX_NAME), addr_spec=f"{local}@{domain}")
    except (ValueError, IndexError, HeaderParseError) as exc:
        raise InvalidAddress(f"{email!r} cannot be written in an email header ({exc})") from None


def sender(settings: Settings, language: str = DEFAULT_LANGUAGE) -> Address:
    """The tracker's own mailbox (TRACKER_MAIL_FROM), named as its reader calls it ("Seguimiento del MdE")
    unless the setting gives a name of its own."""
    parsed = POLICY.header_factory("from", settings.mail_from).addresses
    if len(parsed) != 1:
        raise InvalidAddress(f"TRACKER_MAIL_FROM must name one mailbox, not {settings.mail_from!r}")
    return mailbox(parsed[0].display_name or gettext_for(language)(TRACKER_NAME), parsed[0].addr_spec)


def compose(
    settings: Settings,
    *,
    to: Address,
    subject: str,
    text: str,
    html: str | None = None,
    message_id: str | None = None,
    date: datetime | None = None,
    language: str = DEFAULT_LANGUAGE,
) -> EmailMessage:
    """A message from the tracker to one mailbox, plain text with an optional HTML alternative."""
    message = EmailMessage(policy=POLICY)
    message["From"] = sender(settings, language)
    message["To"] = to
    subject = header_text(subject, MAX_SUBJECT)
    # Text that looks like an encoded word is set as one, which decodes to the text itself (see above).
    message["Subject"] = _encoded_words(subject, "Subject", _ONE_LINE) if "=?" in subject else subject
    message["Date"] = formatdate(date.timestamp() if date else None)
    message["Message-ID"] = message_id or make_msgid(domain="mou-tracker")
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    return message

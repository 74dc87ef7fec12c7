"""The rules of public registration, as pure functions: whether a form takes registrations, which state a
new one gets, seats left, the throttle, personal links."""

import hashlib
import secrets
from datetime import datetime, timedelta

from tracker.i18n import N_

# Registrations stored from one client address in the last hour; beyond this the form refuses (429).
MAX_PER_ADDRESS = 10
THROTTLE_WINDOW = timedelta(hours=1)
# "You are already registered" sends the personal link again at most this often.
RESEND_AFTER = timedelta(minutes=5)
# The whole submitted form, at most (names, needs and the consent are far below it).
MAX_BODY_BYTES = 64 * 1024
# The hidden field people never see: a value in it is a robot's.
HONEYPOT = "website"

ACTIVE = ("pending", "waitlisted", "confirmed")
STATES = ("pending", "waitlisted", "confirmed", "cancelled", "declined")


def hash_token(token: str) -> str:
    """What is stored of a personal link: its SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    """A random, unguessable token (256 bits) for a form's address or a personal link."""
    return secrets.token_urlsafe(32)


def closes_at(closes: datetime | None, closed: datetime | None, starts_at: datetime) -> datetime:
    """When a form stops taking registrations: when the manager closed it, its closing time, or the start."""
    moments = [moment for moment in (closes, closed) if moment is not None]
    return min([*moments, starts_at])


def is_open(*, closes: datetime | None, closed: datetime | None, starts_at: datetime, now: datetime) -> bool:
    """Whether a form takes registrations at `now`."""
    return closed is None and now < closes_at(closes, None, starts_at)


def seats_left(capacity: int | None, taken: int) -> int | None:
    """Free seats (None: no limit)."""
    return None if capacity is None else max(capacity - taken, 0)


def state_for(*, needs_approval: bool, capacity: int | None, taken: int) -> str:
    """The state of a new registration: pending a manager's approval, waiting for a seat, or confirmed."""
    if needs_approval:
        return "pending"
    return "waitlisted" if seats_left(capacity, taken) == 0 else "confirmed"


def throttled(recent_from_address: int) -> bool:
    """Whether an address registered too often in the last hour."""
    return recent_from_address >= MAX_PER_ADDRESS


def may_resend(last_sent: datetime, now: datetime) -> bool:
    """Whether "already registered" may email the personal link again (never in a burst)."""
    return now - last_sent >= RESEND_AFTER


# A starting point for the consent text, offered in each language (this message, translated) when a
# partnership has none; the manager adapts it before opening a form.
SUGGESTED_CONSENT = N_(
    "I agree that the organizers of this partnership keep the details I give here (name, organization, "
    "position, country, email, sex, language and needs) to organize this activity, to issue my certificate "
    "and to report, without names, on the cooperation. They are kept for five years after the partnership "
    "ends and shared only with its parties. Under Panama's Law 81 of 2019 on personal data protection I may "
    "ask to see, correct or delete them at any time by writing to the organizers."
)

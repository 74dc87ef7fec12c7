"""The account emails (an invitation, a password reset): a single-use link, queued in the outbox."""

from datetime import datetime

from sqlmodel import Session

from tracker.accounts import memberships
from tracker.accounts.service import INVITATION_LIFETIME, RESET_LIFETIME, issue_link
from tracker.config import Settings
from tracker.mail.outbox import enqueue
from tracker.models import OutboxMessage, Person, Role

KINDS = {"invitation": "invitation", "reset": "password_reset"}


def link_context(settings: Settings, *, person: Person, purpose: str, token: str) -> dict:
    """What an invitation or a reset email says besides the greeting: the link, and how long it works."""
    lifetime = INVITATION_LIFETIME if purpose == "invitation" else RESET_LIFETIME
    return {
        "link": f"{settings.base_url}/password/set/{token}",
        "role": person.role,
        "days": lifetime.days,
        "hours": int(lifetime.total_seconds() // 3600),
    }


def _home_partnership(session: Session, person: Person) -> int | None:
    """The partnership an account email shows in the Outbox of: a partner's only one. Managers' and
    administrators' account emails are for administrators to see."""
    roles = memberships.roles_of(session, person.id)
    if len(roles) == 1 and Role.manager not in roles.values():
        return next(iter(roles))
    return None


def send_link(session: Session, settings: Settings, *, person: Person, purpose: str, now: datetime) -> OutboxMessage:
    """Issue a single-use set-password link (earlier ones of the same purpose die) and email it."""
    token = issue_link(session, person=person, purpose=purpose, now=now)
    return enqueue(
        session,
        settings,
        kind=KINDS[purpose],
        person=person,
        context=link_context(settings, person=person, purpose=purpose, token=token),
        partnership_id=_home_partnership(session, person),
        now=now,
    )

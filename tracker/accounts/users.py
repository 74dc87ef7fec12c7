"""Administrators managing logins: invitations, roles, and who may sign in. Nobody is ever left
without an administrator, and nobody is invited twice by mistake."""

from datetime import datetime

from sqlmodel import Session, select

from tracker.accounts import service as account_service
from tracker.accounts.emails import send_link
from tracker.accounts.schemas import InviteIn, RoleIn
from tracker.config import Settings
from tracker.errors import Conflict, NotFound
from tracker.mail.headers import InvalidAddress
from tracker.models import Partnership, Person, Role
from tracker.validation import N_, raise_if

LAST_ADMIN = N_("The last active administrator cannot lose that role or be deactivated.")
ALREADY_INVITED = N_(
    "{email} already has an account ({role}). To send them a new link, use “Resend invitation” in the list."
)
ALREADY_SIGNED_IN = N_("{name} has already chosen a password: they can use “Forgot your password?” to get a new one.")


def get_user_or_404(session: Session, person_id: int) -> Person:
    """A person with a login."""
    person = session.get(Person, person_id)
    if person is None or person.role is None:
        raise NotFound()
    return person


def _check_partnership(session: Session, partnership_id: int | None) -> None:
    if partnership_id is not None and session.get(Partnership, partnership_id) is None:
        raise_if({"partnership_id": ("unknown_partnership", {})})


def invite(session: Session, settings: Settings, *, data: InviteIn, now: datetime) -> Person:
    """Give someone a login and email them a link to choose their password.

    Someone already known without a login (a deliverable owner) gets one; someone who already has a
    login is refused with a Conflict, so nobody's working link is replaced behind their back.
    """
    _check_partnership(session, data.partnership_id)
    existing = session.exec(select(Person).where(Person.email == data.email)).first()
    if existing is not None and existing.role is not None:
        raise Conflict(ALREADY_INVITED, email=existing.email, role=existing.role)
    person = account_service.grant_login(
        session,
        email=data.email,
        name=data.name,
        role=data.role,
        partnership_id=data.partnership_id,
        language=data.language,
        timezone=data.timezone or settings.default_timezone,
    )
    try:
        send_link(session, settings, person=person, purpose="invitation", now=now)
    except InvalidAddress:
        raise_if({"email": ("email", {})})
    return person


def resend_invitation(session: Session, settings: Settings, *, person: Person, now: datetime) -> None:
    """A fresh invitation link (the earlier one stops working) for someone who has not chosen a password."""
    if person.password_hash:
        raise Conflict(ALREADY_SIGNED_IN, name=person.name)
    send_link(session, settings, person=person, purpose="invitation", now=now)


def _keep_an_admin(session: Session, person: Person) -> None:
    if person.role == Role.admin and person.active and account_service.active_admins(session) <= 1:
        raise Conflict(LAST_ADMIN)


def change_role(session: Session, *, person: Person, data: RoleIn) -> None:
    """A new role; sessions started under the old one end at once."""
    _check_partnership(session, data.partnership_id)
    if data.role != Role.admin:
        _keep_an_admin(session, person)
    person.role, person.partnership_id = data.role, data.partnership_id
    account_service.end_all_sessions(session, person_id=person.id)
    session.flush()


def set_active(session: Session, *, person: Person, active: bool) -> None:
    """Let a login sign in again, or stop it (never the last administrator)."""
    if not active:
        _keep_an_admin(session, person)
    account_service.set_active(session, person=person, active=active)

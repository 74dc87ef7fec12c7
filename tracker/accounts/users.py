"""Administrators managing logins: invitations, roles, and who may sign in. Nobody is ever left
without an administrator, and nobody is invited twice by mistake."""

from datetime import datetime

from sqlmodel import Session, select

from tracker.accounts import memberships
from tracker.accounts import service as account_service
from tracker.accounts.emails import send_link
from tracker.accounts.schemas import InviteIn, RoleIn
from tracker.audit.trail import record_change
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


def _check_partnerships(session: Session, data: RoleIn) -> None:
    wanted = set(data.access) | ({data.partnership_id} if data.partnership_id else set())
    known = set(session.exec(select(Partnership.id).where(Partnership.id.in_(wanted))).all()) if wanted else set()
    if wanted - known:
        raise_if({"partnership_id": ("unknown_partnership", {})})


def _roles(session: Session, data: RoleIn) -> dict[int, Role]:
    """The memberships RoleIn asks for."""
    if data.role == Role.admin:
        return {}
    if data.access:
        return {pid: Role(role) for pid, role in data.access.items()}
    if data.partnership_id:
        return {data.partnership_id: data.role}
    return {pid: Role.manager for pid in session.exec(select(Partnership.id)).all()}


def invite(session: Session, settings: Settings, *, data: InviteIn, now: datetime) -> Person:
    """Give someone a login and email them a link to choose their password.

    Someone already known without a login (a deliverable owner) gets one; someone who already has a
    login is refused with a Conflict, so nobody's working link is replaced behind their back.
    """
    _check_partnerships(session, data)
    existing = session.exec(select(Person).where(Person.email == data.email)).first()
    if existing is not None and existing.role is not None:
        raise Conflict(ALREADY_INVITED, email=existing.email, role=existing.role)
    person = account_service.grant_login(
        session,
        email=data.email,
        name=data.name,
        role=data.role,
        partnership_id=None,
        language=data.language,
        timezone=data.timezone or settings.default_timezone,
    )
    memberships.set_roles(session, person=person, admin=data.role == Role.admin, roles=_roles(session, data))
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
    """New access; sessions started under the old one end at once."""
    _check_partnerships(session, data)
    if data.role != Role.admin:
        _keep_an_admin(session, person)
    before = memberships.roles_of(session, person.id)
    roles = _roles(session, data)
    memberships.set_roles(session, person=person, admin=data.role == Role.admin, roles=roles)
    if roles != before:
        slugs = dict(session.exec(select(Partnership.id, Partnership.slug)).all())
        record_change(session, "person", person.id, {"access": [_described(before, slugs), _described(roles, slugs)]})
    account_service.end_all_sessions(session, person_id=person.id)
    session.flush()


def _described(roles: dict[int, Role], slugs: dict[int, str]) -> list[str]:
    return [f"{slugs.get(pid, pid)}: {role}" for pid, role in sorted(roles.items())]


def set_active(session: Session, *, person: Person, active: bool) -> None:
    """Let a login sign in again, or stop it (never the last administrator)."""
    if not active:
        _keep_an_admin(session, person)
    account_service.set_active(session, person=person, active=active)

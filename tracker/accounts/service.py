"""Accounts: sessions, sign-in throttling, single-use links and personal API tokens."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, func, update
from sqlmodel import Session, select

from tracker.accounts import memberships
from tracker.accounts.passwords import hash_password, verify_password
from tracker.models import ApiToken, OneTimeToken, Partnership, Person, Role, SignInAttempt, UserSession

THROTTLE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 10
MAX_FAILURES_PER_ADDRESS = 50
# last_seen_at is written at most this often, so reading a page is not a write each time.
TOUCH_EVERY = timedelta(minutes=1)
INVITATION_LIFETIME = timedelta(days=7)
RESET_LIFETIME = timedelta(hours=1)


def digest(token: str) -> str:
    """How a secret token is stored: its SHA-256, never the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()


# Sessions ------------------------------------------------------------------------------------


def start_session(
    session: Session,
    *,
    person: Person,
    now: datetime,
    max_age: timedelta,
    client_ip: str | None,
    user_agent: str | None,
) -> tuple[str, UserSession]:
    """A fresh session for a person who just signed in; returns the cookie value and the row."""
    token = secrets.token_urlsafe(32)
    row = UserSession(
        id=digest(token),
        person_id=person.id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        last_seen_at=now,
        expires_at=now + max_age,
        client_ip=client_ip,
        user_agent=(user_agent or "")[:300] or None,
    )
    session.add(row)
    person.last_sign_in_at = now
    session.flush()
    return token, row


# Built once, and read as plain columns: every signed-in request runs it, and building the statement
# or loading ORM objects would cost several times what SQLite takes to answer it.
_LIVE_SESSION = (
    select(
        UserSession.csrf_token,
        UserSession.expires_at,
        UserSession.last_seen_at,
        Person.id,
        Person.name,
        Person.email,
        Person.role,
        Person.language,
        Person.timezone,
        Person.active,
    )
    .join(Person, Person.id == UserSession.person_id)
    .where(UserSession.id == bindparam("session_id"))
)


def find_session(session: Session, *, token: str, now: datetime, idle: timedelta):
    """The live session behind a cookie value, as a row of its CSRF token and its person's id, name,
    email, role, partnership, language and time zone; None (and the row removed) once it expired."""
    key = digest(token)
    found = session.connection().execute(_LIVE_SESSION, {"session_id": key}).first()
    if found is None:
        return None
    if now >= found.expires_at or now - found.last_seen_at >= idle or not (found.active and found.role):
        session.exec(delete(UserSession).where(UserSession.id == key))
        return None
    if now - found.last_seen_at >= TOUCH_EVERY:
        session.exec(update(UserSession).where(UserSession.id == key).values(last_seen_at=now))
    return found


def end_session(session: Session, *, token: str) -> None:
    """Sign out: the session is gone, so its cookie is worthless from now on."""
    session.exec(delete(UserSession).where(UserSession.id == digest(token)))


def end_all_sessions(session: Session, *, person_id: int) -> None:
    """End every session of a person (deactivation, password change)."""
    session.exec(delete(UserSession).where(UserSession.person_id == person_id))


def _has_access(person: Person) -> bool:
    return bool(person.active and person.role)


def _can_sign_in(person: Person) -> bool:
    return _has_access(person) and bool(person.password_hash)


# Sign-in -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignInResult:
    person: Person | None
    throttled: bool = False


def is_throttled(session: Session, *, email: str, client_ip: str, now: datetime) -> bool:
    """Too many recent failures for this account or from this address."""
    since = now - THROTTLE_WINDOW
    failures = (
        select(func.count())
        .select_from(SignInAttempt)
        .where(SignInAttempt.at >= since, SignInAttempt.succeeded.is_(False))
    )
    by_account = session.exec(failures.where(SignInAttempt.email == email)).one()
    if by_account >= MAX_FAILURES_PER_ACCOUNT:
        return True
    return session.exec(failures.where(SignInAttempt.client_ip == client_ip)).one() >= MAX_FAILURES_PER_ADDRESS


def sign_in(session: Session, *, email: str, password: str, client_ip: str, now: datetime) -> SignInResult:
    """Check a password, counting the attempt; unknown emails cost the same time as wrong passwords."""
    email = email.strip().lower()[:320].replace("\x00", "")
    if is_throttled(session, email=email, client_ip=client_ip, now=now):
        return SignInResult(None, throttled=True)
    person = session.exec(select(Person).where(Person.email == email)).first()
    # No password is longer than 1024 characters: do not make Argon2 chew on a megabyte.
    too_long = len(password) > 1024
    ok = verify_password(password[:1024], person.password_hash if person else None) and not too_long
    ok = ok and person is not None and _can_sign_in(person)
    session.add(SignInAttempt(at=now, email=email, client_ip=client_ip, succeeded=ok))
    session.flush()
    return SignInResult(person if ok else None)


def set_password(session: Session, *, person: Person, password: str) -> None:
    """A new password; every existing session of the person ends."""
    person.password_hash = hash_password(password)
    end_all_sessions(session, person_id=person.id)
    session.flush()


# Single-use links --------------------------------------------------------------------------


def issue_link(session: Session, *, person: Person, purpose: str, now: datetime) -> str:
    """A single-use token for a set-password link; earlier unused ones of the same purpose die."""
    session.exec(
        update(OneTimeToken)
        .where(OneTimeToken.person_id == person.id, OneTimeToken.purpose == purpose, OneTimeToken.used_at.is_(None))
        .values(used_at=now)
    )
    token = secrets.token_urlsafe(32)
    lifetime = INVITATION_LIFETIME if purpose == "invitation" else RESET_LIFETIME
    session.add(
        OneTimeToken(
            person_id=person.id, purpose=purpose, token_hash=digest(token), created_at=now, expires_at=now + lifetime
        )
    )
    session.flush()
    return token


def find_link(session: Session, *, token: str, now: datetime) -> tuple[OneTimeToken, Person] | None:
    """The unused, unexpired link behind a token, and its person."""
    row = session.exec(select(OneTimeToken).where(OneTimeToken.token_hash == digest(token))).first()
    if row is None or row.used_at is not None or now >= row.expires_at:
        return None
    person = session.get(Person, row.person_id)
    if person is None or not person.active or not person.role:
        return None
    return row, person


def use_link(session: Session, *, link: OneTimeToken, now: datetime) -> bool:
    """Mark a link used; False if another request used it first."""
    claimed = session.exec(
        update(OneTimeToken).where(OneTimeToken.id == link.id, OneTimeToken.used_at.is_(None)).values(used_at=now)
    )
    return claimed.rowcount == 1


# API tokens --------------------------------------------------------------------------------

TOKEN_PREFIX = "mou_"


def create_api_token(session: Session, *, person: Person, name: str, now: datetime) -> tuple[str, ApiToken]:
    """A new personal token; the secret is returned once and only its hash is kept."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(person_id=person.id, name=name, token_hash=digest(secret), prefix=secret[:10], created_at=now)
    session.add(row)
    session.flush()
    return secret, row


def find_api_token(session: Session, *, secret: str, now: datetime) -> tuple[ApiToken, Person] | None:
    """The live token behind a bearer secret, and its person; records when it was last used."""
    row = session.exec(select(ApiToken).where(ApiToken.token_hash == digest(secret))).first()
    if row is None or row.revoked_at is not None:
        return None
    person = session.get(Person, row.person_id)
    if person is None or not _has_access(person):
        return None
    if row.last_used_at is None or now - row.last_used_at >= TOUCH_EVERY:
        row.last_used_at = now
        session.flush()
    return row, person


def list_api_tokens(session: Session, *, person: Person) -> list[ApiToken]:
    """A person's tokens, newest first."""
    return list(session.exec(select(ApiToken).where(ApiToken.person_id == person.id).order_by(ApiToken.id.desc())))


def revoke_api_token(session: Session, *, person: Person, token_id: int, now: datetime) -> bool:
    """Revoke one of the person's own tokens; False if it is not theirs or already revoked."""
    result = session.exec(
        update(ApiToken)
        .where(ApiToken.id == token_id, ApiToken.person_id == person.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return result.rowcount == 1


# Users -------------------------------------------------------------------------------------


def grant_login(
    session: Session,
    *,
    email: str,
    name: str | None,
    role: str,
    partnership_id: int | None,
    timezone: str,
    language: str = "en",
) -> Person:
    """Give a person (found by email, or new) a role: admin, or partner or manager of one partnership
    (a manager without one manages every partnership there is now)."""
    email = email.strip().lower()
    person = session.exec(select(Person).where(Person.email == email)).first()
    if person is None:
        person = Person(email=email, name=name or email.split("@")[0], language=language, timezone=timezone)
    elif name:
        person.name = name
    person.active = True
    session.add(person)
    session.flush()
    admin = role == Role.admin
    if admin:
        roles = {}
    elif partnership_id is not None:
        roles = {partnership_id: Role(role)}
    else:
        roles = {pid: Role(role) for pid in session.exec(select(Partnership.id)).all()} if role == Role.manager else {}
    memberships.set_roles(session, person=person, admin=admin, roles=roles)
    return person


def save_preferences(session: Session, *, person: Person, data) -> None:
    """A person's own language, time zone and reminder mode (PreferencesIn)."""
    person.language, person.timezone, person.reminder_mode = data.language, data.timezone, data.reminder_mode
    session.flush()


def set_active(session: Session, *, person: Person, active: bool) -> None:
    """Deactivating ends every session and token use at once; nothing else is lost."""
    person.active = active
    if not active:
        end_all_sessions(session, person_id=person.id)
    session.flush()


def active_admins(session: Session) -> int:
    """How many admins can still sign in (the last one may not be removed)."""
    return session.exec(
        select(func.count()).select_from(Person).where(Person.role == "admin", Person.active.is_(True))
    ).one()


def list_users(session: Session) -> list[Person]:
    """Everyone with a login, by name."""
    return list(session.exec(select(Person).where(Person.role.is_not(None)).order_by(Person.name)))

"""Who is asking, and may they: the one place every route's access is decided.

Pages and the API share it. A browser is known by its session cookie (a random token whose hash
is a row in user_session); a script by a personal API token sent as `Authorization: Bearer`.
Every unsafe request made with a cookie must carry the session's CSRF token.
"""

import asyncio
import hmac
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from tracker import data_version
from tracker.accounts import memberships
from tracker.accounts import service as account_service
from tracker.audit.trail import act_as
from tracker.db import SessionDep
from tracker.errors import NotFound
from tracker.models import Role, utcnow
from tracker.validation import N_

SESSION_COOKIE = "tracker_session"
ANON_CSRF_COOKIE = "tracker_csrf"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


@dataclass(frozen=True)
class Viewer:
    """The signed-in person making a request."""

    person_id: int
    name: str
    email: str
    role: Role  # the account's: admin, or the highest of its memberships
    language: str
    timezone: str
    via: str  # "session" or "token"
    csrf_token: str | None = None
    session_token: str | None = None
    # Partner or manager, by partnership id (administrators need none).
    roles: Mapping[int, Role] = field(default_factory=dict)
    # Set by require_manager: the request changes records, so only managed partnerships are in reach.
    changing: bool = False

    @property
    def is_manager(self) -> bool:
        """Manages at least one partnership (or is an admin)."""
        return self.role in (Role.manager, Role.admin)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.admin

    @property
    def partnership_id(self) -> int | None:
        """The partnership of someone who belongs to exactly one (their home page), else None."""
        return next(iter(self.roles)) if len(self.roles) == 1 and not self.is_admin else None

    @property
    def partnership_ids(self) -> frozenset[int] | None:
        """The partnerships this viewer may see, or None for every one.

        Every list and lookup is narrowed by this one answer: members see their partnerships (when
        changing records, only those they manage); admins see every one.
        """
        if self.is_admin:
            return None
        if self.changing:
            return self.managed_ids
        return frozenset(self.roles)

    @property
    def managed_ids(self) -> frozenset[int] | None:
        """The partnerships whose records this viewer may change, or None for every one."""
        if self.is_admin:
            return None
        return frozenset(pid for pid, role in self.roles.items() if role == Role.manager)

    def can_see(self, partnership_id: int | None) -> bool:
        """Whether records of this partnership are visible to the viewer."""
        scope = self.partnership_ids
        return scope is None or partnership_id in scope

    def can_manage(self, partnership_id: int | None) -> bool:
        """Whether the viewer may change this partnership's records."""
        managed = self.managed_ids
        return managed is None or partnership_id in managed

    def for_changes(self) -> "Viewer":
        """The same viewer, narrowed to the partnerships they manage."""
        return replace(self, changing=True)

    def reading(self) -> "Viewer":
        """The same viewer with everything they may read in reach (the header's links, an error page's)."""
        return replace(self, changing=False) if self.changing else self


class SignInRequired(Exception):
    """No one is signed in (pages: go to the sign-in page; API: 401)."""


class Forbidden(Exception):
    """Signed in, but the role does not allow this (403)."""


class CsrfFailed(Exception):
    """An unsafe request without the CSRF token of its session (403)."""


def _viewer(session: Session, person, via: str, **extra) -> Viewer:
    """From a Person, or a row with its columns' names, and their memberships."""
    return Viewer(
        person_id=person.id,
        name=person.name,
        email=person.email,
        role=person.role,
        language=str(person.language),
        timezone=person.timezone,
        via=via,
        roles=memberships.roles_of(session, person.id),
        **extra,
    )


def _resolve(request: Request) -> Viewer | None:
    """Look up the bearer token or session cookie (blocking: the database).

    In a transaction of its own, committed here (a session touched, an expired one removed, a token's
    last use): the request's own session stays the route's, which alone decides whether to commit.
    """
    now = utcnow()
    authorization = request.headers.get("authorization", "")
    with Session(request.app.state.engine, expire_on_commit=False) as session:
        viewer = None
        if authorization:
            scheme, _, secret = authorization.partition(" ")
            found = account_service.find_api_token(session, secret=secret.strip(), now=now)
            if scheme.lower() != "bearer" or found is None:
                session.commit()
                raise SignInRequired()
            viewer = _viewer(session, found[1], "token")
        elif token := request.cookies.get(SESSION_COOKIE):
            settings = request.app.state.settings
            found = account_service.find_session(
                session, token=token, now=now, idle=timedelta(minutes=settings.session_idle_minutes)
            )
            if found:
                viewer = _viewer(session, found, "session", csrf_token=found.csrf_token, session_token=token)
        session.commit()
    return viewer


class KnownSessions:
    """Sessions found live in the database less than `max_age` seconds ago, by cookie value.

    A signed-in page served from the page cache would otherwise spend most of its time finding its
    session. Forgotten at once when this process changes a session or a person (sign-out, a role,
    deactivation); another process's change shows within `max_age`, as the data version does.
    """

    def __init__(self, max_age: float = 1.0, max_entries: int = 10_000, clock=time.monotonic):
        self._found: dict[str, tuple[Viewer, float]] = {}
        self._looking: dict[str, asyncio.Future] = {}
        self._generation = data_version.accounts_generation()
        self._max_age, self._max_entries, self._clock = max_age, max_entries, clock

    def get(self, token: str) -> Viewer | None:
        if self._generation != data_version.accounts_generation():
            self._found.clear()
            self._generation = data_version.accounts_generation()
        found = self._found.get(token)
        if found is None or self._clock() - found[1] >= self._max_age:
            return None
        return found[0]

    async def look_up(self, token: str, resolve) -> Viewer | None:
        """Run `resolve` (in a worker thread) once for all the requests of one cookie arriving together."""
        if (pending := self._looking.get(token)) is not None:
            return await asyncio.shield(pending)
        generation = data_version.accounts_generation()
        pending = self._looking[token] = asyncio.ensure_future(run_in_threadpool(resolve))
        try:
            viewer = await asyncio.shield(pending)
        finally:
            del self._looking[token]
        if viewer is not None and generation == data_version.accounts_generation():
            # (one looked up before a change of this process is not kept)
            if len(self._found) >= self._max_entries:
                self._found.clear()
            self._found[token] = (viewer, self._clock())
        return viewer


async def current_user(request: Request, session: SessionDep) -> Viewer | None:
    """The person behind the request's bearer token or session cookie, or None.

    A request with neither, or with a session found within the last second, never waits for a
    worker thread or the database.
    """
    if hasattr(request.state, "viewer"):
        return request.state.viewer
    viewer = None
    cookie = request.cookies.get(SESSION_COOKIE)
    known: KnownSessions = request.app.state.known_sessions
    if request.headers.get("authorization"):
        viewer = await run_in_threadpool(_resolve, request)
    elif cookie and (viewer := known.get(cookie)) is None:
        viewer = await known.look_up(cookie, lambda: _resolve(request))
    if viewer is not None:
        act_as(session, viewer.person_id, viewer.name)
    request.state.viewer = viewer
    return viewer


MaybeViewer = Annotated[Viewer | None, Depends(current_user)]


def require_viewer(viewer: MaybeViewer) -> Viewer:
    """Anyone signed in: partner, manager or admin."""
    if viewer is None:
        raise SignInRequired()
    return viewer


def require_manager(request: Request, viewer: Annotated[Viewer, Depends(require_viewer)]) -> Viewer:
    """A manager or an admin: the people who change records, narrowed to the partnerships they manage.

    Every lookup made with the viewer this returns finds only those partnerships' records, so a
    manager of one partnership can never change another's, whichever route they try.
    """
    if not viewer.is_manager:
        raise Forbidden()
    narrowed = viewer.for_changes()
    request.state.viewer = narrowed
    return narrowed


def require_admin(viewer: Annotated[Viewer, Depends(require_viewer)]) -> Viewer:
    """An admin: accounts, roles, the audit trail, publication."""
    if not viewer.is_admin:
        raise Forbidden()
    return viewer


ViewerDep = Annotated[Viewer, Depends(require_viewer)]
ManagerDep = Annotated[Viewer, Depends(require_manager)]
AdminDep = Annotated[Viewer, Depends(require_admin)]


def ensure_visible(viewer: Viewer | None, partnership_id: int | None) -> None:
    """A partnership the viewer may not see looks like one that does not exist; one they see but may
    not change, when they try to, is refused (403)."""
    if viewer is None or viewer.can_see(partnership_id):
        return
    if viewer.changing and viewer.reading().can_see(partnership_id):
        raise Forbidden()
    raise NotFound(N_("This page does not exist."))


def scope_of(viewer: Viewer | None) -> frozenset[int] | None:
    """The partnerships a list may show this viewer (None: all); visitors see none through a list."""
    return frozenset() if viewer is None else viewer.partnership_ids


def csrf_token(request: Request) -> str:
    """The token forms must send back: the session's, or for visitors a cookie-bound one."""
    viewer = getattr(request.state, "viewer", None)
    if viewer is not None and viewer.csrf_token:
        return viewer.csrf_token
    token = request.cookies.get(ANON_CSRF_COOKIE) or getattr(request.state, "new_anon_csrf", None)
    if not token:
        token = secrets.token_urlsafe(32)
        request.state.new_anon_csrf = token  # render() sets the cookie
    return token


async def csrf_protect(request: Request, viewer: MaybeViewer) -> None:
    """Refuse an unsafe request whose CSRF token does not match (bearer tokens need none)."""
    if request.method in SAFE_METHODS or (viewer is not None and viewer.via == "token"):
        return
    if viewer is None and request.url.path.startswith("/api/"):
        return  # no ambient credentials to abuse: the route's role check answers 401
    expected = viewer.csrf_token if viewer else request.cookies.get(ANON_CSRF_COOKIE)
    submitted = request.headers.get("x-csrf-token")
    content_type = request.headers.get("content-type", "")
    if not submitted and content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        # One file, for the sign-in sheet import sent without JavaScript (the parsed form is cached
        # for the route); FormDep still reads no file from any other form.
        form = await request.form(max_files=1, max_fields=500)
        submitted = form.get("csrf_token")
    if not expected or not isinstance(submitted, str) or not hmac.compare_digest(expected, submitted):
        await request.close()  # an uploaded file's temporary copy, if the form carried one
        raise CsrfFailed()

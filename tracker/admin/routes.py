"""Administration pages: users and roles, publication, and the audit trail."""

import secrets
from datetime import date, datetime, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field, ValidationError, model_validator
from sqlmodel import Session

from tracker.accounts import service as account_service
from tracker.accounts.emails import send_link
from tracker.api import PathId
from tracker.audit import service as audit_service
from tracker.audit.service import AuditFilter
from tracker.auth import AdminDep
from tracker.db import SessionDep
from tracker.errors import Conflict, NotFound
from tracker.forms import FormDep, form_values
from tracker.labels import ENTITIES, status_label
from tracker.models import Language, Partnership, Person, Role, utcnow
from tracker.pages import PAGE_SIZE, ListQuery, list_page, parse_query
from tracker.partnerships import service as partnership_service
from tracker.templating import gettext_of, render, viewer_zone
from tracker.times import all_timezones, day_start
from tracker.validation import MAX_ID, N_, Day, Email, OptionalId, TimeZoneName, error, line, message, messages

router = APIRouter(prefix="/admin", include_in_schema=False)


class InviteIn(BaseModel):
    """Who to invite, and with which role."""

    name: line(120)
    email: Email
    role: Role
    partnership_id: OptionalId = None
    language: Language = Language.en
    timezone: TimeZoneName = "America/Panama"

    @model_validator(mode="after")
    def _partner_needs_partnership(self):
        if self.role == Role.partner and not self.partnership_id:
            raise error("role_needs_partnership")
        return self


def _users_context(session: Session, **extra) -> dict:
    return {
        "users": account_service.list_users(session),
        "partnerships": partnership_service.list_partnerships(session),
        "roles": list(Role),
        "languages_all": list(Language),
        "timezones": all_timezones(),
        "values": {"role": "manager", "language": "es", "timezone": "America/Panama"},
        "errors": {},
        "invited": None,
    } | extra


@router.get("", name="admin")
def admin_home(request: Request, session: SessionDep, _admin: AdminDep):
    return render(request, "admin/index.html", {"partnerships": partnership_service.list_partnerships(session)})


@router.get("/users", name="admin_users")
def users_page(request: Request, session: SessionDep, _admin: AdminDep):
    return render(request, "admin/users.html", _users_context(session))


@router.post("/users", name="admin_invite")
def invite(request: Request, session: SessionDep, form: FormDep, _admin: AdminDep):
    values = form_values(form, InviteIn)
    try:
        data = InviteIn.model_validate(values)
        if data.partnership_id and session.get(Partnership, data.partnership_id) is None:
            raise NotFound()
    except (ValidationError, NotFound) as exc:
        errors = messages(exc, gettext_of(request)) if isinstance(exc, ValidationError) else {}
        if "__all__" in errors or not errors:
            errors["partnership_id"] = errors.pop("__all__", None) or message(
                "unknown_partnership", {}, gettext_of(request)
            )
        return render(request, "admin/users.html", _users_context(session, values=values, errors=errors), 422)
    person = account_service.grant_login(
        session,
        email=data.email,
        name=data.name,
        role=data.role,
        partnership_id=data.partnership_id,
        language=data.language,
        timezone=data.timezone,
    )
    token = account_service.issue_link(session, person=person, purpose="invitation", now=utcnow())
    send_link(
        request.app.state.settings,
        person=person,
        purpose="invitation",
        token=token,
        role_label=status_label(data.role, gettext_of(request)),
    )
    session.commit()
    return render(request, "admin/users.html", _users_context(session, invited=person), 201)


def _user(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None or person.role is None:
        raise NotFound()
    return person


def _keep_an_admin(session: Session, person: Person) -> None:
    if person.role == Role.admin and person.active and account_service.active_admins(session) <= 1:
        raise Conflict(LAST_ADMIN)


LAST_ADMIN = N_("The last active administrator cannot lose that role or be deactivated.")


@router.post("/users/{person_id}/role", name="admin_user_role")
def change_role(person_id: PathId, request: Request, session: SessionDep, form: FormDep, _admin: AdminDep):
    person = _user(session, person_id)
    role, partnership_id = form.get("role"), str(form.get("partnership_id") or "")
    if role not in {r.value for r in Role}:
        problem = message("enum", {"expected": ", ".join(r.value for r in Role)}, gettext_of(request))
        return render(request, "admin/users.html", _users_context(session, errors={f"role-{person.id}": problem}), 422)
    if role != Role.admin:
        _keep_an_admin(session, person)
    partnership = session.get(Partnership, int(partnership_id)) if partnership_id.isdigit() else None
    if role == Role.partner and partnership is None:
        problem = message("role_needs_partnership", {}, gettext_of(request))
        context = _users_context(session, errors={f"role-{person.id}": problem})
        return render(request, "admin/users.html", context, 422)
    person.role = role
    person.partnership_id = partnership.id if role == Role.partner else None
    # A changed role takes effect at once: sessions started under the old one end.
    account_service.end_all_sessions(session, person_id=person.id)
    session.commit()
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/users/{person_id}/deactivate", name="admin_user_deactivate")
def deactivate(person_id: PathId, request: Request, session: SessionDep, _admin: AdminDep):
    person = _user(session, person_id)
    _keep_an_admin(session, person)
    account_service.set_active(session, person=person, active=False)
    session.commit()
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/users/{person_id}/activate", name="admin_user_activate")
def activate(person_id: PathId, request: Request, session: SessionDep, _admin: AdminDep):
    account_service.set_active(session, person=_user(session, person_id), active=True)
    session.commit()
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/partnerships/{slug}/publication", name="admin_publication")
def publication(slug: str, request: Request, session: SessionDep, form: FormDep, _admin: AdminDep):
    partnership = partnership_service.get_partnership_or_404(session, slug)
    partnership.published = form.get("published") == "on"
    session.commit()
    return RedirectResponse("/admin", status_code=303)


# Secret addresses an admin shares: the calendar feeds and the public progress page.
SHARED = {"calendar": "calendar_token", "public": "public_token"}


def _set_address(session: Session, slug: str, what: str, token: str | None):
    """Give a shared page a new secret address (the old one stops at once), or none."""
    partnership = partnership_service.get_partnership_or_404(session, slug)
    setattr(partnership, SHARED[what], token)
    session.commit()
    return RedirectResponse("/admin", status_code=303)


@router.post("/partnerships/{slug}/calendar", name="admin_calendar_token")
def share_feed(slug: str, session: SessionDep, _admin: AdminDep):
    return _set_address(session, slug, "calendar", secrets.token_urlsafe(24))


@router.post("/partnerships/{slug}/calendar/revoke", name="admin_calendar_revoke")
def revoke_feed(slug: str, session: SessionDep, _admin: AdminDep):
    return _set_address(session, slug, "calendar", None)


@router.post("/partnerships/{slug}/public", name="admin_public_token")
def share_public_page(slug: str, session: SessionDep, _admin: AdminDep):
    return _set_address(session, slug, "public", secrets.token_urlsafe(24))


@router.post("/partnerships/{slug}/public/revoke", name="admin_public_revoke")
def revoke_public_page(slug: str, session: SessionDep, _admin: AdminDep):
    return _set_address(session, slug, "public", None)


class AuditQuery(ListQuery):
    """The audit page's filters."""

    person: int | None = Field(None, ge=1, le=MAX_ID)
    kind: str | None = Field(None, max_length=40)
    date_from: Day | None = None
    date_to: Day | None = None


@router.get("/audit", name="admin_audit")
def audit_page(request: Request, session: SessionDep, _admin: AdminDep):
    query, errors = parse_query(request, AuditQuery)
    zone = viewer_zone(request) or request.app.state.settings.default_timezone

    def bound(day: date | None) -> datetime | None:
        return day_start(day, zone) if day else None

    events, total = audit_service.recent(
        session,
        filters=AuditFilter(query.person, query.kind if query.kind in ENTITIES else None),
        start=bound(query.date_from),
        end=bound(query.date_to + timedelta(days=1)) if query.date_to else None,
        limit=PAGE_SIZE,
        offset=query.offset,
    )
    context = {"events": events, "actors": audit_service.actors(session), "entities": list(ENTITIES)}
    return list_page(request, "admin/audit", query, total, context, errors)

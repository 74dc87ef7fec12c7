"""Administration pages: users and roles. Every refusal comes back to the same page, with its message."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlmodel import Session

from tracker.accounts import memberships
from tracker.accounts import service as account_service
from tracker.accounts import users as user_service
from tracker.accounts.schemas import InviteIn, RoleIn
from tracker.api import PathId
from tracker.auth import AdminDep
from tracker.db import SessionDep
from tracker.errors import Conflict
from tracker.forms import FormDep, form_values
from tracker.labels import status_label
from tracker.models import Role, utcnow
from tracker.partnerships import service as partnership_service
from tracker.templating import gettext_of, render
from tracker.times import all_timezones
from tracker.validation import FieldErrors, messages, raise_if

router = APIRouter(prefix="/admin", include_in_schema=False)


def _page(request: Request, session: Session, status: int = 200, **extra):
    settings = request.app.state.settings
    users = account_service.list_users(session)
    context = {
        "users": users,
        "access": memberships.roles_of_many(session, [u.id for u in users]),
        "partnerships": partnership_service.list_partnerships(session),
        "roles": list(Role),
        "timezones": all_timezones(),
        "values": {"role": "manager", "language": "es", "timezone": settings.default_timezone},
        "errors": {},
        "invited": None,
        "resent": None,
        "refusal": None,
    } | extra
    return render(request, "admin/users.html", context, status)


def _refusal(request: Request, exc: Conflict) -> str:
    gettext = gettext_of(request)
    context = {key: status_label(value, gettext) if key == "role" else value for key, value in exc.context.items()}
    return gettext(exc.reason).format(**context)


def _refused(request: Request, session: Session, exc: Conflict, status: int = 409):
    """A refusal (the last administrator, someone already invited) said on the page it came from."""
    session.rollback()
    return _page(request, session, status, refusal=_refusal(request, exc))


@router.get("/users", name="admin_users")
def users_page(request: Request, session: SessionDep, _admin: AdminDep):
    return _page(request, session)


@router.post("/users", name="admin_invite")
def invite(request: Request, session: SessionDep, form: FormDep, _admin: AdminDep):
    values = form_values(form, InviteIn)
    try:
        data = InviteIn.model_validate(values)
        person = user_service.invite(session, request.app.state.settings, data=data, now=utcnow())
    except (ValidationError, FieldErrors) as exc:
        session.rollback()
        errors = messages(exc, gettext_of(request))
        if "__all__" in errors:  # the partner-needs-a-partnership rule spans two fields: shown on the second
            errors["partnership_id"] = errors.pop("__all__")
        return _page(request, session, 422, values=values, errors=errors)
    except Conflict as exc:
        return _refused(request, session, exc)
    session.commit()
    return _page(request, session, 201, invited=person)


@router.post("/users/{person_id}/invitation", name="admin_user_invitation")
def resend_invitation(person_id: PathId, request: Request, session: SessionDep, _admin: AdminDep):
    person = user_service.get_user_or_404(session, person_id)
    try:
        user_service.resend_invitation(session, request.app.state.settings, person=person, now=utcnow())
    except Conflict as exc:
        return _refused(request, session, exc)
    session.commit()
    return _page(request, session, resent=person)


def _access_page(request: Request, session: Session, person, status: int = 200, **extra):
    roles = memberships.roles_of(session, person.id)
    context = {
        "person": person,
        "partnerships": partnership_service.list_partnerships(session),
        "values": {"admin": person.role == Role.admin} | {f"access-{pid}": str(role) for pid, role in roles.items()},
        "errors": {},
        "refusal": None,
    } | extra
    return render(request, "admin/user_access.html", context, status)


@router.get("/users/{person_id}", name="admin_user")
def access_page(person_id: PathId, request: Request, session: SessionDep, _admin: AdminDep):
    return _access_page(request, session, user_service.get_user_or_404(session, person_id))


def _role_input(form) -> dict:
    """RoleIn's fields from either form: the access page (admin box, a role per partnership) or a
    role and a partnership."""
    if "access" not in form:
        return form_values(form, RoleIn)
    access = {
        key.removeprefix("access-"): value
        for key, value in form.multi_items()
        if key.startswith("access-") and key != "access-" and isinstance(value, str) and value
    }
    admin = form.get("admin") in ("on", "true", "1")
    return {"role": "admin" if admin else "partner", "access": access}


@router.post("/users/{person_id}/role", name="admin_user_role")
def change_role(person_id: PathId, request: Request, session: SessionDep, form: FormDep, _admin: AdminDep):
    person = user_service.get_user_or_404(session, person_id)
    on_access_page = "access" in form
    values = _role_input(form)
    try:
        if on_access_page and values["role"] != "admin" and not values["access"]:
            raise_if({"access": ("access_needed", {})})
        user_service.change_role(session, person=person, data=RoleIn.model_validate(values))
    except (ValidationError, FieldErrors) as exc:
        session.rollback()
        problem = next(iter(messages(exc, gettext_of(request)).values()))
        if on_access_page:
            shown = {"admin": values["role"] == "admin"} | {f"access-{k}": v for k, v in values["access"].items()}
            return _access_page(request, session, person, 422, values=shown, errors={"access": problem})
        return _page(request, session, 422, errors={f"role-{person.id}": problem})
    except Conflict as exc:
        if on_access_page:
            session.rollback()
            return _access_page(request, session, person, 409, refusal=_refusal(request, exc))
        return _refused(request, session, exc)
    session.commit()
    return RedirectResponse("/admin/users", status_code=303)


def _set_active(request: Request, session: Session, person_id: int, active: bool):
    person = user_service.get_user_or_404(session, person_id)
    try:
        user_service.set_active(session, person=person, active=active)
    except Conflict as exc:
        return _refused(request, session, exc)
    session.commit()
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/users/{person_id}/deactivate", name="admin_user_deactivate")
def deactivate(person_id: PathId, request: Request, session: SessionDep, _admin: AdminDep):
    return _set_active(request, session, person_id, False)


@router.post("/users/{person_id}/activate", name="admin_user_activate")
def activate(person_id: PathId, request: Request, session: SessionDep, _admin: AdminDep):
    return _set_active(request, session, person_id, True)

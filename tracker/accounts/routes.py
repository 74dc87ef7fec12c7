"""Pages: signing in and out, setting a password from a link, and one's own account."""

import logging
from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlmodel import Session, select

from tracker.accounts import service as account_service
from tracker.accounts.emails import send_link
from tracker.accounts.passwords import password_problem, verify_password
from tracker.accounts.schemas import PreferencesIn
from tracker.api import PathId
from tracker.auth import SESSION_COOKIE, MaybeViewer, ViewerDep
from tracker.db import SessionDep
from tracker.forms import FormDep, form_values
from tracker.mail.headers import InvalidAddress
from tracker.models import Person, ReminderMode, utcnow
from tracker.pages import safe_next
from tracker.templating import gettext_of, render
from tracker.times import all_timezones
from tracker.validation import N_, message, messages

router = APIRouter(include_in_schema=False)
logger = logging.getLogger("tracker")
BAD_CREDENTIALS = N_("The email or the password is wrong.")
THROTTLED = N_("Too many failed attempts. Wait 15 minutes and try again, or reset your password.")


def client_ip(request: Request) -> str:
    return (request.client.host if request.client else "unknown")[:45]


def _signed_in(request: Request, session: Session, person: Person, target: str):
    """Start a fresh session (never reuse the one presented) and go on."""
    settings = request.app.state.settings
    if old := request.cookies.get(SESSION_COOKIE):
        account_service.end_session(session, token=old)
    token, _ = account_service.start_session(
        session,
        person=person,
        now=utcnow(),
        max_age=timedelta(hours=settings.session_max_hours),
        client_ip=client_ip(request),
        user_agent=request.headers.get("user-agent"),
    )
    session.commit()
    response = RedirectResponse(safe_next(target), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_max_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )
    return response


@router.get("/sign-in", name="sign_in")
def sign_in_page(request: Request, viewer: MaybeViewer):
    target = safe_next(request.query_params.get("next"))
    if viewer is not None:
        return RedirectResponse(target, status_code=303)
    return render(request, "accounts/sign_in.html", {"values": {"next": target}, "errors": {}})


@router.post("/sign-in", name="sign_in_submit")
def sign_in_submit(request: Request, session: SessionDep, form: FormDep):
    email = str(form.get("email") or "")
    password = str(form.get("password") or "")
    target = safe_next(str(form.get("next") or ""))
    result = account_service.sign_in(
        session, email=email, password=password, client_ip=client_ip(request), now=utcnow()
    )
    session.commit()
    if result.person is None:
        text = THROTTLED if result.throttled else BAD_CREDENTIALS
        context = {"values": {"email": email, "next": target}, "errors": {}, "problem": gettext_of(request)(text)}
        return render(request, "accounts/sign_in.html", context, 429 if result.throttled else 401)
    return _signed_in(request, session, result.person, target)


@router.post("/sign-out", name="sign_out")
def sign_out(request: Request, session: SessionDep):
    if token := request.cookies.get(SESSION_COOKIE):
        account_service.end_session(session, token=token)
        session.commit()
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/password/forgot", name="password_forgot")
def forgot_page(request: Request):
    return render(request, "accounts/forgot.html", {"values": {}, "errors": {}, "sent": False})


@router.post("/password/forgot", name="password_forgot_submit")
def forgot_submit(request: Request, session: SessionDep, form: FormDep):
    email = str(form.get("email") or "").strip().lower()[:320].replace("\x00", "")
    person = session.exec(select(Person).where(Person.email == email)).first()
    # The same answer whether or not the address has an account.
    if person is not None and person.active and person.role:
        try:
            send_link(session, request.app.state.settings, person=person, purpose="reset", now=utcnow())
        except InvalidAddress:  # an address written by hand that no email can carry: nothing to send
            logger.warning("no reset link can be emailed to person %s", person.id)
            session.rollback()
        else:
            session.commit()
    return render(request, "accounts/forgot.html", {"values": {"email": email}, "errors": {}, "sent": True})


def _new_password_errors(request: Request, form, person: Person) -> dict:
    password = str(form.get("password") or "")
    gettext = gettext_of(request)
    problem = password_problem(password, user_inputs=[person.email, person.name, "mou", "tracker", "carb"])
    if problem:
        return {"password": message(problem, {}, gettext)}
    if password != form.get("password_again"):
        return {"password_again": message("password_mismatch", {}, gettext)}
    return {}


@router.get("/password/set/{token}", name="password_set")
def set_password_page(token: str, request: Request, session: SessionDep):
    found = account_service.find_link(session, token=token, now=utcnow())
    if found is None:
        return _expired_link(request)
    return render(request, "accounts/set_password.html", {"person": found[1], "errors": {}, "token": token})


def _expired_link(request: Request):
    text = N_("This link has expired or was already used. Ask for a new one.")
    return render(request, "error.html", {"status": 410, "message": text, "translated": False, "reset": True}, 410)


@router.post("/password/set/{token}", name="password_set_submit")
def set_password_submit(token: str, request: Request, session: SessionDep, form: FormDep):
    now = utcnow()
    found = account_service.find_link(session, token=token, now=now)
    if found is None:
        return _expired_link(request)
    link, person = found
    if errors := _new_password_errors(request, form, person):
        return render(request, "accounts/set_password.html", {"person": person, "errors": errors, "token": token}, 422)
    if not account_service.use_link(session, link=link, now=now):
        session.rollback()
        return _expired_link(request)
    account_service.set_password(session, person=person, password=str(form.get("password")))
    return _signed_in(request, session, person, "/")


def _account_context(session: Session, viewer, **extra) -> dict:
    person = session.get(Person, viewer.person_id)
    return {
        "person": person,
        "values": {
            "language": str(person.language),
            "timezone": person.timezone,
            "reminder_mode": str(person.reminder_mode),
        },
        "modes": list(ReminderMode),
        "errors": {},
        "timezones": all_timezones(),
        "tokens": account_service.list_api_tokens(session, person=person),
        "new_token": None,
        "saved": None,
    } | extra


@router.get("/account", name="account")
def account_page(request: Request, session: SessionDep, viewer: ViewerDep):
    return render(request, "accounts/account.html", _account_context(session, viewer))


@router.post("/account", name="account_save")
def account_save(request: Request, session: SessionDep, form: FormDep, viewer: ViewerDep):
    values = form_values(form, PreferencesIn)
    try:
        data = PreferencesIn.model_validate(values)
    except ValidationError as exc:
        context = _account_context(session, viewer, errors=messages(exc, gettext_of(request)), values=values)
        return render(request, "accounts/account.html", context, 422)
    account_service.save_preferences(session, person=session.get(Person, viewer.person_id), data=data)
    session.commit()
    response = RedirectResponse("/account", status_code=303)
    # The account's choices now apply; cookies chosen before signing in would hide them.
    response.delete_cookie("lang")
    response.delete_cookie("tz")
    return response


@router.post("/account/password", name="account_password")
def account_password(request: Request, session: SessionDep, form: FormDep, viewer: ViewerDep):
    person = session.get(Person, viewer.person_id)
    errors = {}
    if not verify_password(str(form.get("current_password") or ""), person.password_hash):
        errors["current_password"] = message("password_wrong", {}, gettext_of(request))
    else:
        errors = _new_password_errors(request, form, person)
    if errors:
        return render(request, "accounts/account.html", _account_context(session, viewer, errors=errors), 422)
    account_service.set_password(session, person=person, password=str(form.get("password")))
    # Every other session has ended; this browser gets a fresh one.
    return _signed_in(request, session, person, "/account")


@router.post("/account/tokens", name="account_token_create")
def token_create(request: Request, session: SessionDep, form: FormDep, viewer: ViewerDep):
    name = " ".join(str(form.get("name") or "").split())[:80]
    if not name:
        errors = {"name": message("blank", {}, gettext_of(request))}
        return render(request, "accounts/account.html", _account_context(session, viewer, errors=errors), 422)
    person = session.get(Person, viewer.person_id)
    secret, _ = account_service.create_api_token(session, person=person, name=name, now=utcnow())
    session.commit()
    # Shown this once: only its hash is kept.
    response = render(request, "accounts/account.html", _account_context(session, viewer, new_token=secret), 201)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/account/tokens/{token_id}/revoke", name="account_token_revoke")
def token_revoke(token_id: PathId, request: Request, session: SessionDep, viewer: ViewerDep):
    person = session.get(Person, viewer.person_id)
    account_service.revoke_api_token(session, person=person, token_id=token_id, now=utcnow())
    session.commit()
    return RedirectResponse("/account", status_code=303)

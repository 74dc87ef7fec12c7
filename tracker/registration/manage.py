"""The managers' side of public registration: open, change, close and reopen an activity's form, the list
of registrations with approval, and the partnership's consent text."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlmodel import Session

from tracker.activities import service as activity_service
from tracker.api import PathId
from tracker.auth import ManagerDep
from tracker.confirming import confirm_page
from tracker.db import SessionDep
from tracker.errors import NotFound, StaleEdit, check_version
from tracker.forms import FormDep, display_values, form_values, submitted_version
from tracker.i18n import LANGUAGES, gettext_for
from tracker.models import Activity, Participant, Registration, utcnow
from tracker.pages import safe_next
from tracker.partnerships.service import get_partnership_or_404
from tracker.registration import emails, rules
from tracker.registration import service as registration_service
from tracker.registration.forms import ConsentIn, FormSettingsIn
from tracker.registration.routes import notify_promoted
from tracker.templating import gettext_of, render
from tracker.times import NonexistentLocalTime, local_to_utc, utc_to_local
from tracker.validation import EARLIEST, LATEST, N_, message, messages

router = APIRouter(include_in_schema=False)

NO_CONSENT = N_("Write the consent text of this partnership before opening registration.")
CLOSES_AFTER_START = N_("Registration closes at the latest when the activity starts: choose an earlier time.")
NOTICES = ("saved", "closed", "approved", "declined", "consent")


def _page(request: Request, session: Session, activity: Activity, status: int = 200, **extra):
    form = registration_service.get_form(session, activity.id)
    partnership = activity_service.activity_partnership(session, activity)
    rows = registration_service.listing(session, activity.id)
    taken = registration_service.taken(session, activity.id)
    values = {"needs_approval": False}
    if form is not None:
        closes = utc_to_local(form.closes_at, activity.timezone) if form.closes_at else None
        values = display_values({"capacity": form.capacity, "closes_local": closes}) | {
            "needs_approval": form.needs_approval
        }
    notice = next((name for name in NOTICES if name in request.query_params), None)
    context = {
        "activity": activity,
        "partnership": partnership,
        "form": form,
        "open": registration_service.is_open(form, activity, utcnow()),
        "share_url": f"{request.app.state.settings.base_url}/register/{form.token}" if form else None,
        "rows": rows,
        "counts": registration_service.counts(rows),
        "taken": taken,
        "seats_left": rules.seats_left(form.capacity, taken) if form else None,
        "consent_missing": not (partnership.consent_en or partnership.consent_es),
        "values": values,
        "errors": {},
        "notice": notice,
    } | extra
    return render(request, "registration/manage.html", context, status)


@router.get("/activities/{activity_id}/registration", name="registration_manage")
def registration_manage(activity_id: PathId, request: Request, session: SessionDep, viewer: ManagerDep):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    return _page(request, session, activity)


@router.post("/activities/{activity_id}/registration", name="registration_open")
def registration_open(
    activity_id: PathId, request: Request, session: SessionDep, submitted: FormDep, viewer: ManagerDep
):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    partnership = activity_service.activity_partnership(session, activity)
    values = form_values(submitted, FormSettingsIn)
    gettext = gettext_of(request)
    errors, data, closes_at = {}, None, None
    try:
        data = FormSettingsIn.model_validate(values)
    except ValidationError as exc:
        errors = messages(exc, gettext)
    if data is not None and data.closes_local is not None:
        day = data.closes_local.date()
        if not EARLIEST <= day <= LATEST:
            errors["closes_local"] = message("date_range", {"min": EARLIEST, "max": LATEST}, gettext)
        else:
            try:
                closes_at = local_to_utc(data.closes_local, activity.timezone)
            except NonexistentLocalTime:
                errors["closes_local"] = message("nonexistent_time", {"zone": activity.timezone}, gettext)
            if closes_at is not None and closes_at > activity.starts_at:
                errors["closes_local"] = gettext(CLOSES_AFTER_START)
    if not (partnership.consent_en or partnership.consent_es):
        errors["consent"] = gettext(NO_CONSENT)
    if errors:
        return _page(request, session, activity, 422, values=values, errors=errors)
    now = utcnow()
    form = registration_service.open_form(
        session,
        activity=activity,
        capacity=data.capacity,
        closes_at=closes_at,
        needs_approval=data.needs_approval,
        by=viewer.person_id,
        now=now,
    )
    # More seats than before: the waiting list moves up.
    promoted = registration_service.fill_seats(session, activity=activity, form=form, now=now)
    notify_promoted(session, request.app.state.settings, activity=activity, promoted=promoted, now=now)
    session.commit()
    return RedirectResponse(f"/activities/{activity.id}/registration?saved=1", status_code=303)


def _form_or_404(session: Session, activity: Activity):
    form = registration_service.get_form(session, activity.id)
    if form is None:
        raise NotFound(N_("Registration was never opened for this activity."))
    return form


@router.get("/activities/{activity_id}/registration/close", name="registration_close_confirm")
def registration_close_confirm(activity_id: PathId, request: Request, session: SessionDep, viewer: ManagerDep):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    _form_or_404(session, activity)
    gettext = gettext_of(request)
    return confirm_page(
        request,
        title=gettext("Close registration?"),
        consequences=[
            gettext("The form's address then says that registration is closed."),
            gettext("Registrations already made stay as they are; you can reopen the form later."),
        ],
        action=f"/activities/{activity.id}/registration/close",
        back=f"/activities/{activity.id}/registration",
        submit=gettext("Close registration"),
        partnership=activity_service.activity_partnership(session, activity),
    )


@router.post("/activities/{activity_id}/registration/close", name="registration_close")
def registration_close(activity_id: PathId, request: Request, session: SessionDep, viewer: ManagerDep):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    form = _form_or_404(session, activity)
    if form.closed_at is None:
        registration_service.close_form(session, activity=activity, form=form, now=utcnow())
        session.commit()
    return RedirectResponse(f"/activities/{activity.id}/registration?closed=1", status_code=303)


def _registration(session: Session, registration_id: int, viewer) -> tuple[Registration, Activity]:
    registration = session.get(Registration, registration_id)
    if registration is None:
        raise NotFound(N_("This registration does not exist."))
    return registration, activity_service.get_activity_or_404(session, registration.activity_id, viewer)


@router.post("/registrations/{registration_id}/approve", name="registration_approve")
def registration_approve(registration_id: PathId, request: Request, session: SessionDep, viewer: ManagerDep):
    registration, activity = _registration(session, registration_id, viewer)
    if registration.state == "pending":
        now = utcnow()
        form = registration_service.get_form(session, activity.id)
        registration_service.approve(session, activity=activity, form=form, registration=registration, now=now)
        token = registration_service.renew_link(registration, now)
        session.flush()
        emails.notify(
            session, request.app.state.settings, what=registration.state, activity=activity,
            registration=registration, participant=session.get(Participant, registration.participant_id),
            token=token, now=now, position=registration_service.position(session, registration), reason="approved",
        )  # fmt: skip
        session.commit()
    return RedirectResponse(f"/activities/{activity.id}/registration?approved=1#registrations", status_code=303)


@router.get("/registrations/{registration_id}/decline", name="registration_decline_confirm")
def registration_decline_confirm(registration_id: PathId, request: Request, session: SessionDep, viewer: ManagerDep):
    registration, activity = _registration(session, registration_id, viewer)
    participant = session.get(Participant, registration.participant_id)
    gettext = gettext_of(request)
    return confirm_page(
        request,
        title=gettext("Decline the registration of %(name)s?") % {"name": participant.name},
        consequences=[
            gettext("They are told by email, in their language, that their registration was not accepted."),
            gettext("They are not put on the roster; the decision is kept in the history."),
        ],
        action=f"/registrations/{registration.id}/decline",
        back=f"/activities/{activity.id}/registration#registrations",
        submit=gettext("Decline"),
        partnership=activity_service.activity_partnership(session, activity),
    )


@router.post("/registrations/{registration_id}/decline", name="registration_decline")
def registration_decline(registration_id: PathId, request: Request, session: SessionDep, viewer: ManagerDep):
    registration, activity = _registration(session, registration_id, viewer)
    if registration.state in ("pending", "waitlisted"):
        now = utcnow()
        registration_service.decline(session, registration=registration, now=now)
        emails.notify(
            session, request.app.state.settings, what="declined", activity=activity, registration=registration,
            participant=session.get(Participant, registration.participant_id), token=None, now=now,
        )  # fmt: skip
        session.commit()
    return RedirectResponse(f"/activities/{activity.id}/registration?declined=1#registrations", status_code=303)


# The consent text ---------------------------------------------------------------------------------


def _consent_page(request: Request, partnership, values: dict, errors: dict, status: int = 200):
    context = {
        "partnership": partnership,
        "values": values,
        "errors": errors,
        "next": safe_next(request.query_params.get("next") or values.get("next")),
        "suggested": {code: not getattr(partnership, f"consent_{code}") for code in LANGUAGES},
    }
    return render(request, "registration/consent.html", context, status)


@router.get("/partnerships/{slug}/consent", name="consent_edit")
def consent_edit(slug: str, request: Request, session: SessionDep, viewer: ManagerDep):
    partnership = get_partnership_or_404(session, slug, viewer)
    values = {
        f"consent_{code}": getattr(partnership, f"consent_{code}") or gettext_for(code)(rules.SUGGESTED_CONSENT)
        for code in LANGUAGES
    }
    values["version"] = str(partnership.version)
    return _consent_page(request, partnership, values, {})


@router.post("/partnerships/{slug}/consent", name="consent_update")
def consent_update(slug: str, request: Request, session: SessionDep, submitted: FormDep, viewer: ManagerDep):
    partnership = get_partnership_or_404(session, slug, viewer)
    values = form_values(submitted, ConsentIn) | {"next": submitted.get("next") or ""}
    gettext = gettext_of(request)
    try:
        data = ConsentIn.model_validate(values)
        check_version("partnership", partnership, submitted_version(submitted))
    except ValidationError as exc:
        return _consent_page(request, partnership, values, messages(exc, gettext), 422)
    except StaleEdit:
        errors = {"__all__": message("stale", {}, gettext)}
        return _consent_page(request, partnership, values | {"version": str(partnership.version)}, errors, 409)
    if not (data.consent_en or data.consent_es):
        errors = {code: message("one_language", {}, gettext) for code in ("consent_en", "consent_es")}
        return _consent_page(request, partnership, values, errors, 422)
    partnership.consent_en, partnership.consent_es = data.consent_en, data.consent_es
    session.add(partnership)
    session.commit()
    target = safe_next(values["next"]) if values["next"] else f"/partnerships/{partnership.slug}"
    return RedirectResponse(target + ("&" if "?" in target else "?") + "consent=1", status_code=303)

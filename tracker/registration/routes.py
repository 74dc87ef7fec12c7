"""Public pages: an activity's registration form at its secret address, and each person's personal link
to see, change or cancel their registration. For visitors: no account, the anonymous CSRF token, limits."""

from babel import Locale
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlmodel import Session

from tracker.confirming import confirm_page
from tracker.db import SessionDep
from tracker.forms import FormDep, form_values
from tracker.i18n import LANGUAGE_COOKIE, LANGUAGES, in_language
from tracker.models import Activity, Language, Participant, Partnership, Registration, Sex, utcnow
from tracker.participants.names import fold
from tracker.participants.schemas import _COUNTRIES
from tracker.registration import emails, rules
from tracker.registration import service as registration_service
from tracker.registration.forms import DetailsIn, RegistrationIn
from tracker.templating import gettext_of, render
from tracker.validation import N_, messages

router = APIRouter(include_in_schema=False)

CONSENT_NEEDED = N_("Tick this box to register: your details are kept only with your consent.")
THROTTLED = N_(
    "Too many registrations were sent from your connection in the last hour. Please try again later, "
    "or ask the organizers to register you."
)
RESULTS = ("confirmed", "waitlisted", "pending", "already")


def use_language(request: Request, default: str) -> str:
    """The page's language: the one chosen on the page (or before), else `default` (the activity's)."""
    chosen = request.query_params.get("lang") or request.cookies.get(LANGUAGE_COOKIE)
    language = chosen if chosen in LANGUAGES else default if default in LANGUAGES else "es"
    request.state.language = language
    return language


def activity_language(activity: Activity) -> str:
    """The language a visitor of this activity's pages reads first: its first language of delivery."""
    return next((code for code in activity.languages or [] if code in LANGUAGES), "es")


def client_address(request: Request) -> str:
    """The address registrations are counted by."""
    return (request.client.host if request.client else "")[:45]


def countries(language: str) -> list[tuple[str, str]]:
    """Every country, named and ordered in the reader's language."""
    names = Locale.parse(language).territories
    pairs = [(code, names.get(code, code)) for code in _COUNTRIES]
    return sorted(pairs, key=lambda pair: fold(pair[1]))


def _form_context(session: Session, activity: Activity, form, language: str, **extra) -> dict:
    partnership = session.get(Partnership, activity.partnership_id)
    consent, consent_language = in_language(partnership, "consent", language)
    taken = registration_service.taken(session, activity.id)
    return {
        "activity": activity,
        "form": form,
        "consent": consent,
        "consent_language": consent_language,
        "seats_left": rules.seats_left(form.capacity, taken),
        "countries": countries(language),
        "sexes": list(Sex),
        "languages_all": list(Language),
        "values": {"language": language, "sex": "not_stated"},
        "errors": {},
        "honeypot": rules.HONEYPOT,
        "throttled": None,
    } | extra


def _closed(request: Request, activity: Activity):
    return render(request, "registration/closed.html", {"activity": activity}, 404)


@router.get("/register/{token}", name="register_form")
def register_form(token: str, request: Request, session: SessionDep):
    form, activity = registration_service.form_by_token(session, token)
    language = use_language(request, activity_language(activity))
    if not registration_service.is_open(form, activity, utcnow()):
        return _closed(request, activity)
    return render(request, "registration/form.html", _form_context(session, activity, form, language))


@router.post("/register/{token}", name="register_submit")
def register_submit(token: str, request: Request, session: SessionDep, submitted: FormDep):
    form, activity = registration_service.form_by_token(session, token)
    language = use_language(request, activity_language(activity))
    now = utcnow()
    if not registration_service.is_open(form, activity, now):
        return _closed(request, activity)
    values = form_values(submitted, RegistrationIn)
    gettext = gettext_of(request)
    address = client_address(request)
    if rules.throttled(registration_service.recent_from(session, address, now)):
        context = _form_context(session, activity, form, language, values=values, throttled=gettext(THROTTLED))
        return render(request, "registration/form.html", context, 429)
    done = f"/register/{token}/done?lang={language}&result="
    if submitted.get(rules.HONEYPOT):
        # A robot: it is told what a person would be, and nothing is stored.
        pretend = rules.state_for(
            needs_approval=form.needs_approval,
            capacity=form.capacity,
            taken=registration_service.taken(session, activity.id),
        )
        return RedirectResponse(done + pretend, status_code=303)
    errors = {}
    data = None
    try:
        data = RegistrationIn.model_validate(values)
    except ValidationError as exc:
        errors = messages(exc, gettext)
    if not values.get("consent"):
        errors["consent"] = gettext(CONSENT_NEEDED)
    if errors:
        context = _form_context(session, activity, form, language, values=values, errors=errors)
        return render(request, "registration/form.html", context, 422)
    consent, _written_in = in_language(session.get(Partnership, activity.partnership_id), "consent", language)
    outcome = registration_service.register(
        session, activity=activity, form=form, data=data, consent_text=consent, client_ip=address, now=now
    )
    registration, participant = outcome.registration, outcome.participant
    if outcome.already:
        if outcome.token:
            emails.notify(
                session, request.app.state.settings, what="link", activity=activity, registration=registration,
                participant=participant, token=outcome.token, now=now,
            )  # fmt: skip
        result = "already"
    else:
        emails.notify(
            session, request.app.state.settings, what=registration.state, activity=activity,
            registration=registration, participant=participant, token=outcome.token, now=now,
            position=registration_service.position(session, registration),
        )  # fmt: skip
        result = registration.state
    session.commit()
    return RedirectResponse(done + result, status_code=303)


@router.get("/register/{token}/done", name="register_done")
def register_done(token: str, request: Request, session: SessionDep):
    _form, activity = registration_service.form_by_token(session, token)
    use_language(request, activity_language(activity))
    result = request.query_params.get("result")
    context = {"activity": activity, "result": result if result in RESULTS else "confirmed"}
    return render(request, "registration/done.html", context)


# The personal link ------------------------------------------------------------------------------


def _mine(session: Session, token: str, request: Request) -> tuple[Registration, Activity, Participant]:
    registration = registration_service.by_personal_token(session, token)
    activity = session.get(Activity, registration.activity_id)
    use_language(request, registration.language)
    return registration, activity, session.get(Participant, registration.participant_id)


def _mine_context(session: Session, registration, activity, participant, **extra) -> dict:
    return {
        "registration": registration,
        "activity": activity,
        "participant": participant,
        "position": registration_service.position(session, registration),
        "active": registration.state in rules.ACTIVE,
        "languages_all": list(Language),
        "values": {
            "organization": participant.organization,
            "position": participant.position,
            "language": registration.language,
            "needs": registration.needs,
        },
        "errors": {},
        "notice": None,
    } | extra


@router.get("/my-registration/{token}", name="my_registration")
def my_registration(token: str, request: Request, session: SessionDep):
    registration, activity, participant = _mine(session, token, request)
    notice = next((name for name in ("saved", "cancelled") if name in request.query_params), None)
    context = _mine_context(session, registration, activity, participant, notice=notice)
    response = render(request, "registration/mine.html", context)
    response.headers["X-Robots-Tag"] = "noindex"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@router.post("/my-registration/{token}", name="my_registration_update")
def my_registration_update(token: str, request: Request, session: SessionDep, submitted: FormDep):
    registration, activity, participant = _mine(session, token, request)
    values = form_values(submitted, DetailsIn)
    if registration.state not in rules.ACTIVE:
        return RedirectResponse(f"/my-registration/{token}", status_code=303)
    try:
        data = DetailsIn.model_validate(values)
    except ValidationError as exc:
        errors = messages(exc, gettext_of(request))
        context = _mine_context(session, registration, activity, participant, values=values, errors=errors)
        return render(request, "registration/mine.html", context, 422)
    registration_service.update_details(
        session, registration=registration, participant=participant, data=data, now=utcnow()
    )
    session.commit()
    return RedirectResponse(f"/my-registration/{token}?saved=1&lang={data.language}", status_code=303)


@router.get("/my-registration/{token}/cancel", name="my_registration_cancel_confirm")
def my_registration_cancel_confirm(token: str, request: Request, session: SessionDep):
    registration, activity, _participant = _mine(session, token, request)
    gettext = gettext_of(request)
    if registration.state not in rules.ACTIVE:
        return RedirectResponse(f"/my-registration/{token}", status_code=303)
    return confirm_page(
        request,
        title=gettext("Cancel your registration?"),
        consequences=[
            gettext("Your place in this activity is given up; if anyone is waiting, the first in line gets it."),
            gettext("You can register again while the form is open, if seats are left."),
        ],
        action=f"/my-registration/{token}/cancel",
        back=f"/my-registration/{token}",
        submit=gettext("Cancel my registration"),
    )


@router.post("/my-registration/{token}/cancel", name="my_registration_cancel")
def my_registration_cancel(token: str, request: Request, session: SessionDep):
    registration, activity, participant = _mine(session, token, request)
    if registration.state in rules.ACTIVE:
        now = utcnow()
        form = registration_service.get_form(session, activity.id)
        promoted = registration_service.cancel(
            session, activity=activity, form=form, registration=registration, now=now
        )
        settings = request.app.state.settings
        emails.notify(
            session, settings, what="cancelled", activity=activity, registration=registration,
            participant=participant, token=None, now=now,
        )  # fmt: skip
        notify_promoted(session, settings, activity=activity, promoted=promoted, now=now)
        session.commit()
    return RedirectResponse(f"/my-registration/{token}?cancelled=1", status_code=303)


def notify_promoted(session: Session, settings, *, activity: Activity, promoted: list[Registration], now) -> None:
    """Tell each person moved off the waiting list that a seat is theirs (with a new personal link)."""
    for registration in promoted:
        token = registration_service.renew_link(registration, now)
        session.flush()
        emails.notify(
            session, settings, what="confirmed", activity=activity, registration=registration,
            participant=session.get(Participant, registration.participant_id), token=token, now=now,
            reason="promoted",
        )  # fmt: skip

"""Public pages: a participant's survey behind their personal link, in their language, answered once."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from sqlmodel import Session

from tracker.db import SessionDep
from tracker.forms import FormDep
from tracker.i18n import LANGUAGE_COOKIE, LANGUAGES
from tracker.models import utcnow
from tracker.surveys import service as survey_service
from tracker.surveys.schedule import APPLIED, EVALUATION, PRETEST, USES
from tracker.surveys.service import Found
from tracker.templating import gettext_of, render

router = APIRouter(include_in_schema=False)
# The address holds the person's token: never cached, never sent on as a referrer, never indexed.
PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex"}


def _speak_their_language(request: Request, found: Found) -> None:
    """The participant's own language unless they chose one here (?lang=, then the cookie it sets)."""
    chosen = request.query_params.get("lang"), request.cookies.get(LANGUAGE_COOKIE)
    if not any(choice in LANGUAGES for choice in chosen):
        request.state.language = str(found.participant.language)


def _open(session: Session, request: Request, token: str) -> Found:
    found = survey_service.find_by_token(session, token)
    _speak_their_language(request, found)
    return found


def _page(request: Request, session: Session, found: Found, token: str, *, values=None, errors=None):
    invitation = found.invitation
    shown = survey_service.state_of(invitation, utcnow())
    context = {"found": found, "activity": found.activity, "kind": invitation.kind}
    if shown == "answered":
        return render(request, "surveys/answered.html", context, headers=PRIVATE)
    if shown == "expired":
        return render(request, "surveys/expired.html", context, 410, headers=PRIVATE)
    questions = []
    if invitation.kind in (PRETEST, EVALUATION):
        questions = [
            (question, survey_service.choices_of(question))
            for question in survey_service.questions_of(session, activity_id=found.activity.id)
        ]
    context |= {
        "token": token,
        "questions": questions,
        "values": values or {},
        "errors": errors or {},
        "applied_options": APPLIED,
        "uses": USES,
    }
    return render(request, "surveys/form.html", context, 422 if errors else 200, headers=PRIVATE)


@router.get("/survey/{token}", name="survey")
def survey_page(token: str, request: Request, session: SessionDep):
    return _page(request, session, _open(session, request, token), token)


@router.post("/survey/{token}", name="survey_answer")
def survey_answer(token: str, request: Request, session: SessionDep, form: FormDep):
    found = _open(session, request, token)
    if survey_service.state_of(found.invitation, utcnow()) != "open":
        return _page(request, session, found, token)
    values = {name: value for name, value in form.items() if isinstance(value, str) and name != "uses"}
    values["uses"] = [value for value in form.getlist("uses") if isinstance(value, str)]
    questions = survey_service.questions_of(session, activity_id=found.activity.id)
    answers, errors = survey_service.parse_answers(found.invitation.kind, values, questions)
    if errors:
        gettext = gettext_of(request)
        return _page(request, session, found, token, values=values, errors={k: gettext(v) for k, v in errors.items()})
    survey_service.record_answers(session, found=found, answers=answers, now=utcnow())
    session.commit()
    return RedirectResponse(request.url_for("survey", token=token).path, status_code=303, headers=PRIVATE)

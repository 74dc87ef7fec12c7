"""Managers' pages: an activity's test questions (added, edited, reordered, removed) and its surveys' response rates."""

from fastapi import APIRouter, Request
from sqlmodel import Session

from tracker.activities import service as activity_service
from tracker.api import PathId
from tracker.auth import ManagerDep
from tracker.confirming import confirm_page
from tracker.db import SessionDep
from tracker.forms import FormDep
from tracker.models import Activity
from tracker.pages import saved
from tracker.surveys import service as survey_service
from tracker.surveys.service import MAX_CHOICES
from tracker.templating import gettext_of, render

router = APIRouter(include_in_schema=False)


def _activity(session: Session, activity_id: int, viewer) -> Activity:
    return activity_service.get_activity_or_404(session, activity_id, viewer)


def _page_url(activity: Activity) -> str:
    return f"/activities/{activity.id}/surveys"


def _context(session: Session, activity: Activity, **extra) -> dict:
    questions = survey_service.questions_of(session, activity_id=activity.id)
    return {
        "activity": activity,
        "partnership": activity_service.activity_partnership(session, activity),
        "questions": [(q, survey_service.choices_of(q)) for q in questions],
        "rates": survey_service.activity_rates(session, activity_id=activity.id),
        "slots": range(MAX_CHOICES),
        "values": survey_service.question_values(None),
        "errors": {},
        "editing": None,
    } | extra


def _form_values(form) -> dict:
    return {name: value for name, value in form.items() if isinstance(value, str)}


def _refused(request: Request, session: Session, activity: Activity, values: dict, errors: dict, editing=None):
    gettext = gettext_of(request)
    session.rollback()
    translated = {name: gettext(text) for name, text in errors.items()}
    template = "surveys/question.html" if editing is not None else "surveys/manage.html"
    context = _context(session, activity, values=values, errors=translated, editing=editing)
    return render(request, template, context, 422)


@router.get("/activities/{activity_id}/surveys", name="activity_surveys")
def surveys_page(activity_id: PathId, request: Request, session: SessionDep, viewer: ManagerDep):
    activity = _activity(session, activity_id, viewer)
    return render(request, "surveys/manage.html", _context(session, activity))


@router.post("/activities/{activity_id}/surveys/questions", name="survey_question_add")
def question_add(activity_id: PathId, request: Request, session: SessionDep, form: FormDep, viewer: ManagerDep):
    activity = _activity(session, activity_id, viewer)
    values = _form_values(form)
    fields, errors = survey_service.parse_question(values)
    if errors:
        return _refused(request, session, activity, values, errors)
    survey_service.add_question(session, activity=activity, fields=fields)
    session.commit()
    return saved(request, _page_url(activity) + "#questions")


@router.get("/activities/{activity_id}/surveys/questions/{question_id}", name="survey_question")
def question_page(activity_id: PathId, question_id: PathId, request: Request, session: SessionDep, viewer: ManagerDep):
    activity = _activity(session, activity_id, viewer)
    question = survey_service.get_question_or_404(session, activity=activity, question_id=question_id)
    context = _context(session, activity, values=survey_service.question_values(question), editing=question)
    return render(request, "surveys/question.html", context)


@router.post("/activities/{activity_id}/surveys/questions/{question_id}", name="survey_question_save")
def question_save(
    activity_id: PathId, question_id: PathId, request: Request, session: SessionDep, form: FormDep, viewer: ManagerDep
):
    activity = _activity(session, activity_id, viewer)
    question = survey_service.get_question_or_404(session, activity=activity, question_id=question_id)
    values = _form_values(form)
    fields, errors = survey_service.parse_question(values)
    if errors:
        return _refused(request, session, activity, values, errors, editing=question)
    survey_service.save_question(session, question=question, fields=fields)
    session.commit()
    return saved(request, _page_url(activity) + "#questions")


@router.post("/activities/{activity_id}/surveys/questions/{question_id}/move", name="survey_question_move")
def question_move(
    activity_id: PathId, question_id: PathId, request: Request, session: SessionDep, form: FormDep, viewer: ManagerDep
):
    activity = _activity(session, activity_id, viewer)
    question = survey_service.get_question_or_404(session, activity=activity, question_id=question_id)
    survey_service.move_question(
        session, question=question, direction="up" if form.get("direction") == "up" else "down"
    )
    session.commit()
    return saved(request, _page_url(activity) + "#questions")


@router.get("/activities/{activity_id}/surveys/questions/{question_id}/delete", name="survey_question_delete_confirm")
def question_delete_confirm(
    activity_id: PathId, question_id: PathId, request: Request, session: SessionDep, viewer: ManagerDep
):
    activity = _activity(session, activity_id, viewer)
    question = survey_service.get_question_or_404(session, activity=activity, question_id=question_id)
    gettext = gettext_of(request)
    return confirm_page(
        request,
        title=gettext("Remove this question?"),
        consequences=[
            gettext("It is taken out of the test; tests not yet answered will not ask it."),
            gettext("Scores already given stay as they are."),
        ],
        action=f"{_page_url(activity)}/questions/{question.id}/delete",
        back=_page_url(activity),
        submit=gettext("Remove"),
        partnership=activity_service.activity_partnership(session, activity),
    )


@router.post("/activities/{activity_id}/surveys/questions/{question_id}/delete", name="survey_question_delete")
def question_delete(
    activity_id: PathId, question_id: PathId, request: Request, session: SessionDep, viewer: ManagerDep
):
    activity = _activity(session, activity_id, viewer)
    question = survey_service.get_question_or_404(session, activity=activity, question_id=question_id)
    survey_service.remove_question(session, question=question)
    session.commit()
    return saved(request, _page_url(activity) + "#questions")

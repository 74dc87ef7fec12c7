"""Pages: the activity list, an activity, its forms and its status actions."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from pydantic import Field, ValidationError
from sqlmodel import Session

from tracker.activities import actions as activity_actions
from tracker.activities import confirmations
from tracker.activities import service as activity_service
from tracker.activities.forms import activity_values, materials_text
from tracker.activities.schemas import REASON_LENGTH, HeldIn, PostponeIn, ReasonIn
from tracker.activities.service import OUTCOMES, ActivityFilter
from tracker.api import PathId
from tracker.auth import ManagerDep, ViewerDep
from tracker.confirming import confirm_page
from tracker.db import SessionDep
from tracker.documents import sections as document_sections
from tracker.documents.service import of_activity
from tracker.forms import FormDep, display_values, form_values, submitted_version
from tracker.i18n import request_language
from tracker.models import Activity, ActivityFormat, ActivityKind, ActivityStatus, Language, Partnership, utcnow
from tracker.pages import PAGE_SIZE, ListQuery, form_page, list_page, parse_query, save_form, saved
from tracker.partnerships import service as partnership_service
from tracker.people import service as people_service
from tracker.reminders.planner import item_reminders
from tracker.surveys import service as survey_service
from tracker.templating import gettext_of, is_htmx, render, viewer_zone
from tracker.times import all_timezones
from tracker.validation import MAX_ID, Day, FieldErrors, messages

router = APIRouter(include_in_schema=False)


class ActivityQuery(ListQuery):
    """The activity list's filters."""

    area: int | None = Field(None, ge=1, le=MAX_ID)
    kind: ActivityKind | None = None
    status: ActivityStatus | None = None
    date_from: Day | None = None
    date_to: Day | None = None


@router.get("/partnerships/{slug}/activities", name="activities")
def activity_list(slug: str, request: Request, session: SessionDep, viewer: ViewerDep):
    partnership = partnership_service.get_partnership_or_404(session, slug, viewer)
    query, errors = parse_query(request, ActivityQuery)
    rows, total = activity_service.list_activities(
        session,
        partnership_ids=[partnership.id],
        filters=ActivityFilter(query.area, query.kind, query.status, query.date_from, query.date_to, query.search),
        zone=viewer_zone(request) or request.app.state.settings.default_timezone,
        limit=PAGE_SIZE,
        offset=query.offset,
    )
    context = {
        "partnership": partnership,
        "activities": rows,
        "kinds": list(ActivityKind),
        "statuses": list(ActivityStatus),
    }
    return list_page(request, "activities", query, total, context, errors)


def _form_context(session: Session, partnership: Partnership, values: dict, errors: dict, activity=None) -> dict:
    return {
        "partnership": partnership,
        "activity": activity,
        "values": values,
        "materials": materials_text(values),
        "errors": errors,
        "organizations": partnership_service.list_organizations(session),
        "people": people_service.all_people(session),
        "kinds": list(ActivityKind),
        "formats": list(ActivityFormat),
        "languages_all": list(Language),
        "timezones": all_timezones(),
    }


def _page_of(request: Request):
    return lambda activity: request.url_for("activity", activity_id=activity.id).path


@router.get("/partnerships/{slug}/activities/new", name="activity_new")
def activity_new(slug: str, request: Request, session: SessionDep, viewer: ManagerDep):
    partnership = partnership_service.get_partnership_or_404(session, slug, viewer)
    values = {
        "timezone": request.app.state.settings.default_timezone,
        "languages": ["es", "en"],
        "kind": "workshop",
        "format": "in_person",
        "completion_threshold": "80",
        "mastery_threshold": "70",
    }
    if request.query_params.get("area"):
        values["area_ids"] = [request.query_params["area"]]
    return form_page(request, "activities", _form_context(session, partnership, values, {}))


@router.post("/partnerships/{slug}/activities", name="activity_create")
def activity_create(slug: str, request: Request, session: SessionDep, form: FormDep, viewer: ManagerDep):
    partnership = partnership_service.get_partnership_or_404(session, slug, viewer)
    values = activity_values(form)

    def save():
        data = activity_service.validated(session, partnership=partnership, activity=None, values=values)
        return activity_service.create_activity(session, partnership=partnership, data=data)

    return save_form(
        request,
        session,
        "activities",
        save=save,
        context=lambda errors: _form_context(session, partnership, values, errors),
        url=_page_of(request),
    )


def _detail_context(
    session: Session,
    activity: Activity,
    *,
    errors: dict | None = None,
    open_form: str | None = None,
    notice: str | None = None,
    values: dict | None = None,
) -> dict:
    """The activity page; `open_form` is the status form shown open, with the `values` typed into it."""
    current = display_values(activity_service.to_input(activity))
    typed = values or {}
    return {
        "activity": activity,
        "partnership": activity_service.activity_partnership(session, activity),
        "actions": activity_actions.available_actions(activity, utcnow()),
        "reopens_as": activity_actions.reopen_status(session, activity) if activity.status == "cancelled" else None,
        "postpone_values": typed if open_form == "postpone" else {k: current[k] for k in ("start_local", "end_local")},
        "held_values": typed if open_form == "held" else {name: getattr(activity, name) for name in OUTCOMES},
        # Each status form's reason: only the open one was typed in.
        "reasons": {open_form: typed.get("reason") or ""} if open_form else {},
        "errors": errors or {},
        "open_form": open_form,
        "notice": notice,
        "documents": document_sections.section(session, parent=of_activity(activity)),
        "history": document_sections.history(session, parent=of_activity(activity)),
        "reminders": item_reminders(
            session, item_type="activity", item=activity, partnership_id=activity.partnership_id, now=utcnow()
        ),
        "surveys": survey_service.activity_summary(session, activity=activity),
    }


@router.get("/activities/{activity_id}", name="activity")
def activity_page(activity_id: PathId, request: Request, session: SessionDep, viewer: ViewerDep):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    return render(request, "activities/detail.html", _detail_context(session, activity))


@router.get("/activities/{activity_id}/edit", name="activity_edit")
def activity_edit(activity_id: PathId, request: Request, session: SessionDep, viewer: ManagerDep):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    values = display_values(activity_service.to_input(activity)) | {"version": str(activity.version)}
    partnership = activity_service.activity_partnership(session, activity)
    return form_page(request, "activities", _form_context(session, partnership, values, {}, activity))


@router.post("/activities/{activity_id}/edit", name="activity_update")
def activity_update(activity_id: PathId, request: Request, session: SessionDep, form: FormDep, viewer: ManagerDep):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    partnership = activity_service.activity_partnership(session, activity)
    values = activity_values(form)
    return save_form(
        request,
        session,
        "activities",
        save=lambda: activity_service.edit_activity(
            session, activity=activity, values=values, version=submitted_version(form)
        ),
        context=lambda errors: _form_context(session, partnership, values, errors, activity),
        url=_page_of(request),
    )


def _asked_reason(request: Request) -> dict:
    """The reason a page's own form carried to the confirmation page (GET), to be confirmed there."""
    return {"reason": request.query_params.get("reason", "")[:REASON_LENGTH]}


def _confirmation(request: Request, session: Session, activity: Activity, asking, action: str, **extra):
    return confirm_page(
        request,
        title=asking.title,
        consequences=asking.consequences,
        submit=asking.submit,
        action=f"/activities/{activity.id}/{action}",
        back=f"/activities/{activity.id}",
        partnership=activity_service.activity_partnership(session, activity),
        **extra,
    )


@router.get("/activities/{activity_id}/delete", name="activity_delete_confirm")
def activity_delete_confirm(activity_id: PathId, request: Request, session: SessionDep, viewer: ManagerDep):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    asking = confirmations.deleting(session, activity, request_language(request))
    return _confirmation(request, session, activity, asking, "delete")


@router.post("/activities/{activity_id}/delete", name="activity_delete")
def activity_delete(activity_id: PathId, request: Request, session: SessionDep, viewer: ManagerDep):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    slug = activity_service.activity_partnership(session, activity).slug
    activity_service.delete_activity(session, activity=activity)
    session.commit()
    return saved(request, f"/partnerships/{slug}/activities")


def _after_action(request: Request, session: Session, activity: Activity, notice: str):
    """Show the new status: the panel to htmx, a redirect to everyone else."""
    if is_htmx(request):
        return render(request, "activities/_status.html", _detail_context(session, activity, notice=notice))
    return RedirectResponse(request.url_for("activity", activity_id=activity.id).path, status_code=303)


def _act(request: Request, session: Session, activity: Activity, change, form_name=None, values=None, refused=None):
    """Run a status action; when its input is refused, the form again with each field's message (422): the
    status panel to htmx, else `refused(errors)` (its confirmation page) or the page with that form open."""
    try:
        change()
    except (ValidationError, FieldErrors) as exc:
        session.rollback()
        errors = messages(exc, gettext_of(request))
        activity = activity_service.get_activity_or_404(session, activity.id)
        if refused is not None and not is_htmx(request):
            return refused(errors)
        context = _detail_context(session, activity, errors=errors, open_form=form_name, values=values)
        template = "activities/_status.html" if is_htmx(request) else "activities/detail.html"
        return render(request, template, context, 422)
    session.commit()
    return _after_action(request, session, activity, "changed")


@router.post("/activities/{activity_id}/confirm", name="activity_confirm")
def activity_confirm(activity_id: PathId, request: Request, session: SessionDep, viewer: ManagerDep):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    return _act(request, session, activity, lambda: activity_actions.confirm(session, activity=activity))


@router.get("/activities/{activity_id}/cancel", name="activity_cancel_confirm")
def activity_cancel_confirm(activity_id: PathId, request: Request, session: SessionDep, viewer: ManagerDep):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    activity_actions.require(activity, "cancel")
    asking = confirmations.cancelling(activity, request_language(request))
    return _confirmation(request, session, activity, asking, "cancel", reason=True, values=_asked_reason(request))


@router.post("/activities/{activity_id}/cancel", name="activity_cancel")
def activity_cancel(activity_id: PathId, request: Request, session: SessionDep, form: FormDep, viewer: ManagerDep):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    values = form_values(form, ReasonIn)

    def change():
        activity_actions.require(activity, "cancel")  # a status that forbids it answers 409, whatever the input
        activity_actions.cancel(session, activity=activity, reason=ReasonIn.model_validate(values).reason)

    def refused(errors):
        asking = confirmations.cancelling(activity, request_language(request))
        return _confirmation(request, session, activity, asking, "cancel", reason=True, values=values, errors=errors)

    return _act(request, session, activity, change, "cancel", values, refused)


@router.post("/activities/{activity_id}/postpone", name="activity_postpone")
def activity_postpone(activity_id: PathId, request: Request, session: SessionDep, form: FormDep, viewer: ManagerDep):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    values = form_values(form, PostponeIn)

    def change():
        activity_actions.require(activity, "postpone")
        activity_actions.postpone(session, activity=activity, data=PostponeIn.model_validate(values))

    return _act(request, session, activity, change, "postpone", values)


@router.post("/activities/{activity_id}/held", name="activity_held")
def activity_held(activity_id: PathId, request: Request, session: SessionDep, form: FormDep, viewer: ManagerDep):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    values = form_values(form, HeldIn)

    def change():
        activity_actions.require(activity, "hold")
        activity_actions.mark_held(session, activity=activity, data=HeldIn.model_validate(values), now=utcnow())

    return _act(request, session, activity, change, "held", values)


@router.post("/activities/{activity_id}/reopen", name="activity_reopen")
def activity_reopen(activity_id: PathId, request: Request, session: SessionDep, form: FormDep, viewer: ManagerDep):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    values = form_values(form, ReasonIn)

    def change():
        activity_actions.require(activity, "reopen")
        activity_actions.reopen(session, activity=activity, reason=ReasonIn.model_validate(values).reason)

    return _act(request, session, activity, change, "reopen", values)


@router.get("/activities/{activity_id}/undo-held", name="activity_undo_held_confirm")
def activity_undo_held_confirm(activity_id: PathId, request: Request, session: SessionDep, viewer: ManagerDep):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    activity_actions.require(activity, "undo_held")
    asking = confirmations.undoing_held(activity, request_language(request))
    return _confirmation(request, session, activity, asking, "undo-held", reason=True, values=_asked_reason(request))


@router.post("/activities/{activity_id}/undo-held", name="activity_undo_held")
def activity_undo_held(activity_id: PathId, request: Request, session: SessionDep, form: FormDep, viewer: ManagerDep):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    values = form_values(form, ReasonIn)

    def change():
        activity_actions.require(activity, "undo_held")
        activity_actions.undo_held(session, activity=activity, reason=ReasonIn.model_validate(values).reason)

    def refused(errors):
        asking = confirmations.undoing_held(activity, request_language(request))
        return _confirmation(request, session, activity, asking, "undo-held", reason=True, values=values, errors=errors)

    return _act(request, session, activity, change, "undo_held", values, refused)

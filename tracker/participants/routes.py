"""Pages: an activity's roster (attendance and evaluation), its CSV and XLSX exports, certificates, duplicates."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlmodel import Session

from tracker.activities import service as activity_service
from tracker.api import PathId
from tracker.auth import ManagerDep, ViewerDep
from tracker.db import SessionDep
from tracker.errors import NotFound
from tracker.exports import csv_response, reader_of, xlsx_response
from tracker.forms import FormDep, form_values
from tracker.i18n import LANGUAGES
from tracker.models import Activity, AttendanceStatus, Enrollment, Language, Participant, Sex
from tracker.participants import service as participant_service
from tracker.participants.exports import roster_table
from tracker.participants.rules import activity_days
from tracker.participants.schemas import EnrollmentIn, ParticipantIn
from tracker.templating import gettext_of, is_htmx, render
from tracker.validation import FieldErrors, messages

router = APIRouter(include_in_schema=False)


def _roster_context(session: Session, activity: Activity, **extra) -> dict:
    return {
        "activity": activity,
        "partnership": activity_service.activity_partnership(session, activity),
        "rows": participant_service.roster(session, activity=activity),
        "evaluation": participant_service.activity_evaluation(session, activity=activity),
        "days": activity_days(activity.starts_at, activity.ends_at, activity.timezone),
        "statuses": list(AttendanceStatus),
        "sexes": list(Sex),
        "languages_all": list(Language),
        "values": {"status": "attended", "sex": "not_stated", "language": "es"},
        "errors": {},
    } | extra


@router.get("/activities/{activity_id}/roster", name="roster")
def roster_page(activity_id: PathId, request: Request, session: SessionDep, viewer: ViewerDep):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    return render(request, "participants/roster.html", _roster_context(session, activity))


@router.post("/activities/{activity_id}/roster", name="roster_add")
def roster_add(activity_id: PathId, request: Request, session: SessionDep, form: FormDep, viewer: ManagerDep):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    values = form_values(form, ParticipantIn) | form_values(form, EnrollmentIn)
    errors = {}
    parsed = {}
    for schema in (ParticipantIn, EnrollmentIn):
        try:
            parsed[schema] = schema.model_validate({k: v for k, v in values.items() if k in schema.model_fields})
        except ValidationError as exc:
            errors |= messages(exc, gettext_of(request))  # both halves' problems, at once
    try:
        if errors:
            raise FieldErrors({})
        participant_service.enroll(
            session, activity=activity, data=parsed[ParticipantIn], attendance=parsed[EnrollmentIn]
        )
    except FieldErrors as exc:
        session.rollback()
        errors |= messages(exc, gettext_of(request))
        context = _roster_context(session, activity, values=values, errors=errors)
        return render(request, "participants/roster.html", context, 422)
    session.commit()
    return RedirectResponse(f"/activities/{activity.id}/roster", status_code=303)


def _enrollment(session: Session, enrollment_id: int, viewer) -> tuple[Enrollment, Activity]:
    enrollment = participant_service.get_enrollment_or_404(session, enrollment_id)
    return enrollment, activity_service.get_activity_or_404(session, enrollment.activity_id, viewer)


@router.post("/enrollments/{enrollment_id}", name="enrollment_update")
def enrollment_update(enrollment_id: PathId, request: Request, session: SessionDep, form: FormDep, viewer: ManagerDep):
    enrollment, activity = _enrollment(session, enrollment_id, viewer)
    values = form_values(form, EnrollmentIn)
    errors = {}
    try:
        participant_service.update_enrollment(
            session, enrollment=enrollment, activity=activity, data=EnrollmentIn.model_validate(values)
        )
        session.commit()
    except (ValidationError, FieldErrors) as exc:
        session.rollback()
        errors = messages(exc, gettext_of(request))
    if not is_htmx(request):
        if errors:
            context = _roster_context(session, activity, row_errors={enrollment.id: errors})
            return render(request, "participants/roster.html", context, 422)
        return RedirectResponse(f"/activities/{activity.id}/roster", status_code=303)
    row = next(r for r in participant_service.roster(session, activity=activity) if r.enrollment.id == enrollment.id)
    context = _roster_context(session, activity, row=row, row_errors={enrollment.id: errors})
    return render(request, "participants/_row.html", context, 422 if errors else 200)


@router.post("/enrollments/{enrollment_id}/delete", name="enrollment_delete")
def enrollment_delete(enrollment_id: PathId, request: Request, session: SessionDep, viewer: ManagerDep):
    enrollment, activity = _enrollment(session, enrollment_id, viewer)
    session.delete(enrollment)
    session.commit()
    return RedirectResponse(f"/activities/{activity.id}/roster", status_code=303)


def _roster_download(activity_id: int, request: Request, session, viewer, respond):
    """The roster as one table for this reader, answered as CSV or XLSX by `respond`."""
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    reader = reader_of(request)
    table = roster_table(session, activity=activity, reader=reader)
    return respond(table, reader, f"roster-activity-{activity.id}")


@router.get("/activities/{activity_id}/roster.csv", name="roster_csv")
def roster_csv(activity_id: PathId, request: Request, session: SessionDep, viewer: ViewerDep):
    return _roster_download(activity_id, request, session, viewer, csv_response)


@router.get("/activities/{activity_id}/roster.xlsx", name="roster_xlsx")
def roster_xlsx(activity_id: PathId, request: Request, session: SessionDep, viewer: ViewerDep):
    return _roster_download(activity_id, request, session, viewer, xlsx_response)


@router.get("/activities/{activity_id}/certificates/{participant_id}", name="certificate")
def certificate(activity_id: PathId, participant_id: PathId, request: Request, session: SessionDep, viewer: ViewerDep):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    row = next(
        (r for r in participant_service.roster(session, activity=activity) if r.participant.id == participant_id), None
    )
    if row is None or not row.completed:
        raise NotFound()
    # In the participant's language unless the viewer asks for the other one.
    request.state.language = request.query_params.get("lang") or str(row.participant.language)
    if request.state.language not in LANGUAGES:
        request.state.language = str(row.participant.language)
    context = {
        "activity": activity,
        "participant": row.participant,
        "partnership": activity_service.activity_partnership(session, activity),
    }
    return render(request, "participants/certificate.html", context)


@router.get("/participants/duplicates", name="duplicates")
def duplicates_page(request: Request, session: SessionDep, _manager: ManagerDep):
    return render(request, "participants/duplicates.html", {"groups": participant_service.possible_duplicates(session)})


@router.post("/participants/{participant_id}/merge", name="participant_merge")
def participant_merge(
    participant_id: PathId, request: Request, session: SessionDep, form: FormDep, _manager: ManagerDep
):
    duplicate = session.get(Participant, participant_id)
    into = str(form.get("into") or "")
    keep = session.get(Participant, int(into)) if into.isdigit() and len(into) < 10 else None
    if duplicate is None or keep is None:
        raise NotFound()
    participant_service.merge(session, keep=keep, duplicate=duplicate)
    session.commit()
    return RedirectResponse("/participants/duplicates", status_code=303)

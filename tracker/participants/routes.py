"""Pages: an activity's roster (attendance and evaluation), its CSV and XLSX exports, certificates, duplicates."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlmodel import Session, select

from tracker.activities import service as activity_service
from tracker.api import PathId
from tracker.auth import ManagerDep, ViewerDep, scope_of
from tracker.confirming import confirm_page
from tracker.db import SessionDep
from tracker.errors import NotFound
from tracker.exports import csv_response, reader_of, xlsx_response
from tracker.forms import FormDep, display_values, form_values, submitted_version
from tracker.models import Activity, AttendanceStatus, Certificate, Enrollment, Language, Participant, Sex
from tracker.pages import form_page, save_form, saved
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
        "notice": dict.fromkeys(("saved", "removed", "attended", "added", "updated")),
        "submitted": None,
        "row_errors": {},
        "row_saved": False,
    } | extra


@router.get("/activities/{activity_id}/roster", name="roster")
def roster_page(activity_id: PathId, request: Request, session: SessionDep, viewer: ViewerDep):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)

    def count(name: str) -> int | None:
        found = request.query_params.get(name, "")
        return int(found) if found.isdigit() and len(found) < 7 else None

    notice = {
        "saved": "saved" in request.query_params,
        "removed": "removed" in request.query_params,
        "attended": count("attended"),
        "added": count("added"),
        "updated": count("updated"),
    }
    return render(request, "participants/roster.html", _roster_context(session, activity, notice=notice))


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


def _row_values(form, enrollment_id: int) -> dict:
    """One grid row's inputs (named field-id), or a single row's form (named field)."""
    suffixed = {name: form.get(f"{name}-{enrollment_id}") for name in EnrollmentIn.model_fields}
    if any(value is not None for value in suffixed.values()):
        return {name: value for name, value in suffixed.items() if value is not None}
    return form_values(form, EnrollmentIn)


@router.post("/activities/{activity_id}/roster/grid", name="roster_grid")
def roster_grid(activity_id: PathId, request: Request, session: SessionDep, form: FormDep, viewer: ManagerDep):
    """Save every row of the grid at once (the page without JavaScript): all rows or none."""
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    gettext = gettext_of(request)
    row_errors = {}
    for row in participant_service.roster(session, activity=activity):
        values = _row_values(form, row.enrollment.id)
        if not values:
            continue  # a row added since the page was opened
        try:
            data = EnrollmentIn.model_validate(values)
            if data.model_dump() != {name: getattr(row.enrollment, name) for name in EnrollmentIn.model_fields}:
                participant_service.update_enrollment(session, enrollment=row.enrollment, activity=activity, data=data)
        except (ValidationError, FieldErrors) as exc:
            row_errors[row.enrollment.id] = messages(exc, gettext)
    if row_errors:
        session.rollback()
        context = _roster_context(session, activity, row_errors=row_errors, submitted=form)
        return render(request, "participants/roster.html", context, 422)
    session.commit()
    return RedirectResponse(f"/activities/{activity.id}/roster?saved=1", status_code=303)


@router.post("/activities/{activity_id}/roster/attended", name="roster_all_attended")
def roster_all_attended(activity_id: PathId, request: Request, session: SessionDep, viewer: ManagerDep):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    changed = participant_service.mark_all_attended(session, activity=activity)
    session.commit()
    return saved(request, f"/activities/{activity.id}/roster?attended={changed}")


@router.post("/enrollments/{enrollment_id}", name="enrollment_update")
def enrollment_update(enrollment_id: PathId, request: Request, session: SessionDep, form: FormDep, viewer: ManagerDep):
    enrollment, activity = _enrollment(session, enrollment_id, viewer)
    values = _row_values(form, enrollment.id)
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
            context = _roster_context(session, activity, row_errors={enrollment.id: errors}, submitted=form)
            return render(request, "participants/roster.html", context, 422)
        return RedirectResponse(f"/activities/{activity.id}/roster", status_code=303)
    row = next(r for r in participant_service.roster(session, activity=activity) if r.enrollment.id == enrollment.id)
    context = _roster_context(
        session,
        activity,
        row=row,
        row_errors={enrollment.id: errors},
        submitted=form if errors else None,
        row_saved=not errors,
    )
    return render(request, "participants/_row.html", context, 422 if errors else 200)


def _person_context(session: Session, enrollment: Enrollment, activity: Activity, values: dict, errors: dict):
    return {
        "activity": activity,
        "partnership": activity_service.activity_partnership(session, activity),
        "enrollment": enrollment,
        "participant": enrollment.participant,
        "values": values,
        "errors": errors,
        "sexes": list(Sex),
        "languages_all": list(Language),
    }


@router.get("/enrollments/{enrollment_id}/person", name="participant_edit")
def participant_edit(enrollment_id: PathId, request: Request, session: SessionDep, viewer: ManagerDep):
    enrollment, activity = _enrollment(session, enrollment_id, viewer)
    person = enrollment.participant
    values = display_values({name: getattr(person, name) for name in ParticipantIn.model_fields})
    values["version"] = str(person.version)
    return form_page(request, "participants", _person_context(session, enrollment, activity, values, {}))


@router.post("/enrollments/{enrollment_id}/person", name="participant_update")
def participant_update(enrollment_id: PathId, request: Request, session: SessionDep, form: FormDep, viewer: ManagerDep):
    enrollment, activity = _enrollment(session, enrollment_id, viewer)
    values = form_values(form, ParticipantIn)

    def save():
        participant_service.update_details(
            session,
            participant=enrollment.participant,
            data=ParticipantIn.model_validate(values),
            version=submitted_version(form),
        )
        return enrollment

    return save_form(
        request,
        session,
        "participants",
        save=save,
        context=lambda errors: _person_context(session, enrollment, activity, values, errors),
        url=lambda _: f"/activities/{activity.id}/roster#enrollment-{enrollment.id}",
    )


@router.get("/enrollments/{enrollment_id}/delete", name="enrollment_delete_confirm")
def enrollment_delete_confirm(enrollment_id: PathId, request: Request, session: SessionDep, viewer: ManagerDep):
    enrollment, activity = _enrollment(session, enrollment_id, viewer)
    gettext = gettext_of(request)
    consequences = [
        gettext("Their attendance, days and scores in this activity are deleted."),
        gettext("The person stays, with their other activities and their details."),
        gettext("The removal is kept in the history."),
    ]
    certificate = session.exec(select(Certificate).where(Certificate.enrollment_id == enrollment.id)).first()
    if certificate is not None:
        consequences.insert(
            1,
            gettext("Their certificate %(number)s goes with it: its verification address will no longer find it.")
            % {"number": certificate.number},
        )
    return confirm_page(
        request,
        title=gettext("Take %(name)s off this roster?") % {"name": enrollment.participant.name},
        consequences=consequences,
        action=f"/enrollments/{enrollment.id}/delete",
        back=f"/activities/{activity.id}/roster",
        submit=gettext("Remove from the roster"),
        partnership=activity_service.activity_partnership(session, activity),
    )


@router.post("/enrollments/{enrollment_id}/delete", name="enrollment_delete")
def enrollment_delete(enrollment_id: PathId, request: Request, session: SessionDep, viewer: ManagerDep):
    enrollment, activity = _enrollment(session, enrollment_id, viewer)
    participant_service.remove(session, enrollment=enrollment)
    session.commit()
    if is_htmx(request):
        return render(request, "empty.html", {})  # the row is taken out of the page
    return RedirectResponse(f"/activities/{activity.id}/roster?removed=1", status_code=303)


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


@router.get("/participants/duplicates", name="duplicates")
def duplicates_page(request: Request, session: SessionDep, viewer: ManagerDep):
    groups = participant_service.possible_duplicates(session, partnership_ids=scope_of(viewer))
    return render(request, "participants/duplicates.html", {"groups": groups})


def _merging(session: Session, participant_id: int, into) -> tuple[Participant, Participant]:
    """The duplicate and the person kept, as a merge names them."""
    duplicate = session.get(Participant, participant_id)
    into = str(into or "")
    keep = session.get(Participant, int(into)) if into.isdigit() and len(into) < 10 else None
    if duplicate is None or keep is None or keep.id == duplicate.id:
        raise NotFound()
    return duplicate, keep


@router.get("/participants/{participant_id}/merge", name="participant_merge_confirm")
def participant_merge_confirm(participant_id: PathId, request: Request, session: SessionDep, _manager: ManagerDep):
    duplicate, keep = _merging(session, participant_id, request.query_params.get("into"))
    gettext = gettext_of(request)
    names = {"duplicate": duplicate.name, "keep": keep.name}
    return confirm_page(
        request,
        title=gettext("Merge %(duplicate)s into %(keep)s?") % names,
        consequences=[
            gettext("Every activity of %(duplicate)s moves to %(keep)s.") % names,
            gettext("Where both took part in one activity, the more telling attendance and every score are kept."),
            gettext("Details %(keep)s lacks are taken from %(duplicate)s; then %(duplicate)s is deleted.") % names,
            gettext("This cannot be undone."),
        ],
        action=f"/participants/{duplicate.id}/merge",
        back="/participants/duplicates",
        submit=gettext("Merge"),
        hidden={"into": str(keep.id)},
    )


@router.post("/participants/{participant_id}/merge", name="participant_merge")
def participant_merge(
    participant_id: PathId, request: Request, session: SessionDep, form: FormDep, _manager: ManagerDep
):
    duplicate, keep = _merging(session, participant_id, form.get("into"))
    participant_service.merge(session, keep=keep, duplicate=duplicate)
    session.commit()
    return saved(request, "/participants/duplicates")

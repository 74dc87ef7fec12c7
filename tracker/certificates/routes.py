"""Pages: an activity's certificates (hours, issuing, email, revocation), each certificate as a printable
page and as a PDF, and all of an activity's certificates in one PDF."""

from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlmodel import Session

from tracker.activities import service as activity_service
from tracker.api import PathId
from tracker.auth import ManagerDep, ViewerDep
from tracker.certificates import document, emails
from tracker.certificates import service as certificate_service
from tracker.certificates.forms import RevokeIn, field_messages
from tracker.certificates.rules import hours_text, parse_hours
from tracker.db import SessionDep
from tracker.errors import NotFound
from tracker.forms import FormDep, form_values
from tracker.i18n import LANGUAGES, N_, marked, request_language
from tracker.models import Activity, utcnow
from tracker.pdf import pdf_response
from tracker.storage import FileStore, file_store
from tracker.templating import render
from tracker.validation import collect

router = APIRouter(include_in_schema=False)
StoreDep = Depends(file_store)
# What a finished action reports on the page it returns to (?issued=3), each a whole count.
NOTICES = ("issued", "queued", "unusable", "already", "revoked", "hours")


def _counts(request: Request) -> dict[str, int]:
    counts = {}
    for name in NOTICES:
        value = request.query_params.get(name, "")
        if value.isdigit() and len(value) < 7:
            counts[name] = int(value)
    return counts


def _url(activity: Activity, **counts) -> str:
    query = urlencode({k: v for k, v in counts.items() if v is not None})
    return f"/activities/{activity.id}/certificates" + (f"?{query}" if query else "")


def _list_page(request: Request, session: Session, activity: Activity, status: int = 200, **extra):
    rows = certificate_service.rows(session, activity=activity)
    hours = certificate_service.hours_of(session, activity=activity)
    language = request_language(request)
    context = {
        "activity": activity,
        "partnership": activity_service.activity_partnership(session, activity),
        "rows": rows,
        "counts": _counts(request),
        "hours": hours_text(hours, language),
        "values": {"hours": hours_text(hours, language)},
        "errors": {},
        "can_issue": certificate_service.can_issue(activity, utcnow()),
        "without_email": [r.participant.name for r in rows if r.state == "issued" and not r.participant.email],
    } | extra
    return render(request, "certificates/list.html", context, status)


@router.get("/activities/{activity_id}/certificates", name="certificates")
def certificates_page(activity_id: PathId, request: Request, session: SessionDep, viewer: ViewerDep):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    return _list_page(request, session, activity)


@router.post("/activities/{activity_id}/certificates/hours", name="certificate_hours")
def certificate_hours(activity_id: PathId, request: Request, session: SessionDep, form: FormDep, viewer: ManagerDep):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    typed = form.get("hours") if isinstance(form.get("hours"), str) else ""
    try:
        hours = parse_hours(typed)
    except ValueError:
        errors = field_messages({"hours": ("hours", {})}, request_language(request))
        return _list_page(request, session, activity, 422, values={"hours": typed[:20]}, errors=errors)
    certificate_service.set_hours(session, activity=activity, hours=hours)
    session.commit()
    return RedirectResponse(_url(activity, hours=1), status_code=303)


@router.post("/activities/{activity_id}/certificates/issue", name="certificates_issue")
def certificates_issue(activity_id: PathId, session: SessionDep, viewer: ManagerDep):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    new = certificate_service.issue_all(session, activity=activity, issued_by=viewer.person_id, now=utcnow())
    session.commit()
    return RedirectResponse(_url(activity, issued=len(new)), status_code=303)


def _send(request: Request, session: Session, store: FileStore, activity: Activity, rows, resend: bool):
    parts = document.parts_of(session, activity=activity, base_url=request.app.state.settings.base_url)
    done = emails.send(session, request.app.state.settings, store, parts=parts, rows=rows, resend=resend, now=utcnow())
    session.commit()
    counts = {"unusable": len(done.unusable) or None, "already": len(done.already_sent) or None}
    return RedirectResponse(_url(activity, queued=len(done.queued), **counts), status_code=303)


@router.post("/activities/{activity_id}/certificates/send", name="certificates_send")
def certificates_send(
    activity_id: PathId, request: Request, session: SessionDep, viewer: ManagerDep, store: FileStore = StoreDep
):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    return _send(request, session, store, activity, certificate_service.rows(session, activity=activity), False)


def _language(request: Request, default: str) -> str:
    """The participant's language unless the reader asks for another one (?lang=)."""
    asked = request.query_params.get("lang")
    return asked if asked in LANGUAGES else default


@router.get("/activities/{activity_id}/certificates.pdf", name="certificates_pdf")
def certificates_pdf(
    activity_id: PathId, request: Request, session: SessionDep, viewer: ViewerDep, store: FileStore = StoreDep
):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    rows = [r for r in certificate_service.rows(session, activity=activity) if r.state == "issued"]
    if not rows:
        raise NotFound(N_("No certificate of this activity has been issued yet."))
    parts = document.parts_of(session, activity=activity, base_url=request.app.state.settings.base_url)
    sheets = [
        document.sheet(
            parts,
            participant=r.participant,
            certificate=r.certificate,
            language=_language(request, str(r.participant.language)),
        )
        for r in rows
    ]
    language = request_language(request)
    title = marked(activity, "title", language)
    data = document.pdf(sheets, store, parts.content_types, title=title, language=language)
    return pdf_response(data, f"certificates-activity-{activity.id}.pdf", language, "attachment")


@router.get("/activities/{activity_id}/certificates/{participant_id}.pdf", name="certificate_pdf")
def certificate_pdf(
    activity_id: PathId,
    participant_id: PathId,
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    store: FileStore = StoreDep,
):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    row = certificate_service.issued_row_of(session, activity=activity, participant_id=participant_id)
    language = _language(request, str(row.participant.language))
    parts = document.parts_of(session, activity=activity, base_url=request.app.state.settings.base_url)
    sheet = document.sheet(parts, participant=row.participant, certificate=row.certificate, language=language)
    title = f"{row.certificate.number} · {row.participant.name}"
    data = document.pdf([sheet], store, parts.content_types, title=title, language=language)
    return pdf_response(data, f"{row.certificate.number}.pdf", language)


@router.get("/activities/{activity_id}/certificates/{participant_id}", name="certificate")
def certificate_page(
    activity_id: PathId,
    participant_id: PathId,
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    store: FileStore = StoreDep,
):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    row = certificate_service.row_of(session, activity=activity, participant_id=participant_id)
    # The page speaks the certificate's language: its title, its switch to the other one.
    language = request.state.language = _language(request, str(row.participant.language))
    parts = document.parts_of(session, activity=activity, base_url=request.app.state.settings.base_url)
    sheet = document.sheet(parts, participant=row.participant, certificate=row.certificate, language=language)
    images = document.Images(store, parts.content_types, inline=True)
    pdf = f"/activities/{activity.id}/certificates/{row.participant.id}.pdf?lang={language}"
    context = {
        "screen": True,
        "sheets": document.render_sheets([sheet], images, request.app.state.templates),
        "title": row.certificate.number if row.certificate else row.participant.name,
        "toolbar": {"back": _url(activity), "pdf": pdf if row.certificate else None},
    }
    return render(request, "certificates/document.html", context)


@router.get("/activities/{activity_id}/certificates/{participant_id}/revoke", name="certificate_revoke_page")
def revoke_page(activity_id: PathId, participant_id: PathId, request: Request, session: SessionDep, viewer: ManagerDep):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    row = certificate_service.issued_row_of(session, activity=activity, participant_id=participant_id)
    return _revoke_form(request, session, activity, row)


def _revoke_form(request: Request, session: Session, activity: Activity, row, values=None, errors=None, status=200):
    context = {
        "activity": activity,
        "partnership": activity_service.activity_partnership(session, activity),
        "row": row,
        "values": values or {},
        "errors": errors or {},
    }
    return render(request, "certificates/revoke.html", context, status)


@router.post("/activities/{activity_id}/certificates/{participant_id}/revoke", name="certificate_revoke")
def revoke(
    activity_id: PathId,
    participant_id: PathId,
    request: Request,
    session: SessionDep,
    form: FormDep,
    viewer: ManagerDep,
):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    row = certificate_service.issued_row_of(session, activity=activity, participant_id=participant_id)
    values = form_values(form, RevokeIn)
    try:
        data = RevokeIn.model_validate(values)
    except ValidationError as exc:
        errors = field_messages(collect(exc), request_language(request))
        return _revoke_form(request, session, activity, row, values, errors, 422)
    certificate_service.revoke(
        session, certificate=row.certificate, revoked_by=viewer.person_id, reason=data.reason, now=utcnow()
    )
    session.commit()
    return RedirectResponse(_url(activity, revoked=1), status_code=303)


@router.post("/activities/{activity_id}/certificates/{participant_id}/send", name="certificate_send")
def certificate_send(
    activity_id: PathId,
    participant_id: PathId,
    request: Request,
    session: SessionDep,
    viewer: ManagerDep,
    store: FileStore = StoreDep,
):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    row = certificate_service.issued_row_of(session, activity=activity, participant_id=participant_id)
    return _send(request, session, store, activity, [row], True)

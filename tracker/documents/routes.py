"""Pages: a partnership's documents, uploading to an activity, a deliverable or a partnership, deleting
(after a confirmation page without JavaScript), and a deliverable's review revision by revision."""

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from sqlmodel import Session

from tracker.activities import service as activity_service
from tracker.api import PathId, SlugParam
from tracker.auth import Viewer, ViewerDep
from tracker.confirming import confirm_page
from tracker.db import SessionDep
from tracker.deliverables import service as deliverable_service
from tracker.documents import detection, review, sections
from tracker.documents import service as document_service
from tracker.documents.service import Parent, of_activity, of_deliverable, of_partnership
from tracker.documents.uploads import UploadDep, max_bytes_of
from tracker.errors import NotFound
from tracker.forms import FormDep
from tracker.i18n import N_, localized, request_language, translate
from tracker.models import Document, Partnership
from tracker.pages import saved
from tracker.partnerships import service as partnership_service
from tracker.storage import FileStore, file_store
from tracker.templating import gettext_of, is_htmx, render, today_for
from tracker.validation import FieldErrors, message

router = APIRouter(include_in_schema=False)
StoreDep = Depends(file_store)
REASON_LENGTH = 1000


def _field_messages(request: Request, errors: dict) -> dict[str, str]:
    language = request_language(request)
    explained = detection.explained(errors, request.app.state.settings.upload_types, language)
    return {name: message(kind, context, gettext_of(request)) for name, (kind, context) in explained.items()}


def _fragment(request: Request, session: Session, parent: Parent, slug: str | None, status: int = 200, **shown):
    documents = sections.section(session, parent=parent, slug=slug, **shown)
    return render(request, "documents/_list.html", {"documents": documents}, status)


@router.get("/partnerships/{slug}/documents", name="partnership_documents")
def partnership_documents(slug: SlugParam, request: Request, session: SessionDep, viewer: ViewerDep):
    partnership = partnership_service.get_partnership_or_404(session, slug, viewer)
    parent = of_partnership(partnership)
    context = {
        "partnership": partnership,
        "documents": sections.section(session, parent=parent, slug=slug),
        "history": sections.history(session, parent=parent),
    }
    return render(request, "documents/partnership.html", context)


def _upload(
    request, session, store: FileStore, viewer: Viewer, upload, *, parent: Parent, page: str, record, slug=None
):
    """Store an upload and show the list with it (htmx) or go back to the page (303); refused: the form
    again with each field's message (422), and nothing stored."""
    document_service.ensure_manages(viewer, parent.partnership_id)
    try:
        document_service.add_document(
            session,
            store,
            parent=parent,
            filename=upload.filename,
            data=None if upload.refusal else upload.data,
            values=upload.values,
            allowed=request.app.state.settings.upload_types,
            max_bytes=max_bytes_of(request),
            person_id=viewer.person_id,
        )
    except FieldErrors as exc:
        session.rollback()
        errors = _field_messages(request, dict(exc.errors) | ({"file": upload.refusal} if upload.refusal else {}))
        if is_htmx(request):
            return _fragment(request, session, parent, slug, 422, errors=errors, values=upload.values)
        documents = sections.section(session, parent=parent, slug=slug, errors=errors, values=upload.values)
        context = {"documents": documents, "record": record, "back": page, "partnership": _partnership(session, parent)}
        return render(request, "documents/upload.html", context, 422)
    session.commit()
    if is_htmx(request):
        return _fragment(request, session, parent, slug, notice="added")
    return RedirectResponse(f"{page}?document=added#documents", status_code=303)


@router.post("/partnerships/{slug}/documents", name="partnership_document_upload")
def partnership_upload(
    slug: SlugParam, request: Request, session: SessionDep, viewer: ViewerDep, upload: UploadDep, store=StoreDep
):
    partnership = partnership_service.get_partnership_or_404(session, slug, viewer)
    page = f"/partnerships/{slug}/documents"
    parent = of_partnership(partnership)
    return _upload(request, session, store, viewer, upload, parent=parent, page=page, record=partnership, slug=slug)


@router.post("/activities/{activity_id}/documents", name="activity_document_upload")
def activity_upload(
    activity_id: PathId, request: Request, session: SessionDep, viewer: ViewerDep, upload: UploadDep, store=StoreDep
):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    page = f"/activities/{activity.id}"
    return _upload(request, session, store, viewer, upload, parent=of_activity(activity), page=page, record=activity)


@router.post("/deliverables/{deliverable_id}/documents", name="deliverable_document_upload")
def deliverable_upload(
    deliverable_id: PathId, request: Request, session: SessionDep, viewer: ViewerDep, upload: UploadDep, store=StoreDep
):
    deliverable = deliverable_service.get_deliverable_or_404(session, deliverable_id, viewer)
    page = f"/deliverables/{deliverable.id}"
    parent = of_deliverable(deliverable)
    return _upload(request, session, store, viewer, upload, parent=parent, page=page, record=deliverable)


def _partnership(session: Session, parent: Parent) -> Partnership:
    return session.get(Partnership, parent.partnership_id)


def _place(session: Session, document: Document) -> tuple[Parent, str, str | None, object]:
    """What a document is attached to, the page that lists it, the partnership's slug, and the record."""
    if document.deliverable_id is not None:
        deliverable = deliverable_service.get_deliverable_or_404(session, document.deliverable_id)
        return of_deliverable(deliverable), f"/deliverables/{deliverable.id}", None, deliverable
    if document.activity_id is not None:
        activity = activity_service.get_activity_or_404(session, document.activity_id)
        return of_activity(activity), f"/activities/{activity.id}", None, activity
    partnership = session.get(Partnership, document.partnership_id)
    return of_partnership(partnership), f"/partnerships/{partnership.slug}/documents", partnership.slug, partnership


def _managed(session: Session, document_id: int, viewer: Viewer) -> Document:
    """A document the viewer may see (else 404) and change (else 403)."""
    document = document_service.get_document_or_404(session, document_id, viewer)
    document_service.ensure_manages(viewer, document.partnership_id)
    return document


DELETING = {
    "title": N_("Delete the document “{title}”?"),
    "consequences": (
        N_("It will no longer be shown or downloaded."),
        N_("Its history stays, and says who deleted it and when."),
    ),
    "submit": N_("Delete the document"),
}


@router.get("/documents/{document_id}/delete", name="document_delete_confirm")
def document_delete_confirm(document_id: PathId, request: Request, session: SessionDep, viewer: ViewerDep):
    document = _managed(session, document_id, viewer)
    parent, page, _slug, _record = _place(session, document)
    language = request_language(request)
    return confirm_page(
        request,
        title=translate(DELETING["title"], {"title": document.title}, language),
        consequences=[translate(line, {}, language) for line in DELETING["consequences"]],
        submit=translate(DELETING["submit"], {}, language),
        action=f"/documents/{document.id}/delete",
        back=page,
        partnership=_partnership(session, parent),
    )


@router.post("/documents/{document_id}/delete", name="document_delete")
def document_delete(document_id: PathId, request: Request, session: SessionDep, viewer: ViewerDep):
    document = _managed(session, document_id, viewer)
    parent, page, slug, _record = _place(session, document)
    document_service.delete_document(session, document=document, person_id=viewer.person_id)
    session.commit()
    if is_htmx(request):
        return _fragment(request, session, parent, slug, notice="deleted")
    return RedirectResponse(f"{page}?document=deleted#documents", status_code=303)


def _revision(session: Session, document_id: int, viewer: Viewer):
    """A deliverable's revision the viewer may review, with its deliverable and page."""
    document = _managed(session, document_id, viewer)
    if document.deliverable_id is None:
        raise NotFound(N_("This document is not a deliverable's revision."))
    deliverable = deliverable_service.get_deliverable_or_404(session, document.deliverable_id)
    return document, deliverable, f"/deliverables/{deliverable.id}"


@router.post("/documents/{document_id}/submit", name="document_submit")
def document_submit(document_id: PathId, request: Request, session: SessionDep, viewer: ViewerDep):
    document, deliverable, page = _revision(session, document_id, viewer)
    review.submit(session, document=document, deliverable=deliverable, today=today_for(request))
    session.commit()
    return saved(request, f"{page}#documents")


@router.post("/documents/{document_id}/accept", name="document_accept")
def document_accept(document_id: PathId, request: Request, session: SessionDep, viewer: ViewerDep):
    document, deliverable, page = _revision(session, document_id, viewer)
    review.accept(session, document=document, deliverable=deliverable, today=today_for(request))
    session.commit()
    return saved(request, f"{page}#documents")


SENDING_BACK = {
    "title": N_("Send revision {revision} of “{title}” back?"),
    "consequences": (
        N_("The deliverable goes back to “In progress”."),
        N_("Your reason is kept in its history, with the revision."),
        N_("A new revision can then be uploaded and submitted."),
    ),
    "submit": N_("Send it back"),
}


def _sending_back(request, session, document, deliverable, page, values: dict, errors: dict | None = None):
    language = request_language(request)
    title = localized(deliverable, "title", language)
    return confirm_page(
        request,
        title=translate(SENDING_BACK["title"], {"revision": document.revision, "title": title}, language),
        consequences=[translate(line, {}, language) for line in SENDING_BACK["consequences"]],
        submit=translate(SENDING_BACK["submit"], {}, language),
        action=f"/documents/{document.id}/send-back",
        back=f"{page}#documents",
        reason=True,
        values=values,
        errors=errors,
        partnership=deliverable_service.deliverable_partnership(session, deliverable),
    )


@router.get("/documents/{document_id}/send-back", name="document_send_back_confirm")
def document_send_back_confirm(document_id: PathId, request: Request, session: SessionDep, viewer: ViewerDep):
    document, deliverable, page = _revision(session, document_id, viewer)
    review.require_under_review(document, deliverable)
    values = {"reason": request.query_params.get("reason", "")[:REASON_LENGTH]}
    return _sending_back(request, session, document, deliverable, page, values)


@router.post("/documents/{document_id}/send-back", name="document_send_back")
def document_send_back(document_id: PathId, request: Request, session: SessionDep, form: FormDep, viewer: ViewerDep):
    document, deliverable, page = _revision(session, document_id, viewer)
    reason = form.get("reason") if isinstance(form.get("reason"), str) else None
    try:
        review.send_back(session, document=document, deliverable=deliverable, reason=reason, today=today_for(request))
    except FieldErrors as exc:
        session.rollback()
        errors = _field_messages(request, exc.errors)
        if not is_htmx(request):
            return _sending_back(request, session, document, deliverable, page, {"reason": reason or ""}, errors)
        parent = of_deliverable(deliverable_service.get_deliverable_or_404(session, deliverable.id))
        refused = {document.id: (errors["reason"], reason or "")}
        return _fragment(request, session, parent, None, 422, review_errors=refused)
    session.commit()
    return saved(request, f"{page}#documents")

"""JSON API for documents: list those of an activity, a deliverable or a partnership, upload one
(multipart/form-data), read one's description. The file itself is at its `url` (`download_url`)."""

from fastapi import APIRouter, Depends, Request, status
from sqlmodel import Session

from tracker.activities import service as activity_service
from tracker.api import Limit, Offset, Page, PathId, SlugParam
from tracker.auth import Viewer, ViewerDep
from tracker.db import SessionDep
from tracker.deliverables import service as deliverable_service
from tracker.documents import detection, serving
from tracker.documents import service as document_service
from tracker.documents.kinds import ACTIVITY_KINDS, PARTNERSHIP_KINDS
from tracker.documents.schemas import DocumentOut
from tracker.documents.service import Parent, of_activity, of_deliverable, of_partnership
from tracker.documents.uploads import UploadDep, max_bytes_of
from tracker.i18n import LANGUAGES, request_language
from tracker.models import Document, Partnership
from tracker.partnerships import service as partnership_service
from tracker.storage import file_store
from tracker.validation import FieldErrors

router = APIRouter(tags=["documents"])
StoreDep = Depends(file_store)


def _upload_body(kinds: tuple[str, ...] | None) -> dict:
    """The OpenAPI description of an upload's multipart body (read by hand, within the size limit)."""
    properties = {
        "file": {"type": "string", "format": "binary", "description": "The file; its type is told by its content"},
        "title": {"type": "string", "maxLength": 200, "description": "The file's name when absent"},
        "language": {"type": "string", "enum": list(LANGUAGES), "description": "The language of its text"},
        "note": {"type": "string", "maxLength": 2000},
    }
    required = ["file"]
    if kinds:
        properties["kind"] = {"type": "string", "enum": list(kinds)}
        required.append("kind")
    schema = {"type": "object", "properties": properties, "required": required}
    return {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": schema}}}}


def _out(session: Session, document: Document, slugs: dict[int, str] | None = None) -> DocumentOut:
    slug = (slugs or {}).get(document.partnership_id) or session.get(Partnership, document.partnership_id).slug
    fields = {name: getattr(document, name) for name in DocumentOut.model_fields if hasattr(document, name)}
    return DocumentOut(**fields | {"partnership": slug} | serving.urls(document))


def _page(session: Session, parent: Parent, limit: int, offset: int) -> Page[DocumentOut]:
    rows, total = document_service.live_documents(session, parent=parent, limit=limit, offset=offset)
    slug = session.get(Partnership, parent.partnership_id).slug
    items = [_out(session, document, {parent.partnership_id: slug}) for document in rows]
    return Page(items=items, total=total, limit=limit, offset=offset)


def _create(request: Request, session: Session, store, viewer: Viewer, upload, parent: Parent) -> DocumentOut:
    document_service.ensure_manages(viewer, parent.partnership_id)
    allowed = request.app.state.settings.upload_types
    try:
        document = document_service.add_document(
            session,
            store,
            parent=parent,
            filename=upload.filename,
            data=None if upload.refusal else upload.data,
            values=upload.values,
            allowed=allowed,
            max_bytes=max_bytes_of(request),
            person_id=viewer.person_id,
        )
    except FieldErrors as exc:
        errors = dict(exc.errors) | ({"file": upload.refusal} if upload.refusal else {})
        raise FieldErrors(detection.explained(errors, allowed, request_language(request))) from None
    session.commit()
    return _out(session, document)


@router.get("/activities/{activity_id}/documents", response_model=Page[DocumentOut], summary="An activity's documents")
def activity_documents(
    activity_id: PathId, session: SessionDep, viewer: ViewerDep, limit: Limit = 50, offset: Offset = 0
):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    return _page(session, of_activity(activity), limit, offset)


@router.post(
    "/activities/{activity_id}/documents",
    response_model=DocumentOut,
    status_code=status.HTTP_201_CREATED,
    summary="Attach a document to an activity (agenda, presentation, sign-in sheet, photo, minutes, other)",
    openapi_extra=_upload_body(ACTIVITY_KINDS),
)
def activity_upload(
    activity_id: PathId, request: Request, session: SessionDep, viewer: ViewerDep, upload: UploadDep, store=StoreDep
):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    return _create(request, session, store, viewer, upload, of_activity(activity))


@router.get(
    "/deliverables/{deliverable_id}/documents",
    response_model=Page[DocumentOut],
    summary="A deliverable's revisions, newest first",
)
def deliverable_documents(
    deliverable_id: PathId, session: SessionDep, viewer: ViewerDep, limit: Limit = 50, offset: Offset = 0
):
    deliverable = deliverable_service.get_deliverable_or_404(session, deliverable_id, viewer)
    return _page(session, of_deliverable(deliverable), limit, offset)


@router.post(
    "/deliverables/{deliverable_id}/documents",
    response_model=DocumentOut,
    status_code=status.HTTP_201_CREATED,
    summary="Upload a deliverable's next revision",
    openapi_extra=_upload_body(None),
)
def deliverable_upload(
    deliverable_id: PathId, request: Request, session: SessionDep, viewer: ViewerDep, upload: UploadDep, store=StoreDep
):
    deliverable = deliverable_service.get_deliverable_or_404(session, deliverable_id, viewer)
    return _create(request, session, store, viewer, upload, of_deliverable(deliverable))


@router.get(
    "/partnerships/{slug}/documents",
    response_model=Page[DocumentOut],
    summary="A partnership's own documents (signed texts, work plan)",
)
def partnership_documents(
    slug: SlugParam, session: SessionDep, viewer: ViewerDep, limit: Limit = 50, offset: Offset = 0
):
    partnership = partnership_service.get_partnership_or_404(session, slug, viewer)
    return _page(session, of_partnership(partnership), limit, offset)


@router.post(
    "/partnerships/{slug}/documents",
    response_model=DocumentOut,
    status_code=status.HTTP_201_CREATED,
    summary="Attach a document to a partnership (signed MOU text with its language, work plan, other)",
    openapi_extra=_upload_body(PARTNERSHIP_KINDS),
)
def partnership_upload(
    slug: SlugParam, request: Request, session: SessionDep, viewer: ViewerDep, upload: UploadDep, store=StoreDep
):
    partnership = partnership_service.get_partnership_or_404(session, slug, viewer)
    return _create(request, session, store, viewer, upload, of_partnership(partnership))


@router.get("/documents/{document_id}", response_model=DocumentOut, summary="One document's description")
def get_document(document_id: PathId, session: SessionDep, viewer: ViewerDep):
    return _out(session, document_service.get_document_or_404(session, document_id, viewer))

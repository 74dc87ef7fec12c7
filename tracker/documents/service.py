"""Documents kept as evidence: an upload checked by its content and stored once by it, the documents of an
activity, a deliverable or a partnership, and deletion (a mark: the file and its history stay).

A deliverable's documents are its revisions, numbered 1, 2…; their reviews follow the deliverable's
status, in the same flush as the status change (`follow_status`, called by its workflow).
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath

from sqlalchemy import case, func
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from tracker.audit.trail import ACTOR_KEY
from tracker.auth import Forbidden, Viewer, ensure_visible
from tracker.certificates.branding import keep_image
from tracker.documents import detection
from tracker.documents.kinds import ACCEPTED, KINDS_OF, NEEDS_LANGUAGE, REVISION, SENT_BACK, SUBMITTED
from tracker.documents.schemas import DocumentIn
from tracker.errors import Conflict, NotFound
from tracker.i18n import LANGUAGES, N_
from tracker.models import Deliverable, DeliverableStatus, Document, Person, utcnow
from tracker.paging import paged
from tracker.storage import FileStore
from tracker.validation import FieldErrors, raise_if, validate_all

S = DeliverableStatus
MB = 1024 * 1024
# Characters a file name never keeps: controls, line and paragraph separators, direction overrides.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


@dataclass(frozen=True)
class Parent:
    """What documents are attached to: an activity, a deliverable (its revisions) or a partnership itself."""

    kind: str  # "activity", "deliverable" or "partnership"
    partnership_id: int
    activity_id: int | None = None
    deliverable_id: int | None = None
    # A deliverable's status, which decides whether a revision may be added, submitted or reviewed.
    status: DeliverableStatus | None = None

    @property
    def kinds(self) -> tuple[str, ...]:
        return KINDS_OF[self.kind]


def of_activity(activity) -> Parent:
    """An activity's documents."""
    return Parent("activity", activity.partnership_id, activity_id=activity.id)


def of_deliverable(deliverable: Deliverable) -> Parent:
    """A deliverable's revisions."""
    return Parent(
        "deliverable", deliverable.area.partnership_id, deliverable_id=deliverable.id, status=deliverable.status
    )


def of_partnership(partnership) -> Parent:
    """A partnership's own documents (signed texts, work plan), not those of its activities or deliverables."""
    return Parent("partnership", partnership.id)


def belongs_to(parent: Parent) -> list:
    """The conditions that select a parent's documents."""
    conditions = [Document.partnership_id == parent.partnership_id]
    for column, value in ((Document.activity_id, parent.activity_id), (Document.deliverable_id, parent.deliverable_id)):
        conditions.append(column.is_(None) if value is None else column == value)
    return conditions


def clean_filename(name: str | None) -> str:
    """An uploaded file's name as kept: its last path part, on one line, without control or direction
    characters, at most 255 characters ("document" when nothing is left)."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("", name).strip().lstrip(".").strip()
    if len(name) > 255:
        suffix = PurePosixPath(name).suffix[:20]
        name = name[: 255 - len(suffix)] + suffix
    return name or "document"


def _description_errors(parent: Parent, fields: dict) -> dict:
    errors = {}
    kind = REVISION if parent.kind == "deliverable" else fields.get("kind")
    if kind not in parent.kinds:
        errors["kind"] = ("document_kind", {})
    language = fields.get("language")
    if (language is not None and language not in LANGUAGES) or (language is None and kind in NEEDS_LANGUAGE):
        errors["language"] = ("document_language", {})
    return errors


def _file_errors(parent: Parent, data: bytes | None, allowed, max_bytes: int) -> tuple[str | None, dict]:
    """The type to store the file as, or why it is refused."""
    if parent.status in (S.accepted, S.cancelled):
        return None, {"file": ("revision_closed", {})}
    if data is None:
        return None, {"file": ("document_missing", {})}
    if not data:
        return None, {"file": ("file_empty", {})}
    if len(data) > max_bytes:
        return None, {"file": ("document_too_large", {"max_mb": max_bytes // MB})}
    try:
        return detection.checked_type(data, allowed), {}
    except detection.Refused as exc:
        # `what` and `allowed` as stored codes; pages and the API put them in the reader's words.
        found = {"type": exc.content_type, "what": exc.content_type, "allowed": ", ".join(allowed)}
        return None, {"file": ("document_type", found)}


def add_document(
    session: Session,
    store: FileStore,
    *,
    parent: Parent,
    filename: str | None,
    data: bytes | None,
    values: dict,
    allowed,
    max_bytes: int,
    person_id: int | None,
) -> Document:
    """A new document of `parent` from an upload, its type told by its content; every refusal at once
    (FieldErrors), and nothing stored then. A deliverable's upload is its next revision."""

    def rules(fields: dict) -> dict:
        return _description_errors(parent, fields)

    try:
        described = validate_all(DocumentIn, values, rules)
        errors = rules(described.model_dump())
    except FieldErrors as exc:
        described, errors = None, dict(exc.errors)
    content_type, refused = _file_errors(parent, data, allowed, max_bytes)
    raise_if(errors | refused)
    name = clean_filename(filename)
    revision = _next_revision(session, parent.deliverable_id) if parent.kind == "deliverable" else None
    sha256 = keep_image(session, store, data=data, content_type=content_type)
    document = Document(
        partnership_id=parent.partnership_id,
        activity_id=parent.activity_id,
        deliverable_id=parent.deliverable_id,
        kind=REVISION if parent.kind == "deliverable" else described.kind,
        language=described.language,
        revision=revision,
        title=described.title or PurePosixPath(name).stem or name,
        filename=name,
        sha256=sha256,
        size=len(data),
        content_type=content_type,
        note=described.note,
        uploaded_by=person_id,
        uploaded_at=utcnow(),
    )
    session.add(document)
    session.flush()
    return document


def _next_revision(session: Session, deliverable_id: int) -> int:
    # The deliverable's row is locked (PostgreSQL) so two uploads at once cannot take the same number;
    # deleted revisions keep theirs, so a number is never given twice.
    session.exec(select(Deliverable.id).where(Deliverable.id == deliverable_id).with_for_update()).first()
    last = session.exec(select(func.max(Document.revision)).where(Document.deliverable_id == deliverable_id)).one()
    return (last or 0) + 1


@dataclass(frozen=True)
class Listed:
    """A document with the names of who uploaded, reviewed and deleted it."""

    document: Document
    uploaded_by: str | None
    reviewed_by: str | None
    deleted_by: str | None


def documents_of(session: Session, *, parent: Parent) -> list[Listed]:
    """A parent's documents, deleted ones included (last): revisions newest first, others by kind, newest first."""
    uploader, reviewer, deleter = aliased(Person), aliased(Person), aliased(Person)
    kind_order = case({kind: index for index, kind in enumerate(parent.kinds)}, value=Document.kind, else_=99)
    rows = session.exec(
        select(Document, uploader.name, reviewer.name, deleter.name)
        .outerjoin(uploader, uploader.id == Document.uploaded_by)
        .outerjoin(reviewer, reviewer.id == Document.reviewed_by)
        .outerjoin(deleter, deleter.id == Document.deleted_by)
        .where(*belongs_to(parent))
        .order_by(Document.deleted_at.is_not(None), Document.revision.desc(), kind_order, Document.id.desc())
    )
    return [Listed(*row) for row in rows]


def live_documents(session: Session, *, parent: Parent, limit: int, offset: int) -> tuple[list[Document], int]:
    """A page of a parent's documents that are not deleted, in the order pages list them, and how many there are."""
    kind_order = case({kind: index for index, kind in enumerate(parent.kinds)}, value=Document.kind, else_=99)
    query = select(Document).where(*belongs_to(parent), Document.deleted_at.is_(None))
    return paged(session, query, order_by=(Document.revision.desc(), kind_order, Document.id.desc()), limit=limit,
                 offset=offset)  # fmt: skip


def get_document_or_404(session: Session, document_id: int, viewer: Viewer | None) -> Document:
    """The document with this id, if it is not deleted and `viewer` may see its partnership."""
    document = session.get(Document, document_id)
    if document is None or document.deleted_at is not None:
        raise NotFound(N_("This document does not exist."))
    ensure_visible(viewer, document.partnership_id)
    return document


def ensure_manages(viewer: Viewer, partnership_id: int) -> None:
    """Changing documents is for those who manage their partnership (looked up first: others get 404)."""
    if not viewer.can_manage(partnership_id):
        raise Forbidden()


def delete_document(session: Session, *, document: Document, person_id: int | None) -> None:
    """Mark a document deleted: it is no longer served, its file and its history stay. A revision under
    review or accepted stays (send it back, or move the deliverable back, first)."""
    if document.review == SUBMITTED:
        raise Conflict(N_("Revision {revision} is under review: send it back before deleting it."),
                       revision=document.revision)  # fmt: skip
    if document.review == ACCEPTED:
        raise Conflict(N_("Revision {revision} was accepted: it stays as the deliverable's record."),
                       revision=document.revision)  # fmt: skip
    document.deleted_at = utcnow()
    document.deleted_by = person_id
    session.flush()


def _revisions(session: Session, deliverable_id: int) -> list[Document]:
    return list(
        session.exec(
            select(Document)
            .where(Document.deliverable_id == deliverable_id, Document.deleted_at.is_(None))
            .order_by(Document.revision.desc())
        )
    )


def latest_revision(session: Session, *, deliverable_id: int) -> Document | None:
    """A deliverable's newest revision that is not deleted."""
    revisions = _revisions(session, deliverable_id)
    return revisions[0] if revisions else None


def missing_evidence(session: Session, *, deliverable_id: int) -> dict:
    """Why a deliverable without a link to its evidence cannot be submitted (field -> refusal), or {}:
    it needs a revision not yet reviewed."""
    revisions = _revisions(session, deliverable_id)
    if any(revision.review is None for revision in revisions):
        return {}
    if revisions:
        return {"status": ("evidence_sent_back", {"revision": revisions[0].revision})}
    return {"status": ("evidence_missing", {})}


def follow_status(session: Session, *, deliverable: Deliverable, status: DeliverableStatus) -> int | None:
    """Bring a deliverable's revisions in step with the status it is about to take; the number of the
    revision an acceptance names (None otherwise).

    It queries before it changes anything, so the caller's one flush writes the status change and the
    reviews together, with the reason said for them.
    """
    revisions = _revisions(session, deliverable.id)
    actor_id = session.info.get(ACTOR_KEY, (None, ""))[0]
    now = utcnow()
    if status == S.submitted:
        if deliverable.status == S.accepted:  # the acceptance is withdrawn: its revision is under review again
            for revision in revisions:
                if revision.review == ACCEPTED:
                    _review(revision, SUBMITTED, None, None)
        elif revisions and revisions[0].review is None:
            revisions[0].review = SUBMITTED
        return None
    under_review = [revision for revision in revisions if revision.review == SUBMITTED]
    if status == S.accepted:
        for revision in under_review:
            _review(revision, ACCEPTED, actor_id, now)
        return under_review[0].revision if under_review else None
    for revision in under_review:
        if status == S.cancelled:
            _review(revision, None, None, None)  # withdrawn with the deliverable; its history keeps it
        else:
            _review(revision, SENT_BACK, actor_id, now)
    return None


def _review(revision: Document, review: str | None, by: int | None, at: datetime | None) -> None:
    revision.review, revision.reviewed_by, revision.reviewed_at = review, by, at

"""What a record's page shows of its documents: the list with its forms (templates/documents/_list.html),
and the record's history with its documents' changes in it."""

from dataclasses import dataclass, field, replace

from babel.numbers import format_decimal
from sqlalchemy import and_, or_
from sqlmodel import Session, select

from tracker.audit.presenting import Trail, references
from tracker.documents import detection
from tracker.documents.kinds import KIND_LABELS, REVIEW_LABELS, SUBMITTED
from tracker.documents.service import Listed, Parent, belongs_to, documents_of
from tracker.i18n import LANGUAGES, language_name
from tracker.models import AuditEvent, DeliverableStatus, Document
from tracker.rendering import gettext

S = DeliverableStatus
# Badge colours of a revision's review, from the statuses' own.
REVIEW_BADGES = {"submitted": "s-submitted", "sent_back": "s-cancelled", "accepted": "s-accepted"}
UPLOAD_URLS = {
    "activity": "/activities/{activity_id}/documents",
    "deliverable": "/deliverables/{deliverable_id}/documents",
}


@dataclass
class Section:
    """A parent's documents as its page lists them, and what its forms may offer."""

    parent: Parent
    action: str  # where the upload form posts
    rows: list[Listed]
    errors: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)
    notice: str | None = None  # "added" or "deleted"
    # A review form refused: document id -> (the message, the reason typed).
    review_errors: dict = field(default_factory=dict)

    @property
    def partnership_id(self) -> int:
        return self.parent.partnership_id  # what `manages(documents)` asks about

    @property
    def is_deliverable(self) -> bool:
        return self.parent.kind == "deliverable"

    @property
    def live(self) -> list[Listed]:
        return [row for row in self.rows if row.document.deleted_at is None]

    @property
    def next_revision(self) -> int:
        return max((row.document.revision or 0 for row in self.rows), default=0) + 1

    @property
    def closed(self) -> bool:
        """A deliverable accepted or cancelled takes no new revision."""
        return self.parent.status in (S.accepted, S.cancelled)

    @property
    def submittable(self) -> int | None:
        """The id of the revision a manager may submit: the latest, not reviewed, of a deliverable not submitted."""
        live = self.live
        if not self.is_deliverable or not live or self.parent.status not in (S.not_started, S.in_progress):
            return None
        return live[0].document.id if live[0].document.review is None else None

    def reviewable(self, document: Document) -> bool:
        """Whether this revision is the one under review (to accept or send back)."""
        return self.parent.status == S.submitted and document.review == SUBMITTED

    def deletable(self, document: Document) -> bool:
        return document.deleted_at is None and document.review not in ("submitted", "accepted")

    def kind_options(self) -> list[tuple[str, str]]:
        return [(kind, gettext(KIND_LABELS[kind])) for kind in self.parent.kinds]

    @staticmethod
    def kind_label(kind: str) -> str:
        return gettext(KIND_LABELS[kind]) if kind in KIND_LABELS else kind

    @staticmethod
    def review_label(review: str | None) -> str | None:
        return gettext(REVIEW_LABELS[review]) if review in REVIEW_LABELS else None

    @staticmethod
    def review_badge(review: str | None) -> str:
        return REVIEW_BADGES.get(review, "")

    @staticmethod
    def type_name(content_type: str, language: str) -> str:
        return detection.type_name(content_type, language)

    @staticmethod
    def inline(content_type: str) -> bool:
        return detection.shown_inline(content_type)

    @staticmethod
    def accept(allowed) -> str:
        return detection.accept_attribute(allowed)

    @staticmethod
    def allowed_names(allowed, language: str) -> str:
        return detection.allowed_names(allowed, language)

    @staticmethod
    def language_options(language: str) -> list[tuple[str, str]]:
        return [(code, language_name(code, language)) for code in LANGUAGES]

    @staticmethod
    def size(size: int, language: str) -> str:
        """A file's size as people read it: 820 KB, 1,4 MB."""
        if size < 1024 * 1024:
            return f"{format_decimal(max(1, round(size / 1024)), locale=language)} KB"
        return f"{format_decimal(round(size / (1024 * 1024), 1), format='#,##0.#', locale=language)} MB"


def upload_url(parent: Parent, slug: str | None = None) -> str:
    """Where a parent's upload form posts (a partnership's needs its slug)."""
    if parent.kind == "partnership":
        return f"/partnerships/{slug}/documents"
    return UPLOAD_URLS[parent.kind].format(activity_id=parent.activity_id, deliverable_id=parent.deliverable_id)


def section(
    session: Session,
    *,
    parent: Parent,
    slug: str | None = None,
    errors: dict | None = None,
    values: dict | None = None,
    notice: str | None = None,
    review_errors: dict | None = None,
) -> Section:
    """A parent's documents section, with the upload form's messages and input when it was refused."""
    return Section(
        parent=parent,
        action=upload_url(parent, slug),
        rows=documents_of(session, parent=parent),
        errors=errors or {},
        values=values or {},
        notice=notice,
        review_errors=review_errors or {},
    )


class WithDocuments(Trail):
    """A record's history with its documents' changes in it, each of those naming its document."""

    def read(self, language, at, day):
        entries = super().read(language, at, day)
        return [
            replace(entry, shows_record=True) if event.entity == "document" else entry
            for event, entry in zip(self, entries, strict=True)
        ]


def history(session: Session, *, parent: Parent, limit: int = 50) -> Trail:
    """The changes of an activity or a deliverable and of its documents (a partnership: of its own
    documents only), newest first."""
    documents = select(Document.id).where(*belongs_to(parent))
    mine = and_(AuditEvent.entity == "document", AuditEvent.entity_id.in_(documents))
    if parent.kind != "partnership":
        own = and_(
            AuditEvent.entity == parent.kind, AuditEvent.entity_id == (parent.activity_id or parent.deliverable_id)
        )
        mine = or_(own, mine)
    events = list(session.exec(select(AuditEvent).where(mine).order_by(AuditEvent.id.desc()).limit(limit)))
    return WithDocuments(events, references(session, events, with_records=True))

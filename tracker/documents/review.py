"""A deliverable's review, revision by revision: a manager submits the latest revision, then accepts it or
sends it back saying why. Each is the deliverable's own status change (tracker.deliverables), which keeps
its revisions' reviews in step and writes them to the history together, with the reason."""

from datetime import date

from sqlmodel import Session

from tracker.audit.trail import because
from tracker.deliverables import service as deliverable_service
from tracker.deliverables.schemas import StatusIn
from tracker.documents import service as document_service
from tracker.documents.kinds import SUBMITTED
from tracker.errors import Conflict
from tracker.i18n import N_
from tracker.models import Deliverable, DeliverableStatus, Document
from tracker.validation import raise_if

S = DeliverableStatus


def submit(session: Session, *, document: Document, deliverable: Deliverable, today: date) -> Deliverable:
    """Submit the deliverable with this revision: its latest, not reviewed yet."""
    latest = document_service.latest_revision(session, deliverable_id=deliverable.id)
    if document.review is not None or latest is None or latest.id != document.id:
        raise Conflict(N_("Only the latest revision, not reviewed yet, can be submitted."))
    return _move(session, deliverable, S.submitted, today)


def accept(session: Session, *, document: Document, deliverable: Deliverable, today: date) -> Deliverable:
    """Accept the deliverable as this revision (the one under review)."""
    require_under_review(document, deliverable)
    return _move(session, deliverable, S.accepted, today)


def send_back(
    session: Session, *, document: Document, deliverable: Deliverable, reason: str | None, today: date
) -> Deliverable:
    """Send the revision under review back: the deliverable is in progress again, and the reason is kept."""
    require_under_review(document, deliverable)
    if not (reason or "").strip():
        raise_if({"reason": ("missing" if reason is None else "blank", {})})
    because(session, reason.strip())
    return _move(session, deliverable, S.in_progress, today)


def require_under_review(document: Document, deliverable: Deliverable) -> None:
    """Refuse (409) a review of a revision that is not the one under review."""
    if document.review != SUBMITTED or deliverable.status != S.submitted:
        raise Conflict(N_("Revision {revision} is not under review."), revision=document.revision)


def _move(session: Session, deliverable: Deliverable, status: DeliverableStatus, today: date) -> Deliverable:
    return deliverable_service.change_status(
        session, deliverable=deliverable, data=StatusIn(status=status), today=today
    )

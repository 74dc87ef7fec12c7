"""What a partnership's certificates carry besides the participant: its signatories and the partners'
logos, set by administrators, each list in an order they choose; the images kept in the file store."""

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from tracker.errors import NotFound
from tracker.i18n import N_
from tracker.models import Organization, PartnershipLogo, Signatory, StoredFile, utcnow
from tracker.storage import FileStore

Placed = Signatory | PartnershipLogo


def keep_image(session: Session, store: FileStore, *, data: bytes, content_type: str) -> str:
    """Store checked image bytes (once, whoever uploads them again) and describe them; their SHA-256."""
    sha256 = store.put(data)
    if session.get(StoredFile, sha256) is None:
        try:
            with session.begin_nested():
                session.add(StoredFile(sha256=sha256, size=len(data), content_type=content_type, created_at=utcnow()))
        except IntegrityError:
            pass  # the same file, described at the same moment by another upload
    return sha256


def content_types(session: Session, sha256s) -> dict[str, str]:
    """The content type of each of these stored files."""
    wanted = sorted({s for s in sha256s if s})
    if not wanted:
        return {}
    rows = session.exec(select(StoredFile.sha256, StoredFile.content_type).where(StoredFile.sha256.in_(wanted)))
    return {sha256: content_type for sha256, content_type in rows}


def signatories(session: Session, *, partnership_id: int) -> list[tuple[Signatory, Organization]]:
    """A partnership's signatories in their order, each with their organization."""
    return list(
        session.exec(
            select(Signatory, Organization)
            .join(Organization, Organization.id == Signatory.organization_id)
            .where(Signatory.partnership_id == partnership_id)
            .order_by(Signatory.position, Signatory.id)
        )
    )


def logos(session: Session, *, partnership_id: int) -> list[PartnershipLogo]:
    """A partnership's logos in their order."""
    return list(
        session.exec(
            select(PartnershipLogo)
            .where(PartnershipLogo.partnership_id == partnership_id)
            .order_by(PartnershipLogo.position, PartnershipLogo.id)
        )
    )


def _last_position(session: Session, model: type[Placed], partnership_id: int) -> int:
    found = session.exec(select(func.max(model.position)).where(model.partnership_id == partnership_id)).one()
    return found if found is not None else -1


def add(session: Session, record: Placed) -> Placed:
    """A new signatory or logo, after those the partnership already has."""
    record.position = _last_position(session, type(record), record.partnership_id) + 1
    session.add(record)
    session.flush()
    return record


def get_or_404(session: Session, model: type[Placed], *, partnership_id: int, record_id: int) -> Placed:
    """One signatory or logo of this partnership."""
    record = session.get(model, record_id)
    if record is None or record.partnership_id != partnership_id:
        raise NotFound(N_("This page does not exist."))
    return record


def move(session: Session, record: Placed, *, up: bool) -> None:
    """Swap a signatory or logo with its neighbour (before it when `up`); the first stays first."""
    model = type(record)
    siblings = list(
        session.exec(
            select(model).where(model.partnership_id == record.partnership_id).order_by(model.position, model.id)
        )
    )
    for position, sibling in enumerate(siblings):  # positions 0, 1, 2… whatever gaps removals left
        sibling.position = position
    index = next(i for i, sibling in enumerate(siblings) if sibling.id == record.id)
    other = index - 1 if up else index + 1
    if 0 <= other < len(siblings):
        siblings[index].position, siblings[other].position = other, index
    session.flush()


def remove(session: Session, record: Placed) -> None:
    """Remove a signatory or logo from future certificates (the image stays stored: others may use it)."""
    session.delete(record)
    session.flush()

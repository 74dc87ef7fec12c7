"""Deliverables: their rules, the status workflow, and the queries that list them."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import joinedload, selectinload
from sqlmodel import Session, select

from tracker.audit.trail import because
from tracker.auth import ensure_visible
from tracker.checks import check_ids
from tracker.db import contains
from tracker.deliverables.schemas import DeliverableIn, DeliverableOut, StatusIn
from tracker.documents import service as document_service
from tracker.editing import copy_fields, fields_of
from tracker.errors import NotFound, check_version, transition_refused
from tracker.models import (
    OPEN_DELIVERABLE_STATUSES,
    Activity,
    CooperationArea,
    Deliverable,
    DeliverableStatus,
    Partnership,
    utcnow,
)
from tracker.paging import paged
from tracker.partnerships.service import check_areas, check_organizations
from tracker.people.service import check_people
from tracker.reminders.planner import drop_pending
from tracker.validation import N_, raise_if, validate_all

S = DeliverableStatus
# The workflow: where each status may go next. Moving back is allowed (a submission sent back).
NEXT = {
    S.not_started: (S.in_progress, S.submitted, S.cancelled),
    S.in_progress: (S.not_started, S.submitted, S.cancelled),
    S.submitted: (S.in_progress, S.accepted, S.cancelled),
    S.accepted: (S.submitted,),
    S.cancelled: (S.not_started,),
}
# The DeliverableIn fields that are not columns: a due date outside the term, accepted once, stays accepted
# while unchanged, so an edit starts unconfirmed; a reason is said for one change, and kept in its history.
DERIVED = {"confirm_outside_term": lambda deliverable: False, "reason": lambda deliverable: None}


def get_deliverable_or_404(session: Session, deliverable_id: int, viewer=None) -> Deliverable:
    """The deliverable with this id, if `viewer` may see it."""
    deliverable = session.exec(
        select(Deliverable)
        .where(Deliverable.id == deliverable_id)
        .options(selectinload(Deliverable.area), selectinload(Deliverable.owner))
    ).first()
    if deliverable is None:
        raise NotFound(N_("This deliverable does not exist."))
    ensure_visible(viewer, deliverable.area.partnership_id)
    return deliverable


def deliverable_partnership(session: Session, deliverable: Deliverable) -> Partnership:
    """The partnership a deliverable belongs to, through its area."""
    return session.exec(
        select(Partnership).join(CooperationArea).where(CooperationArea.id == deliverable.area_id)
    ).one()


def check_rules(session: Session, *, partnership: Partnership, deliverable: Deliverable | None, fields: dict) -> dict:
    """The rule errors of parsed input, possibly only some fields (so a form shows all at once)."""
    errors: dict = {}
    if fields.get("area_id") is not None:
        check_areas(session, partnership, [fields["area_id"]], "area_id", errors)
    if fields.get("activity_id") is not None:
        check_ids(
            session,
            Activity,
            [fields["activity_id"]],
            field="activity_id",
            errors=errors,
            unknown="unknown_activity",
            foreign="foreign_activity",
            partnership_id=partnership.id,
        )
    if fields.get("owner_id") is not None:
        check_people(session, [fields["owner_id"]], "owner_id", errors)
    if fields.get("organization_id") is not None:
        check_organizations(session, [fields["organization_id"]], "organization_id", errors)
    due = fields.get("due_on")
    unchanged = deliverable is not None and deliverable.id is not None and due == deliverable.due_on
    if due and deliverable is not None and deliverable.id is not None and not unchanged and not fields.get("reason"):
        # A moved deadline is explained: the history and the period report's "slipped" section show why.
        errors["reason"] = ("blank", {})
    if (
        due
        and not (fields.get("confirm_outside_term") or unchanged)
        and not (partnership.starts_on <= due <= partnership.ends_on)
    ):
        errors["due_on"] = (
            "outside_term",
            {"start": partnership.starts_on, "end": partnership.ends_on},
        )
    return errors


def validated(
    session: Session, *, partnership: Partnership, deliverable: Deliverable | None, values: dict
) -> DeliverableIn:
    """A form's values as DeliverableIn, with every parse and rule error reported together (FieldErrors)."""

    def rules(parsed: dict) -> dict:
        return check_rules(session, partnership=partnership, deliverable=deliverable, fields=parsed)

    return validate_all(DeliverableIn, values, rules)


def _apply(session: Session, deliverable: Deliverable, partnership: Partnership, data: DeliverableIn) -> None:
    raise_if(check_rules(session, partnership=partnership, deliverable=deliverable, fields=dict(data)))
    if deliverable.id is not None and (data.due_on, data.owner_id) != (deliverable.due_on, deliverable.owner_id):
        # A new date or owner: reminders not yet sent are re-planned from the new values.
        drop_pending(session, item_type="deliverable", item_id=deliverable.id)
    copy_fields(deliverable, data, DERIVED)
    deliverable.updated_at = utcnow()
    because(session, data.reason)


def create_deliverable(session: Session, *, partnership: Partnership, data: DeliverableIn) -> Deliverable:
    """A new deliverable, not started."""
    deliverable = Deliverable(status=S.not_started)
    _apply(session, deliverable, partnership, data)
    session.add(deliverable)
    session.flush()
    return deliverable


def update_deliverable(
    session: Session, *, deliverable: Deliverable, data: DeliverableIn, version: int | None
) -> Deliverable:
    """Replace a deliverable's details, if nobody saved since `version` (status: change_status)."""
    check_version("deliverable", deliverable, version)
    _apply(session, deliverable, deliverable_partnership(session, deliverable), data)
    session.flush()
    return deliverable


def edit_deliverable(session: Session, *, deliverable: Deliverable, values: dict, version: int | None) -> Deliverable:
    """update_deliverable from an edit form's values: a stale version first, then every input error at once."""
    check_version("deliverable", deliverable, version)
    partnership = deliverable_partnership(session, deliverable)
    data = validated(session, partnership=partnership, deliverable=deliverable, values=values)
    _apply(session, deliverable, partnership, data)
    session.flush()
    return deliverable


def delete_deliverable(session: Session, *, deliverable: Deliverable) -> None:
    """Remove a deliverable added by mistake (its history stays in the audit trail)."""
    drop_pending(session, item_type="deliverable", item_id=deliverable.id)
    session.delete(deliverable)
    session.flush()


def change_status(session: Session, *, deliverable: Deliverable, data: StatusIn, today: date) -> Deliverable:
    """Move a deliverable along its workflow; acceptance stamps the completion date. Submitting needs its
    document or a link to it; its revisions' reviews follow the status (tracker.documents)."""
    if data.status not in NEXT[deliverable.status]:
        raise transition_refused(deliverable.status)
    if data.status == S.submitted and deliverable.status != S.accepted and not deliverable.evidence_url:
        raise_if(document_service.missing_evidence(session, deliverable_id=deliverable.id))
    completed = None
    if data.status == S.accepted:
        completed = data.completed_on or today
        if completed > today:
            raise_if({"completed_on": ("completed_in_future", {})})
        if completed < deliverable_partnership(session, deliverable).starts_on:
            raise_if({"completed_on": ("completed_before_start", {})})
    if data.status in (S.accepted, S.cancelled):
        drop_pending(session, item_type="deliverable", item_id=deliverable.id)
    # Queries first, changes after: one flush writes the status and the revisions' reviews together.
    deliverable.accepted_revision = document_service.follow_status(session, deliverable=deliverable, status=data.status)
    deliverable.completed_on = completed
    deliverable.status = data.status
    deliverable.updated_at = utcnow()
    session.flush()
    return deliverable


def next_statuses(deliverable: Deliverable) -> tuple:
    """The statuses a deliverable may move to."""
    return NEXT[deliverable.status]


def is_overdue(deliverable: Deliverable, today: date) -> bool:
    """Still open after its due date."""
    return deliverable.status in OPEN_DELIVERABLE_STATUSES and deliverable.due_on < today


def to_input(deliverable: Deliverable) -> dict:
    """A deliverable as DeliverableIn fields: what an edit form or a PATCH starts from."""
    return fields_of(DeliverableIn, deliverable, DERIVED)


def to_out(deliverable: Deliverable, partnership_slug: str) -> DeliverableOut:
    """A deliverable as the API shows it."""
    return DeliverableOut(**fields_of(DeliverableOut, deliverable, {"partnership": lambda _: partnership_slug}))


@dataclass(frozen=True)
class DeliverableFilter:
    """What a deliverable list is narrowed to."""

    area_id: int | None = None
    status: DeliverableStatus | None = None
    owner_id: int | None = None
    overdue: bool = False
    q: str | None = None


def list_deliverables(
    session: Session,
    *,
    partnership_ids: Collection[int] | None,
    filters: DeliverableFilter,
    today: date,
    limit: int,
    offset: int,
) -> tuple[list[Deliverable], int]:
    """A page of deliverables (of these partnerships, or all), earliest due first, and how many match."""
    query = select(Deliverable).join(CooperationArea, CooperationArea.id == Deliverable.area_id)
    if partnership_ids is not None:
        query = query.where(CooperationArea.partnership_id.in_(list(partnership_ids)))
    if filters.area_id:
        query = query.where(Deliverable.area_id == filters.area_id)
    if filters.status:
        query = query.where(Deliverable.status == filters.status)
    if filters.owner_id:
        query = query.where(Deliverable.owner_id == filters.owner_id)
    if filters.overdue:
        query = query.where(Deliverable.status.in_(OPEN_DELIVERABLE_STATUSES), Deliverable.due_on < today)
    if filters.q:
        query = query.where(contains(Deliverable.search_text, filters.q))
    order = (Deliverable.due_on, Deliverable.id)
    options = (selectinload(Deliverable.area), selectinload(Deliverable.owner))
    return paged(session, query, order_by=order, options=options, limit=limit, offset=offset)


def next_deadlines(
    session: Session, *, partnership: Partnership, today: date, days: int = 30, limit: int = 10
) -> list[Deliverable]:
    """Open deliverables due from today to `days` ahead, earliest first."""
    return _open(
        session, partnership, limit, Deliverable.due_on >= today, Deliverable.due_on <= today + timedelta(days=days)
    )


def overdue(session: Session, *, partnership: Partnership, today: date, limit: int = 10) -> list[Deliverable]:
    """Open deliverables whose due date has passed, the oldest first."""
    return _open(session, partnership, limit, Deliverable.due_on < today)


def _open(session: Session, partnership: Partnership, limit: int, *conditions) -> list[Deliverable]:
    """Open deliverables with their owner (loaded in the same query: the overview names them)."""
    return list(
        session.exec(
            select(Deliverable)
            .join(CooperationArea, CooperationArea.id == Deliverable.area_id)
            .where(
                CooperationArea.partnership_id == partnership.id,
                Deliverable.status.in_(OPEN_DELIVERABLE_STATUSES),
                *conditions,
            )
            .order_by(Deliverable.due_on, Deliverable.id)
            .options(joinedload(Deliverable.owner))
            .limit(limit)
        )
    )

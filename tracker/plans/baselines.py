"""Baselines: approving the work plan (a snapshot of what was planned, and when), listing them, and
comparing the plan as it is now with any of them.

The request owns the transaction: nothing here commits.
"""

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from tracker.errors import Conflict, NotFound
from tracker.models import AuditEvent, Baseline, Partnership, Person, utcnow
from tracker.paging import paged
from tracker.plans import service as plan_service
from tracker.plans.comparison import TYPES, PlanItem, compare, from_snapshot, latest_reasons
from tracker.validation import N_, raise_if

APPROVED_AT_ONCE = N_("Someone approved the plan at the same moment. Reload the page to see the new baseline.")
MAX_NUMBER_DIGITS = 9


def latest(session: Session, *, partnership: Partnership) -> Baseline | None:
    """The partnership's most recent baseline, if the plan was ever approved."""
    return session.exec(
        select(Baseline).where(Baseline.partnership_id == partnership.id).order_by(Baseline.number.desc()).limit(1)
    ).first()


def list_baselines(
    session: Session, *, partnership: Partnership, limit: int = 100, offset: int = 0
) -> tuple[list[Baseline], int]:
    """A page of the partnership's baselines, the latest first, and how many there are."""
    query = select(Baseline).where(Baseline.partnership_id == partnership.id)
    return paged(session, query, order_by=(Baseline.number.desc(),), limit=limit, offset=offset)


def get_baseline_or_404(session: Session, *, partnership: Partnership, number: str | int) -> Baseline:
    """Baseline `number` of this partnership (a number as typed in an address: anything else is a 404)."""
    text = str(number)
    baseline = None
    if text.isascii() and text.isdigit() and len(text) <= MAX_NUMBER_DIGITS:
        baseline = session.exec(
            select(Baseline).where(Baseline.partnership_id == partnership.id, Baseline.number == int(text))
        ).first()
    if baseline is None:
        raise NotFound(N_("This baseline does not exist."))
    return baseline


def approvers(session: Session, baselines: list[Baseline]) -> dict[int, str]:
    """The name of whoever approved each baseline (by person id)."""
    ids = {b.approved_by for b in baselines if b.approved_by is not None}
    if not ids:
        return {}
    return dict(session.exec(select(Person.id, Person.name).where(Person.id.in_(ids))).all())


def items_of(baseline: Baseline) -> list[PlanItem]:
    """What a baseline recorded, read defensively (an entry that is not one is left out)."""
    entries = baseline.items if isinstance(baseline.items, list) else []
    return [item for item in map(from_snapshot, entries) if item is not None]


def next_number(session: Session, *, partnership: Partnership) -> int:
    """The number the next approval will get."""
    highest = session.exec(select(func.max(Baseline.number)).where(Baseline.partnership_id == partnership.id)).one()
    return (highest or 0) + 1


def approve(session: Session, *, partnership: Partnership, by: int | None, note: str | None) -> Baseline:
    """Approve the plan as it stands: a new baseline with the next number, its note required from the
    second one on (approving again is explained, as every change to the plan is)."""
    number = next_number(session, partnership=partnership)
    note = (note or "").strip()
    if number > 1 and not note:
        raise_if({"note": ("blank", {})})
    items = [item.snapshot() for item in plan_service.plan_items(session, partnership=partnership)]
    baseline = Baseline(
        partnership_id=partnership.id, number=number, approved_at=utcnow(), approved_by=by, note=note, items=items
    )
    try:
        with session.begin_nested():
            session.add(baseline)
    except IntegrityError:
        raise Conflict(APPROVED_AT_ONCE) from None
    return baseline


def _since(session: Session, baseline: Baseline):
    """The condition on audit events made after the baseline: after its own creation event when the trail
    has it (instants may tie), else from its approval on."""
    created = session.exec(
        select(func.min(AuditEvent.id)).where(
            AuditEvent.entity == "baseline", AuditEvent.entity_id == baseline.id, AuditEvent.action == "create"
        )
    ).one()
    return AuditEvent.id > created if created is not None else AuditEvent.at >= baseline.approved_at


def reasons_since(session: Session, *, baseline: Baseline, items: list[PlanItem]) -> tuple[dict, dict]:
    """Why each item moved, or was dropped, after the baseline: the latest reason said (moves, drops)."""
    found, since = [], _since(session, baseline)
    for kind in TYPES:
        ids = sorted({item.id for item in items if item.type == kind})
        for start in range(0, len(ids), 500):
            found += session.exec(
                select(AuditEvent.id, AuditEvent.entity, AuditEvent.entity_id, AuditEvent.changes, AuditEvent.reason)
                .where(AuditEvent.entity == kind, AuditEvent.entity_id.in_(ids[start : start + 500]))
                .where(since)
            ).all()
    return latest_reasons(row[1:] for row in sorted(found))


def comparison(session: Session, *, partnership: Partnership, baseline: Baseline) -> dict[int, dict[str, list]]:
    """The plan now against a baseline, per area id (see tracker.plans.comparison)."""
    planned = items_of(baseline)
    current = plan_service.plan_items(session, partnership=partnership, include_cancelled=True)
    moves, drops = reasons_since(session, baseline=baseline, items=planned + current)
    return compare(planned, current, moves, drops)

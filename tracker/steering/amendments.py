"""Amendments to an MOU: each sets the term's end (extended, shortened or kept) and keeps the end it
replaced, so removing the latest one restores it. The term, the timeline and the statuses all read
`Partnership.ends_on`, so they follow; the audit trail records the amendment and the term's change."""

from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, select

from tracker.audit.trail import because
from tracker.models import (
    OPEN_DELIVERABLE_STATUSES,
    Activity,
    ActivityStatus,
    Amendment,
    CooperationArea,
    Deliverable,
    Partnership,
)
from tracker.steering.forms import AmendmentIn
from tracker.times import utc_to_local
from tracker.validation import FieldErrors, validate_all


def amendments(session: Session, *, partnership: Partnership) -> list[Amendment]:
    """The partnership's amendments, in the order they were signed."""
    return list(
        session.exec(
            select(Amendment)
            .where(Amendment.partnership_id == partnership.id)
            .order_by(Amendment.signed_on, Amendment.id)
        )
    )


def latest(session: Session, *, partnership: Partnership) -> Amendment | None:
    """The amendment recorded last: the one whose end the term has now, and the only one removable."""
    return session.exec(
        select(Amendment).where(Amendment.partnership_id == partnership.id).order_by(Amendment.id.desc())
    ).first()


def check_rules(partnership: Partnership, last: Amendment | None, fields: dict, today: date) -> dict:
    """The rules an amendment's dates follow beyond their format: field -> (kind, context)."""
    errors = {}
    ends_on, signed_on = fields.get("ends_on"), fields.get("signed_on")
    if ends_on is not None and ends_on <= partnership.starts_on:
        errors["ends_on"] = ("amendment_end", {"start": partnership.starts_on})
    if signed_on is not None:
        if signed_on < partnership.signed_on:
            errors["signed_on"] = ("amendment_signed_early", {"signed": partnership.signed_on})
        elif signed_on > today:
            errors["signed_on"] = ("amendment_signed_future", {})
        elif last is not None and signed_on < last.signed_on:
            errors["signed_on"] = ("amendment_out_of_order", {"signed": last.signed_on})
    return errors


def validated(session: Session, *, partnership: Partnership, values: dict, today: date) -> AmendmentIn:
    """A form's values as AmendmentIn, every parse and rule error reported together (FieldErrors)."""
    last = latest(session, partnership=partnership)
    data = validate_all(AmendmentIn, values, lambda parsed: check_rules(partnership, last, parsed, today))
    errors = check_rules(partnership, last, dict(data), today)
    if errors:
        raise FieldErrors(errors)
    return data


def record(session: Session, *, partnership: Partnership, data: AmendmentIn) -> Amendment:
    """Record a signed amendment: the term now ends on its date, the end it replaces kept with it."""
    amendment = Amendment(
        partnership_id=partnership.id,
        signed_on=data.signed_on,
        previous_ends_on=partnership.ends_on,
        ends_on=data.ends_on,
        text_url=data.text_url,
        summary_en=data.summary_en,
        summary_es=data.summary_es,
    )
    partnership.ends_on = data.ends_on
    session.add_all([amendment, partnership])
    session.flush()
    return amendment


def remove(session: Session, *, partnership: Partnership, amendment: Amendment, reason: str) -> None:
    """Remove the latest amendment (recorded by mistake, say): the term ends where it did before it."""
    partnership.ends_on = amendment.previous_ends_on
    session.add(partnership)
    session.delete(amendment)
    because(session, reason)  # both audit events (the amendment gone, the term's end) carry it
    session.flush()


def after_end(session: Session, *, partnership: Partnership, ends_on: date) -> tuple[int, int]:
    """How many activities (not cancelled) and open deliverables fall after a term ending on `ends_on`."""
    # A day earlier in UTC, then each activity judged by its own clock.
    lower = datetime.combine(ends_on, time(), UTC) - timedelta(days=1)
    activities = [
        utc_to_local(starts_at, zone).date()
        for starts_at, zone in session.exec(
            select(Activity.starts_at, Activity.timezone).where(
                Activity.partnership_id == partnership.id,
                Activity.status != ActivityStatus.cancelled,
                Activity.starts_at >= lower,
            )
        )
    ]
    deliverables = session.exec(
        select(Deliverable.id)
        .join(CooperationArea, CooperationArea.id == Deliverable.area_id)
        .where(
            CooperationArea.partnership_id == partnership.id,
            Deliverable.due_on > ends_on,
            Deliverable.status.in_(OPEN_DELIVERABLE_STATUSES),
        )
    ).all()
    return sum(1 for day in activities if day > ends_on), len(deliverables)

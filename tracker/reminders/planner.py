"""Planning: which reminders have come due, written as delivery rows (each key at most once)."""

import logging
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import or_, tuple_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from tracker.models import (
    OPEN_ACTIVITY_STATUSES,
    OPEN_DELIVERABLE_STATUSES,
    Activity,
    CooperationArea,
    Deliverable,
    Delivery,
    OutboxMessage,
    Person,
)
from tracker.reminders.rules import rules_for
from tracker.reminders.schedule import (
    Rules,
    activity_moments,
    deliverable_moments,
    due_activity_moments,
    due_deliverable_moments,
)
from tracker.times import utc_to_local

logger = logging.getLogger("tracker.reminders")


def _candidates(session: Session, now: datetime) -> list[dict]:
    rules: dict[int, Rules] = {}

    def rules_of(partnership_id: int) -> Rules:
        if partnership_id not in rules:
            rules[partnership_id] = rules_for(session, partnership_id)
        return rules[partnership_id]

    rows = []
    deliverables = session.exec(
        select(Deliverable, CooperationArea.partnership_id, Person)
        .join(CooperationArea, CooperationArea.id == Deliverable.area_id)
        .join(Person, Person.id == Deliverable.owner_id)
        .where(Deliverable.status.in_(OPEN_DELIVERABLE_STATUSES), Person.active.is_(True))
    ).all()
    for deliverable, partnership_id, owner in deliverables:
        with _alone("deliverable", deliverable.id):
            for moment in due_deliverable_moments(
                deliverable.due_on,
                rules_of(partnership_id),
                owner.timezone,
                now=now,
                known_since=deliverable.created_at,
            ):
                rows.append(_row("deliverable", deliverable.id, moment, owner.id, now))
    activities = session.exec(
        select(Activity)
        .where(Activity.status.in_(OPEN_ACTIVITY_STATUSES), Activity.starts_at > now)
        .options(selectinload(Activity.responsible))
    ).all()
    for activity in activities:
        for person in activity.responsible:
            if not person.active:
                continue
            with _alone("activity", activity.id):
                start_day = utc_to_local(activity.starts_at, activity.timezone).date()
                for moment in due_activity_moments(
                    start_day,
                    activity.starts_at,
                    rules_of(activity.partnership_id),
                    person.timezone,
                    now=now,
                    known_since=activity.created_at,
                ):
                    rows.append(_row("activity", activity.id, moment, person.id, now))
    return rows


@contextmanager
def _alone(item_type: str, item_id: int):
    """Plan one item on its own: a value no rule can work with (a zone written by hand, a date at the
    edge of the calendar) costs that item its reminders, logged, and never anyone else's."""
    try:
        yield
    except (ArithmeticError, LookupError, ValueError):
        logger.exception("no reminders can be planned for %s %s", item_type, item_id)


def _row(item_type: str, item_id: int, moment, person_id: int, now: datetime) -> dict:
    return {
        "created_at": now,
        "item_type": item_type,
        "item_id": item_id,
        "rule": moment.rule,
        "occurrence": moment.occurrence,
        "person_id": person_id,
        "due_at": moment.due_at,
        "status": "pending",
    }


def _key(row: dict) -> tuple:
    return (row["item_type"], row["item_id"], row["rule"], row["occurrence"], row["person_id"])


def plan(session: Session, *, now: datetime) -> list[dict]:
    """Write a pending delivery for every reminder that has come due and has none yet.

    Re-planning is harmless: the delivery key is unique, so a moment is written once however many
    sweeps (or concurrent sweepers) see it.
    """
    candidates = _candidates(session, now)
    if not candidates:
        return []
    keys = [_key(row) for row in candidates]
    existing = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        key_columns = tuple_(
            Delivery.item_type, Delivery.item_id, Delivery.rule, Delivery.occurrence, Delivery.person_id
        )
        existing.update(
            tuple(row)
            for row in session.exec(
                select(
                    Delivery.item_type, Delivery.item_id, Delivery.rule, Delivery.occurrence, Delivery.person_id
                ).where(key_columns.in_(chunk))
            ).all()
        )
    new = [row for row in candidates if _key(row) not in existing]
    if new:
        if session.get_bind().dialect.name == "postgresql":
            statement = pg_insert(Delivery).values(new).on_conflict_do_nothing(constraint="uq_delivery_key")
        else:
            statement = sqlite_insert(Delivery).values(new).on_conflict_do_nothing()
        session.exec(statement)
    return new


def drop_pending(session: Session, *, item_type: str, item_id: int) -> int:
    """An item closed or moved: its reminders not yet sent are dropped (sent ones stay as history).

    Called by the services in the same transaction as the change.
    """
    dropped = session.exec(
        update(Delivery)
        .where(
            Delivery.item_type == item_type,
            Delivery.item_id == item_id,
            or_(Delivery.status == "pending", Delivery.status == "queued"),
        )
        .values(status="dropped")
        .returning(Delivery.message_id)
    ).all()
    message_ids = {row[0] for row in dropped if row[0]}
    if message_ids:
        # A waiting message that now carries nothing is not sent at all.
        still_needed = select(Delivery.message_id).where(
            Delivery.message_id.in_(message_ids), Delivery.status == "queued"
        )
        session.exec(
            update(OutboxMessage)
            .where(
                OutboxMessage.id.in_(message_ids),
                OutboxMessage.status == "pending",
                OutboxMessage.id.not_in(still_needed),
            )
            .values(status="dropped")
        )
    return len(dropped)


def partnership_of(session: Session, delivery: Delivery) -> int | None:
    """The partnership a delivery's item belongs to."""
    if delivery.item_type == "activity":
        return session.exec(select(Activity.partnership_id).where(Activity.id == delivery.item_id)).first()
    return session.exec(
        select(CooperationArea.partnership_id)
        .join(Deliverable, Deliverable.area_id == CooperationArea.id)
        .where(Deliverable.id == delivery.item_id)
    ).first()


def item_reminders(session: Session, *, item_type: str, item, partnership_id: int, now: datetime) -> dict:
    """An item's reminders for its page: those still to come, and the deliveries made or waiting."""
    rules = rules_for(session, partnership_id)
    upcoming = []
    with _alone(item_type, item.id):  # a date at the edge of the calendar shows no schedule, not an error
        if item_type == "deliverable" and item.status in OPEN_DELIVERABLE_STATUSES and item.owner_id:
            owner = session.get(Person, item.owner_id)
            for moment in deliverable_moments(item.due_on, rules, owner.timezone):
                if moment.due_at > now:
                    upcoming.append((owner, moment))
        elif item_type == "activity" and item.status in OPEN_ACTIVITY_STATUSES and item.starts_at > now:
            start_day = utc_to_local(item.starts_at, item.timezone).date()
            for person in item.responsible:
                moments = activity_moments(start_day, rules, person.timezone)
                upcoming.extend((person, m) for m in moments if m.due_at > now)
    deliveries = session.exec(
        select(Delivery, Person)
        .join(Person, Person.id == Delivery.person_id)
        .where(Delivery.item_type == item_type, Delivery.item_id == item.id)
        .order_by(Delivery.due_at.desc())
    ).all()
    return {"upcoming": sorted(upcoming, key=lambda pair: pair[1].due_at), "deliveries": deliveries}

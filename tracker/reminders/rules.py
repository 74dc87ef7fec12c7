"""A partnership's reminder rules: what administrators may set, how they are stored, and reading them back."""

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from sqlmodel import Session, select

from tracker.models import Partnership, ReminderSettings
from tracker.reminders.schedule import Rules
from tracker.validation import error

MAX_DAYS_BEFORE = 90
MAX_MOMENTS = 6


def parse_days(value) -> tuple[int, ...]:
    """ "14, 7, 1" (or a list) as distinct days, the furthest first; raises the `day_list` error otherwise."""
    parts = value if isinstance(value, list | tuple) else str(value or "").split(",")
    parts = [str(part).strip() for part in parts if str(part).strip()]
    if len(parts) > MAX_MOMENTS or not all(part.isdigit() and 1 <= int(part) <= MAX_DAYS_BEFORE for part in parts):
        raise error("day_list")
    return tuple(sorted({int(part) for part in parts}, reverse=True))


def format_days(days: tuple[int, ...]) -> str:
    """Days as stored and as the form shows them: "14,7,1"."""
    return ",".join(str(day) for day in days)


DayList = Annotated[tuple[int, ...], BeforeValidator(parse_days)]


class RulesIn(BaseModel):
    """A partnership's reminder rules as an administrator sets them."""

    model_config = ConfigDict(extra="forbid")

    deliverable_days: DayList
    on_due_date: bool = False
    overdue_weekly: bool = False
    activity_days: DayList
    local_hour: Annotated[int, Field(ge=0, le=23)]


def _row(session: Session, partnership_id: int | None) -> ReminderSettings | None:
    if partnership_id is None:
        return None
    return session.exec(select(ReminderSettings).where(ReminderSettings.partnership_id == partnership_id)).first()


def rules_for(session: Session, partnership_id: int | None) -> Rules:
    """A partnership's rules; the defaults (`Rules()`) until an administrator changes them."""
    row = _row(session, partnership_id)
    if row is None:
        return Rules()
    return Rules(
        deliverable_days=parse_days(row.deliverable_days),
        on_due_date=row.on_due_date,
        overdue_weekly=row.overdue_weekly,
        activity_days=parse_days(row.activity_days),
        local_hour=row.local_hour,
    )


def save_rules(session: Session, *, partnership: Partnership, data: RulesIn) -> None:
    """Store a partnership's rules; the next sweep plans by them."""
    row = _row(session, partnership.id) or ReminderSettings(partnership_id=partnership.id)
    row.deliverable_days, row.activity_days = format_days(data.deliverable_days), format_days(data.activity_days)
    row.on_due_date, row.overdue_weekly, row.local_hour = data.on_due_date, data.overdue_weekly, data.local_hour
    session.add(row)
    session.flush()


def shown(rules: Rules) -> dict:
    """Rules as the form shows them."""
    return {
        "deliverable_days": format_days(rules.deliverable_days),
        "activity_days": format_days(rules.activity_days),
        "local_hour": str(rules.local_hour),
        "on_due_date": rules.on_due_date,
        "overdue_weekly": rules.overdue_weekly,
    }

"""When reminders fall due: pure functions of dates, rules, a recipient's zone and `now`.

A reminder's moment is the rule's local hour, on the rule's day, on the recipient's own clock:
08:00 in Panama is 13:00 UTC all year; 08:00 in California is 16:00 UTC in winter, 15:00 in summer.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tracker.times import local_to_utc


@dataclass(frozen=True)
class Rules:
    """A partnership's reminder rules."""

    deliverable_days: tuple[int, ...] = (14, 7, 1)
    on_due_date: bool = True
    overdue_weekly: bool = True
    activity_days: tuple[int, ...] = (7, 1)
    local_hour: int = 8


@dataclass(frozen=True)
class Moment:
    """One reminder's identity (rule and occurrence day) and the instant it is due."""

    rule: str
    occurrence: date
    due_at: datetime


def at_local_hour(day: date, hour: int, zone: str) -> datetime:
    """The UTC instant of `hour`:00 on `day` in `zone` (a skipped hour moves to the next that exists)."""
    wall = datetime.combine(day, time(hour))
    for shift in range(0, 3):
        try:
            return local_to_utc(wall + timedelta(hours=shift), zone)
        except ValueError:
            continue
    raise ValueError(f"no valid hour near {wall} in {zone}")


def _before(day: date, days_before: tuple[int, ...], hour: int, zone: str) -> list[Moment]:
    """The 'n days before' moments of a day, earliest first."""
    return [
        Moment(f"before-{days}", day - timedelta(days=days), at_local_hour(day - timedelta(days=days), hour, zone))
        for days in sorted(set(days_before), reverse=True)
        if days > 0
    ]


def deliverable_moments(due_on: date, rules: Rules, zone: str) -> list[Moment]:
    """Every 'before' and 'on the day' moment of a deliverable, earliest first."""
    moments = _before(due_on, rules.deliverable_days, rules.local_hour, zone)
    if rules.on_due_date:
        moments.append(Moment("due", due_on, at_local_hour(due_on, rules.local_hour, zone)))
    return moments


def latest_overdue_moment(due_on: date, rules: Rules, zone: str, now: datetime) -> Moment | None:
    """The most recent weekly 'still overdue' moment that has come, if any (one, never a backlog)."""
    if not rules.overdue_weekly:
        return None
    today = now.astimezone(ZoneInfo(zone)).date()
    weeks = (today - due_on).days // 7
    while weeks >= 1:
        day = due_on + timedelta(days=7 * weeks)
        moment = Moment("overdue", day, at_local_hour(day, rules.local_hour, zone))
        if moment.due_at <= now:
            return moment
        weeks -= 1
    return None


def activity_moments(start_day: date, rules: Rules, zone: str) -> list[Moment]:
    """The 'before it starts' moments of an activity (start_day: its first day on its own clock)."""
    return _before(start_day, rules.activity_days, rules.local_hour, zone)


def due_deliverable_moments(
    due_on: date, rules: Rules, zone: str, *, now: datetime, known_since: datetime
) -> list[Moment]:
    """The moments of an open deliverable that have come and should be sent.

    A 'before' moment counts only if it came after the tracker knew of the deliverable (no reminders
    about moments that passed before it was logged) and while its due date has not passed; once the
    deadline is gone, the 'on the day' and weekly 'still overdue' reminders take over.
    """
    today = now.astimezone(ZoneInfo(zone)).date()
    found = [
        m
        for m in deliverable_moments(due_on, rules, zone)
        if known_since <= m.due_at <= now and (m.rule == "due" or today <= due_on)
    ]
    overdue = latest_overdue_moment(due_on, rules, zone, now)
    if overdue and overdue.due_at >= known_since:
        found.append(overdue)
    return found


def due_activity_moments(
    start_day: date, starts_at: datetime, rules: Rules, zone: str, *, now: datetime, known_since: datetime
) -> list[Moment]:
    """The moments of an upcoming activity that have come (none once it has started)."""
    if starts_at <= now:
        return []
    return [m for m in activity_moments(start_day, rules, zone) if known_since <= m.due_at <= now]

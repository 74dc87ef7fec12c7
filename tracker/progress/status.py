"""Where the MOU stands, as pure functions of dates and counts: today in its term, and whether an area
is on track. An area's status is a documented rule of its deliverable counts:

- **behind**: two or more deliverables due by today are not accepted (accepted work lags what was due);
- **at risk**: one deliverable due by today is not accepted (one is overdue), or one due within the
  next 14 days has not been started;
- **on track**: otherwise.

The reason always comes with the status, in words, so nobody has to guess why an area is red.
"""

from dataclasses import dataclass
from datetime import date

from tracker.i18n import N_, Nn_, Plural

SOON_DAYS = 14


@dataclass(frozen=True)
class Term:
    """Where today stands in a partnership's term."""

    starts_on: date
    ends_on: date
    today: date

    @property
    def total_days(self) -> int:
        return max((self.ends_on - self.starts_on).days, 1)

    @property
    def days_left(self) -> int:
        return max((self.ends_on - self.today).days, 0)

    @property
    def elapsed_fraction(self) -> float:
        elapsed = (self.today - self.starts_on).days
        return min(max(elapsed / self.total_days, 0.0), 1.0)

    @property
    def has_started(self) -> bool:
        return self.today >= self.starts_on

    @property
    def has_ended(self) -> bool:
        return self.today > self.ends_on


@dataclass(frozen=True)
class AreaFigures:
    """What the rule reads: counts over an area's deliverables (cancelled ones excluded)."""

    due_by_today: int  # due on or before today
    accepted_of_due: int  # of those, accepted
    due_soon_not_started: int  # due in the next SOON_DAYS days and still not started


@dataclass(frozen=True)
class Status:
    code: str  # "on_track", "at_risk" or "behind"
    reason: str | Plural  # a message id (or one with a count), with {placeholders} filled from context
    context: dict


def area_status(figures: AreaFigures) -> Status:
    """The status of an area and its reason."""
    missing = figures.due_by_today - figures.accepted_of_due
    if missing >= 2:
        return Status(
            "behind",
            N_("{missing} of {due} deliverables due by today are not accepted."),
            {"missing": missing, "due": figures.due_by_today},
        )
    if missing == 1:
        return Status("at_risk", N_("One deliverable is overdue."), {})
    if figures.due_soon_not_started:
        return Status(
            "at_risk",
            Nn_(
                "{count} deliverable is due within {days} days and not started.",
                "{count} deliverables are due within {days} days and not started.",
                "count",
            ),
            {"count": figures.due_soon_not_started, "days": SOON_DAYS},
        )
    if figures.due_by_today:
        return Status(
            "on_track",
            Nn_(
                "The deliverable due by today is accepted.",
                "All {due} deliverables due by today are accepted.",
                "due",
            ),
            {"due": figures.due_by_today},
        )
    return Status("on_track", N_("Nothing was due yet, and nothing due soon is unstarted."), {})

"""Is an area on track? A documented rule, as a pure function of its deliverable counts.

- **behind**: two or more deliverables due by today are not accepted (accepted work lags what was due);
- **at risk**: one deliverable due by today is not accepted (one is overdue), or one due within the
  next 14 days has not been started;
- **on track**: otherwise.

The reason always comes with the status, in words, so nobody has to guess why an area is red.
"""

from dataclasses import dataclass

from tracker.validation import N_

SOON_DAYS = 14


@dataclass(frozen=True)
class AreaFigures:
    """What the rule reads: counts over an area's deliverables (cancelled ones excluded)."""

    due_by_today: int  # due on or before today
    accepted_of_due: int  # of those, accepted
    due_soon_not_started: int  # due in the next SOON_DAYS days and still not started


@dataclass(frozen=True)
class Status:
    code: str  # "on_track", "at_risk" or "behind"
    reason: str  # a message id, with {placeholders} filled from context
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
            N_("{count} deliverables are due within {days} days and not started."),
            {"count": figures.due_soon_not_started, "days": SOON_DAYS},
        )
    if figures.due_by_today:
        return Status(
            "on_track", N_("All {due} deliverables due by today are accepted."), {"due": figures.due_by_today}
        )
    return Status("on_track", N_("Nothing was due yet, and nothing due soon is unstarted."), {})

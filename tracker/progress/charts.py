"""Geometry of the server-drawn charts (inline SVG, no chart JavaScript): pure functions of dates."""

from dataclasses import dataclass
from datetime import date

WIDTH = 1000  # the SVG's own units; it scales to the page


@dataclass(frozen=True)
class Mark:
    x: float
    held: bool
    title: str


@dataclass(frozen=True)
class Timeline:
    """The MOU term as a line: quarter ticks, today, and the activities on it."""

    start: date
    end: date
    today_x: float | None
    elapsed_x: float
    quarters: list[tuple[float, date]]
    marks: list[Mark]


def position(day: date, start: date, end: date) -> float:
    """Where a day falls on the line, clamped to it."""
    span = max((end - start).days, 1)
    return round(min(max((day - start).days / span, 0.0), 1.0) * WIDTH, 1)


def quarter_starts(start: date, end: date) -> list[date]:
    """The first day of every calendar quarter inside the term."""
    found = []
    year, month = start.year, ((start.month - 1) // 3) * 3 + 1
    while True:
        month += 3
        if month > 12:
            year, month = year + 1, month - 12
        if year > date.max.year:  # a term stored up to the last representable day
            return found
        day = date(year, month, 1)
        if day >= end:
            return found
        found.append(day)


def timeline(start: date, end: date, today: date, activities: list[tuple[date, bool, str]]) -> Timeline:
    """activities: (first day, held?, title)."""
    inside = start <= today <= end
    return Timeline(
        start=start,
        end=end,
        today_x=position(today, start, end) if inside else None,
        elapsed_x=position(min(max(today, start), end), start, end),
        quarters=[(position(q, start, end), q) for q in quarter_starts(start, end)],
        marks=[Mark(position(day, start, end), held, title) for day, held, title in activities],
    )


@dataclass(frozen=True)
class Cumulative:
    """Two rising lines over the term: deliverables due by each day, and those accepted."""

    due_points: str  # SVG polyline points
    accepted_points: str
    due_total: int
    accepted_total: int
    height: int


def cumulative(
    start: date, end: date, due_days: list[date], accepted_days: list[date], height: int = 120
) -> Cumulative:
    """Step lines (x across the term, y up with the count) for the due and the accepted deliverables."""
    top = max(len(due_days), len(accepted_days), 1)

    def points(days: list[date]) -> str:
        line, count = [f"0,{height}"], 0
        for day in sorted(d for d in days if d <= end):
            x = position(day, start, end)
            line.append(f"{x},{height - count * height / top:.1f}")
            count += 1
            line.append(f"{x},{height - count * height / top:.1f}")
        line.append(f"{WIDTH},{height - count * height / top:.1f}")
        return " ".join(line)

    return Cumulative(points(due_days), points(accepted_days), len(due_days), len(accepted_days), height)

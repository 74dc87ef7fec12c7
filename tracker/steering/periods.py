"""The periods a steering committee reviews, as pure functions of dates: the quarters and half-years of a
term, and the period a request asks for."""

from dataclasses import dataclass
from datetime import date, timedelta

from tracker.indicators.rules import Period
from tracker.progress.report import last_full_quarter

# A period longer than this is not a review period (and would make one request measure for minutes).
MAX_DAYS = 3 * 366


@dataclass(frozen=True)
class Choice:
    """A period offered by the picker: a calendar quarter (`number` 1–4) or half-year (1–2) of `year`."""

    kind: str  # "quarter" or "half"
    year: int
    number: int
    period: Period


def _spans(first: date, last: date, months: int):
    start = date(first.year, ((first.month - 1) // months) * months + 1, 1)
    while start <= last:
        month = start.month + months
        following = date(start.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
        yield start, following - timedelta(days=1)
        start = following


def choices(starts_on: date, ends_on: date) -> list[Choice]:
    """The calendar quarters, then the half-years, that overlap the term, in order."""
    if ends_on < starts_on:
        return []
    quarters = [
        Choice("quarter", start.year, (start.month - 1) // 3 + 1, Period(start, end))
        for start, end in _spans(starts_on, ends_on, 3)
    ]
    halves = [
        Choice("half", start.year, 1 if start.month == 1 else 2, Period(start, end))
        for start, end in _spans(starts_on, ends_on, 6)
    ]
    return quarters + halves


def default_period(today: date) -> Period:
    """The period shown when none is asked for: the last full calendar quarter (as the period report's)."""
    return last_full_quarter(today)


def usable(start: date, end: date) -> bool:
    """Whether two days make a review period: the start first, at most about three years apart."""
    return start <= end and (end - start).days <= MAX_DAYS

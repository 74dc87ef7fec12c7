"""The periods of a partnership's term (calendar quarters or semesters, clipped to the term): pure functions."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from tracker.i18n import N_, translate

QUARTER, SEMESTER = "quarter", "semester"
KINDS = (QUARTER, SEMESTER)
# Months in each kind of period: a quarter is three, a semester six.
MONTHS = {QUARTER: 3, SEMESTER: 6}
LETTERS = {QUARTER: "Q", SEMESTER: "S"}
LABELS = {QUARTER: N_("Q{number} {year}"), SEMESTER: N_("H{number} {year}")}
# "Q3 2026", "T3 2026" (trimestre), "2026-Q3", "2026 T3", "S2 2026", "2026-S2", "H2 2026": a letter, its
# number and the year, in either order. T and Q name quarters; S and H name semesters.
_PERIOD = re.compile(
    r"^(?:(?P<year_first>\d{4})\s*[-/. ]?\s*)?(?P<letter>[QTSH])\s*(?P<number>\d)(?:\s*[-/. ]?\s*(?P<year>\d{4}))?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Period:
    """One quarter or semester of the calendar, as much of it as falls within the term."""

    kind: str
    year: int
    number: int
    start: date
    end: date

    @property
    def code(self) -> str:
        """A stable name for forms and the API: "2026-Q3", "2026-S2"."""
        return f"{self.year}-{LETTERS[self.kind]}{self.number}"

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


def _calendar_period(kind: str, year: int, number: int) -> tuple[date, date]:
    months = MONTHS[kind]
    first = date(year, (number - 1) * months + 1, 1)
    following = date(year + 1, 1, 1) if number * months == 12 else date(year, number * months + 1, 1)
    return first, following - timedelta(days=1)


def term_periods(starts_on: date, ends_on: date, kind: str = QUARTER) -> list[Period]:
    """Every quarter (or semester) the term touches, in order, each clipped to the term."""
    if kind not in KINDS or ends_on < starts_on:
        return []
    months = MONTHS[kind]
    year, number = starts_on.year, (starts_on.month - 1) // months + 1
    periods = []
    while True:
        first, last = _calendar_period(kind, year, number)
        if first > ends_on:
            return periods
        periods.append(Period(kind, year, number, max(first, starts_on), min(last, ends_on)))
        year, number = (year + 1, 1) if number * months == 12 else (year, number + 1)


def period_of(day: date, periods: list[Period]) -> Period | None:
    """The period a day falls in, or None (outside the term)."""
    return next((period for period in periods if day in period), None)


def parse_period(text: str, periods: list[Period]) -> Period | None:
    """The period of the term a text names ("Q3 2026", "T3 2026", "2026-S2"...), or None.

    A quarter named while the term is shown by semesters (or the reverse) is still found: the term's
    periods of its kind are worked out from the first and last day of `periods`.
    """
    found = _PERIOD.match((text or "").strip())
    if not found or not periods or bool(found["year_first"]) == bool(found["year"]):
        return None
    kind = QUARTER if found["letter"].upper() in "QT" else SEMESTER
    year, number = int(found["year_first"] or found["year"]), int(found["number"])
    if not 1 <= number <= 12 // MONTHS[kind]:
        return None
    candidates = periods if periods[0].kind == kind else term_periods(periods[0].start, periods[-1].end, kind)
    return next((p for p in candidates if (p.year, p.number) == (year, number)), None)


def planned_day(period: Period, item_type: str) -> date:
    """The date a period gives an item: an activity starts on its first day, a deliverable is due on its last."""
    return period.start if item_type == "activity" else period.end


def label(period: Period, language: str) -> str:
    """A period as people write it: "Q3 2026" / "T3 2026", "H2 2026" / "S2 2026"."""
    return translate(LABELS[period.kind], {"number": period.number, "year": period.year}, language)

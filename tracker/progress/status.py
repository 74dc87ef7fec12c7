"""Where the MOU stands, as pure functions of dates and counts: today in its term, each area's status,
and the MOU in one sentence.

An area's status compares what was planned with what was done, against the share of the term gone.

- *Planned* items are the area's activities (any status but cancelled) and its deliverables (not
  cancelled). An activity is **planned to date** once it starts on or before today; a deliverable once
  it is due on or before today. *Done* means an activity held, a deliverable accepted; **done to date**
  counts the items planned to date that are done (a deliverable accepted ahead of its due date counts
  in *done in all*, not yet in *done to date*).

The first rule that applies decides (`area_status`):

1. Nothing done and nothing planned to date:
   - **no activity yet** once a quarter of the term has passed (`QUIET_SHARE`), whatever is planned
     for later: six months into a two-year MOU, an area where nothing happened is news;
   - **not started** before that, a neutral word (the first quarter is for planning), unless a
     deliverable due within 14 days has not been started (then *at risk*, below).
2. **behind**: two or more items planned to date are not done (`BEHIND_MISSING`), or less than half of
   them are done (`BEHIND_SHARE`; with the count above, this is the case of a single item planned to
   date and not done: exactly half done is not behind).
3. **at risk**: one item planned to date is not done; or a deliverable due within the next 14 days
   (`SOON_DAYS`) has not been started; or an activity is postponed (moved, its new date not confirmed
   yet: postponing moves the start later, so without this an area could stay "on track" by postponing).
4. **on track**: everything planned to date is done (or nothing was due and something is done early).

The reason always comes with the status, in words, so nobody has to guess why an area is red; the
figures it read (`AreaFigures`) are shown beside it. `mou_sentence` says the whole MOU in one line:
months gone, planned activities held, and the areas that need a look, worst first ("all 7 areas on
track" when none does).
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from babel.lists import format_list
from babel.numbers import format_decimal

from tracker.i18n import N_, Nn_, Plural, translate

SOON_DAYS = 14
QUIET_SHARE = 0.25  # of the term: after that, an area where nothing happened has "no activity yet"
BEHIND_MISSING = 2  # items planned to date and not done
BEHIND_SHARE = 0.5  # done to date below this share of planned to date

# The order pages list statuses in, worst first, and their words.
LABELS = {
    "behind": N_("Behind"),
    "at_risk": N_("At risk"),
    "no_activity": N_("No activity yet"),
    "not_started": N_("Not started"),
    "on_track": N_("On track"),
}


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

    @property
    def months_total(self) -> int:
        """Whole months in the term (its last day included: 2025-05-12 to 2027-05-11 is 24)."""
        return max(_whole_months(self.starts_on, _day_after(self.ends_on)), 1)

    @property
    def months_elapsed(self) -> int:
        """Whole months gone since the term started, at most the term's."""
        return min(_whole_months(self.starts_on, self.today), self.months_total)


def _day_after(day: date) -> date:
    return day + timedelta(days=1) if day < date.max else day


def _whole_months(start: date, end: date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
    return max(months, 0)


@dataclass(frozen=True)
class AreaFigures:
    """What the rule reads about one area: its planned and done items, to date and in all."""

    planned_to_date: int  # activities started and deliverables due, on or before today
    done_to_date: int  # of those, activities held and deliverables accepted
    planned_total: int  # activities and deliverables in the whole term, cancelled ones left out
    done_total: int  # activities held and deliverables accepted, whenever due
    due_soon_not_started: int = 0  # deliverables due in the next SOON_DAYS days and still not started
    postponed: int = 0  # activities postponed, their new date not confirmed yet

    @property
    def missing(self) -> int:
        return max(self.planned_to_date - self.done_to_date, 0)


@dataclass(frozen=True)
class Status:
    code: str  # a key of LABELS
    reason: str | Plural  # a message id (or one with a count), with {placeholders} filled from context
    context: dict

    @property
    def label(self) -> str:
        """The status's word, a message id to translate where shown."""
        return LABELS[self.code]


def area_status(figures: AreaFigures, term: Term) -> Status:
    """The status of an area and its reason (the rule is in this module's docstring)."""
    if figures.planned_to_date == 0 and figures.done_total == 0:
        if term.elapsed_fraction >= QUIET_SHARE:
            return _quiet("no_activity", figures, term)
        if not figures.due_soon_not_started:
            return _quiet("not_started", figures, term)
    missing = figures.missing
    planned = figures.planned_to_date
    not_done = Nn_(
        "{missing} of {planned} items planned to date is not done.",
        "{missing} of {planned} items planned to date are not done.",
        "missing",
    )
    if missing >= BEHIND_MISSING or figures.done_to_date < BEHIND_SHARE * planned:
        if planned == 1:  # said without "1 of 1 items"
            return Status("behind", N_("The one item planned to date is not done."), {})
        return Status("behind", not_done, {"missing": missing, "planned": planned})
    if missing == 1:
        return Status("at_risk", not_done, {"missing": missing, "planned": planned})
    if figures.due_soon_not_started:
        return _due_soon("at_risk", figures)
    if figures.postponed:
        return Status(
            "at_risk",
            Nn_(
                "{count} activity is postponed and its new date not confirmed.",
                "{count} activities are postponed and their new dates not confirmed.",
                "count",
            ),
            {"count": figures.postponed},
        )
    if planned:
        return Status(
            "on_track",
            Nn_("The item planned to date is done.", "All {planned} items planned to date are done.", "planned"),
            {"planned": planned},
        )
    # Nothing was due, yet something is done already (a deliverable accepted ahead of its date).
    return Status(
        "on_track",
        Nn_(
            "Nothing was due yet; {done} item is done already.",
            "Nothing was due yet; {done} items are done already.",
            "done",
        ),
        {"done": figures.done_total},
    )


def _due_soon(code: str, figures: AreaFigures) -> Status:
    return Status(
        code,
        Nn_(
            "{count} deliverable is due within {days} days and not started.",
            "{count} deliverables are due within {days} days and not started.",
            "count",
        ),
        {"count": figures.due_soon_not_started, "days": SOON_DAYS},
    )


def _quiet(code: str, figures: AreaFigures, term: Term) -> Status:
    """An area where nothing was due and nothing is done, with the most useful reason."""
    if figures.due_soon_not_started:
        return _due_soon(code, figures)
    if figures.planned_total:
        return Status(
            code,
            Nn_(
                "Nothing done yet; {count} item is planned later in the term.",
                "Nothing done yet; {count} items are planned later in the term.",
                "count",
            ),
            {"count": figures.planned_total},
        )
    if code == "not_started":
        return Status(code, N_("Nothing is planned yet."), {})
    return Status(
        code,
        Nn_(
            "Nothing is planned or done, and {months} month of the term has passed.",
            "Nothing is planned or done, and {months} months of the term have passed.",
            "months",
        ),
        {"months": term.months_elapsed},
    )


# The MOU in one sentence ------------------------------------------------------------------------


@dataclass(frozen=True)
class MouFigures:
    """What the one-sentence summary reads: the term, the MOU's activities, each area's status."""

    months_elapsed: int
    months_total: int
    activities_held: int
    activities_planned: int  # in the whole term, cancelled ones left out (held ones included)
    statuses: tuple[str, ...]  # each area's status code


# The parts naming areas, worst first; "on track" is said only when every area is.
_AREA_PARTS = {
    "behind": Nn_("{num} area behind", "{num} areas behind", "n"),
    "at_risk": Nn_("{num} area at risk", "{num} areas at risk", "n"),
    "no_activity": Nn_("{num} area with no activity yet", "{num} areas with no activity yet", "n"),
    "not_started": Nn_("{num} area not started", "{num} areas not started", "n"),
}


def mou_sentence(figures: MouFigures, language: str) -> str:
    """The MOU in one sentence, in `language`: months gone, activities held, the areas that need a look."""

    def say(message, n: int, **numbers) -> str:
        shown = {key: format_decimal(value, locale=language) for key, value in numbers.items()}
        return translate(message, {"n": n, **shown}, language)

    months = say(
        Nn_("{elapsed} of {total} month gone", "{elapsed} of {total} months gone", "n"),
        figures.months_total,
        elapsed=figures.months_elapsed,
        total=figures.months_total,
    )
    if figures.activities_planned:
        activities = say(
            Nn_("{held} of {planned} planned activity held", "{held} of {planned} planned activities held", "n"),
            figures.activities_planned,
            held=figures.activities_held,
            planned=figures.activities_planned,
        )
    else:
        activities = translate(N_("no activity planned yet"), {}, language)
    parts = [months, activities]
    counts = Counter(figures.statuses)
    needing_a_look = [
        say(message, counts[code], num=counts[code]) for code, message in _AREA_PARTS.items() if counts[code]
    ]
    if needing_a_look:
        parts.append(format_list(needing_a_look, locale=language))
    elif figures.statuses:
        total = len(figures.statuses)
        parts.append(say(Nn_("the area is on track", "all {num} areas on track", "n"), total, num=total))
    return " · ".join(parts)

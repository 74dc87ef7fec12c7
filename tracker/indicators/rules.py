"""The arithmetic of capacity indicators, as pure functions: periods, completion, tallies, suppression."""

import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from tracker.models import Sex
from tracker.participants.rules import completed, shown_to_public
from tracker.times import in_zone

SEXES = tuple(s.value for s in Sex)
# The breakdowns people trained can have a target for, and the values each accepts.
TARGET_DIMENSIONS = {"sex": SEXES}


@dataclass(frozen=True)
class Period:
    """A span of whole days, both ends included."""

    start: date
    end: date

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    def within(self, other: "Period") -> bool:
        return other.start <= self.start and self.end <= other.end


def local_start_day(starts_at: datetime, zone: str) -> date:
    """The day an activity starts on its own clock: what decides the period it belongs to."""
    return in_zone(starts_at, zone).date()


@lru_cache(maxsize=1024)
def fewest_days(total_days: int, threshold: int) -> int | None:
    """The fewest recorded days of presence that complete an activity (None: no number does).

    Derived from `completed` itself, so counting in SQL never drifts from the roster's rule.
    """
    return next((d for d in range(total_days + 1) if completed("attended", d, total_days, threshold)), None)


@lru_cache(maxsize=65536)  # pages count the same few hundred organizations again and again
def organization_key(name: str) -> str:
    """How two spellings of one organization are recognised: case, accents, dots, commas and spaces aside."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(plain.casefold().replace(".", " ").replace(",", " ").split())


@dataclass(frozen=True)
class Tally:
    """People trained, once each, and how they break down."""

    total: int = 0
    by_sex: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SEXES, 0))
    # (label, people), most people first; label "" collects those whose organization is not recorded.
    by_organization: list[tuple[str, int]] = field(default_factory=list)
    # (ISO code, people), most people first; "" collects those whose country is not recorded.
    by_country: list[tuple[str, int]] = field(default_factory=list)

    @property
    def institutions(self) -> int:
        """Distinct organizations of the people trained (an unrecorded one is not an institution)."""
        return sum(1 for label, _ in self.by_organization if label)


def tally(rows: Iterable[tuple[str, str, str, int]]) -> Tally:
    """Fold (sex, organization, country, people) groups into totals and breakdowns.

    Every person is in exactly one group, so each breakdown adds up to the total. Spellings of one
    organization are merged (see `organization_key`) and shown as their most frequent form.
    """
    by_sex = dict.fromkeys(SEXES, 0)
    org_people: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    by_country: Counter[str] = Counter()
    total = 0
    for sex, organization, country, people in rows:
        total += people
        sex = str(getattr(sex, "value", sex))
        by_sex[sex if sex in by_sex else Sex.not_stated.value] += people
        key = organization_key(organization or "")
        org_people[key] += people
        spellings.setdefault(key, Counter())[" ".join((organization or "").split())] += people
        by_country[(country or "").strip().upper()] += people

    def label(key: str) -> str:
        if not key:
            return ""
        return min(spellings[key].items(), key=lambda item: (-item[1], item[0]))[0]

    organizations = sorted(((label(k), n) for k, n in org_people.items()), key=lambda item: (-item[1], item[0]))
    countries = sorted(by_country.items(), key=lambda item: (-item[1], item[0]))
    return Tally(total, by_sex, organizations, countries)


def share(part: int, whole: int) -> float | None:
    """part / whole, or None when there is no whole."""
    return part / whole if whole else None


@dataclass(frozen=True)
class Figure:
    """A number as a page may show it: the value, or suppressed to protect the people behind it."""

    value: float | None
    suppressed: bool = False


def public_count(count: int) -> Figure:
    """A count of people for anonymous visitors: 1 to 4 is suppressed (SMALL_CELL)."""
    shown = shown_to_public(count)
    return Figure(None, True) if shown is None else Figure(shown)


def public_share(part: int, whole: int) -> Figure:
    """part / whole for anonymous visitors.

    Suppressed when the whole, the part, or the rest (whole − part) is a small cell: otherwise the
    hidden count could be worked back from the shown total and percentage.
    """
    if whole == 0:
        return Figure(None)
    if any(shown_to_public(n) is None for n in (whole, part, whole - part)):
        return Figure(None, True)
    return Figure(part / whole)


def public_average(average: float | None, respondents: int) -> Figure:
    """An average for anonymous visitors: suppressed when fewer than SMALL_CELL people gave it."""
    if average is None or respondents == 0:
        return Figure(None)
    return Figure(None, True) if shown_to_public(respondents) is None else Figure(average)


def parse_dimension(text: str) -> tuple[str, str] | None:
    """ "sex=female" -> ("sex", "female"); "" -> ("", ""); None when not a breakdown targets can use."""
    if not text:
        return ("", "")
    name, sep, value = text.partition("=")
    if sep and value in TARGET_DIMENSIONS.get(name, ()):
        return (name, value)
    return None

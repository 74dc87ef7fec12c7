"""The counting rules of capacity building, as pure functions: days, completion, matching, scores."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import mean

from tracker.participants.names import fold
from tracker.times import in_zone

SMALL_CELL = 5  # anonymous pages never show a count below this
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def activity_days(starts_at: datetime, ends_at: datetime, zone: str) -> int:
    """How many calendar days an activity spans on its own clock (at least one)."""
    first = in_zone(starts_at, zone).date()
    # The end is exclusive: an activity ending at midnight does not take up the next day.
    last = in_zone(ends_at - timedelta(microseconds=1), zone).date() if ends_at > starts_at else first
    return max((last - first).days + 1, 1)


def completed(status: str, days_attended: int | None, total_days: int, threshold: int) -> bool:
    """Attended, and present at least `threshold`% of the days (all of them when not recorded)."""
    if status != "attended":
        return False
    days = total_days if days_attended is None else days_attended
    return days * 100 >= threshold * total_days


def match_key(given: str, surnames: str, organization: str) -> str:
    """How two rows without email are recognised as one person: full name and organization, loosely.

    The name is taken given names first whatever the culture's order, so the key never depends on it.
    """
    return f"{fold(f'{given} {surnames}')}|{fold(organization)}"[:330]


def neutralize(value) -> str:
    """A CSV cell that a spreadsheet will never run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@dataclass(frozen=True)
class Evaluation:
    """Kirkpatrick levels 1 and 2 for one activity."""

    attended: int
    respondents: int
    average_gain: float | None
    mastery_share: float | None
    average_satisfaction: float | None

    @property
    def response_rate(self) -> float | None:
        return self.respondents / self.attended if self.attended else None


def evaluate(rows: Iterable[tuple[str, int | None, int | None, int | None]], mastery: int) -> Evaluation:
    """rows: (status, pre, post, satisfaction) per participant."""
    attended = [r for r in rows if r[0] == "attended"]
    pairs = [(pre, post) for _, pre, post, _ in attended if pre is not None and post is not None]
    posts = [post for _, _, post, _ in attended if post is not None]
    satisfaction = [s for *_, s in attended if s is not None]
    respondents = sum(1 for _, pre, post, s in attended if post is not None or s is not None)
    return Evaluation(
        attended=len(attended),
        respondents=respondents,
        average_gain=mean(post - pre for pre, post in pairs) if pairs else None,
        mastery_share=sum(1 for p in posts if p >= mastery) / len(posts) if posts else None,
        average_satisfaction=mean(satisfaction) if satisfaction else None,
    )


def shown_to_public(count: int) -> int | None:
    """A count an anonymous visitor may see: small cells (1 to 4 people) are suppressed."""
    return count if count == 0 or count >= SMALL_CELL else None

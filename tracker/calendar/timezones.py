"""VTIMEZONE components read from the zone data, written as yearly rules the way Outlook and Google do.

Outlook (and vobject) ignore the RDATEs of a VTIMEZONE: a zone whose changes are listed only as RDATEs reads
as standard time all year there. So the changes that follow a weekday rule ("2nd Sunday of March") become
one RRULE per run of years, and only changes that fit no such rule are listed one by one.
"""

from calendar import monthrange
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

# The years a VTIMEZONE can describe: the zone data is sparse before 1970, and years past 2100 are the
# extrapolation of today's rule, which nobody needs.
FIRST_YEAR, LAST_YEAR = 1970, 2100
# Years read past the last one asked for: enough for a "4th or last Sunday" to show which it is, and for a
# rule that ends soon after to be closed with UNTIL rather than run on forever.
LOOKAHEAD = 7
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY = 24 * 3600


@dataclass(frozen=True)
class Onset:
    """One change of a zone's clock."""

    at: datetime  # the instant, in UTC
    local: datetime  # naive: the wall time it happens at, on the clock before it (as DTSTART is written)
    offset_from: timedelta
    offset_to: timedelta
    name: str
    daylight: bool


@dataclass
class Rule:
    """Onsets in consecutive years that one yearly weekday rule describes; a lone onset has no ordinal."""

    onsets: list[Onset]
    ordinals: frozenset[int]
    open_ended: bool = False
    ordinal: int | None = None


def _state(zone: ZoneInfo, timestamp: int) -> tuple:
    moment = datetime.fromtimestamp(timestamp, zone)
    return moment.utcoffset(), moment.dst(), moment.tzname()


def _onset(timestamp: int, before: tuple, after: tuple) -> Onset:
    at = datetime.fromtimestamp(timestamp, UTC)
    (offset_from, save_from, _), (offset_to, save_to, name) = before, after
    # Daylight time is the later clock of a change of saving, even where the zone data calls winter the saving
    # (Europe/Dublin's negative save): Outlook pairs one STANDARD with one DAYLIGHT.
    daylight = offset_to > offset_from if save_from != save_to else save_to > timedelta(0)
    return Onset(at, (at + offset_from).replace(tzinfo=None), offset_from, offset_to, name, daylight)


@lru_cache(maxsize=4096)
def onsets_in(zone: str, year: int) -> tuple[Onset, ...]:
    """The changes of a zone's clock during one (UTC) year, found by scanning its offsets day by day."""
    tz = ZoneInfo(zone)
    moment = int(datetime(year, 1, 1, tzinfo=UTC).timestamp())
    end = int(datetime(year + 1, 1, 1, tzinfo=UTC).timestamp())
    state, found = _state(tz, moment), []
    while moment < end:
        step = min(moment + DAY, end)
        if _state(tz, step) == state:
            moment = step
            continue
        low, high = moment, step  # the clock changed in (low, high]: bisect to the second
        while high - low > 1:
            middle = (low + high) // 2
            if _state(tz, middle) == state:
                low = middle
            else:
                high = middle
        after = _state(tz, high)
        found.append(_onset(high, state, after))
        moment, state = high, after
    return tuple(found)


def onsets(zone: str, first_year: int, last_year: int) -> list[Onset]:
    """The changes of a zone's clock from the start of one year to the end of another."""
    return [onset for year in range(first_year, last_year + 1) for onset in onsets_in(zone, year)]


def ordinals(day: date) -> frozenset[int]:
    """How a day can be named by its weekday within its month: 1 to 4 for the nth, -1 for the last."""
    found = {(day.day - 1) // 7 + 1} - {5}
    if day.day + 7 > monthrange(day.year, day.month)[1]:
        found.add(-1)
    return frozenset(found)


def _shape(onset: Onset) -> tuple:
    local = onset.local
    return onset.daylight, local.month, local.weekday(), local.time(), onset.offset_from, onset.offset_to, onset.name


def rules(found: list[Onset], last_year: int) -> list[Rule]:
    """Onsets grouped into yearly rules: same month, weekday of the month, wall time and offsets, year after year.

    A rule whose last onset falls in `last_year` is still in force there, so it stays open (no UNTIL).
    """
    groups: list[Rule] = []
    for onset in found:
        fits = ordinals(onset.local.date())
        for group in groups:
            last = group.onsets[-1]
            if last.local.year + 1 == onset.local.year and _shape(last) == _shape(onset) and group.ordinals & fits:
                group.onsets.append(onset)
                group.ordinals &= fits
                break
        else:
            groups.append(Rule([onset], fits))
    for group in groups:
        if len(group.onsets) > 1:
            # Both "4th" and "last" fit only when every year's day fell in the week they share (25th to 28th of
            # March, say): "last" is the rule zones use.
            group.ordinal = -1 if -1 in group.ordinals else min(group.ordinals)
            group.open_ended = group.onsets[-1].local.year >= last_year
    return groups


def _until(onset: Onset) -> datetime:
    # UNTIL is in UTC, but some readers (dateutil's tzical) compare it with the local wall time: the later of
    # the two readings still includes this onset for both, and no rule changes twice within a day.
    return max(onset.at, onset.local.replace(tzinfo=UTC))


def _observance(rule: Rule) -> TimezoneStandard | TimezoneDaylight:
    first = rule.onsets[0]
    observance = TimezoneDaylight() if first.daylight else TimezoneStandard()
    observance.add("dtstart", first.local)
    observance.add("tzoffsetfrom", first.offset_from)
    observance.add("tzoffsetto", first.offset_to)
    observance.add("tzname", first.name)
    if rule.ordinal is not None:
        recur = {"freq": "yearly", "bymonth": first.local.month}
        recur["byday"] = f"{rule.ordinal}{WEEKDAYS[first.local.weekday()]}"
        if not rule.open_ended:
            recur["until"] = _until(rule.onsets[-1])
        observance.add("rrule", recur)
    return observance


def covered_years(first_year: int, last_year: int) -> tuple[int, int]:
    """The years a VTIMEZONE for these years reads, kept within FIRST_YEAR and LAST_YEAR."""
    first = min(max(first_year, FIRST_YEAR), LAST_YEAR)
    return first, min(max(last_year + LOOKAHEAD, first), LAST_YEAR)


def previous_onset(zone: str, year: int) -> Onset | None:
    """The last change of a zone's clock before a year, back to FIRST_YEAR."""
    for earlier in range(year - 1, FIRST_YEAR - 1, -1):
        if found := onsets_in(zone, earlier):
            return found[-1]
    return None


def _steady(zone: str) -> Onset:
    # A clock that has not changed since FIRST_YEAR: one observance from then, the same offset either side.
    local = datetime(FIRST_YEAR, 1, 1)
    offset, save, name = _state(ZoneInfo(zone), int(local.replace(tzinfo=UTC).timestamp()))
    return Onset((local - offset).replace(tzinfo=UTC), local, offset, offset, name, save > timedelta(0))


def vtimezone(zone: str, first_year: int, last_year: int) -> Timezone:
    """The VTIMEZONE of an IANA zone for events in these years (and a few after)."""
    first, last = covered_years(first_year, last_year)
    # The change before the first year says which clock runs at its start: a reader finding no onset before
    # an instant guesses (dateutil takes the first STANDARD), and a zone may have kept its clock for years.
    found = [previous_onset(zone, first) or _steady(zone), *onsets(zone, first, last)]
    timezone = Timezone()
    timezone.add("tzid", zone)
    for rule in rules(found, last):
        timezone.add_component(_observance(rule))
    return timezone

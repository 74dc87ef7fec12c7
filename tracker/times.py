"""Instants, zones and dates: converting what people type and showing what we store."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel.dates import format_date, format_skeleton, format_time, get_timezone_location, get_timezone_name

from tracker.i18n import gettext_for


def is_timezone(name: str) -> bool:
    """True for an IANA time zone name this machine knows."""
    if not name or name != name.strip() or name.startswith("/"):
        return False
    try:
        ZoneInfo(name)
    # A folder of the zone database ("America") or an overlong name fails as a file would.
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


@lru_cache(maxsize=1024)
def zone_of(name: str) -> tzinfo:
    """The zone of this name, or UTC for a name this machine does not know (stored bypassing validation)."""
    return ZoneInfo(name) if is_timezone(name) else UTC


def in_zone(moment: datetime, zone: str) -> datetime:
    """The instant on a zone's clock; in UTC when that clock cannot show it (year 1 west of UTC, 9999 east).

    Every display path converts through here, so no stored instant can take a page down.
    """
    for target in (zone_of(zone), UTC):
        try:
            return moment.astimezone(target)
        except OverflowError:
            continue
    return moment


def all_timezones() -> list[str]:
    """Every IANA zone, sorted, without the legacy aliases nobody picks."""
    return sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))


def _offset(delta) -> str:
    """UTC−5, UTC+5:30, UTC (a true minus sign, as typeset)."""
    minutes = int(delta.total_seconds() // 60)
    if not minutes:
        return "UTC"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{'+' if minutes > 0 else '−'}{hours}" + (f":{rest:02d}" if rest else "")


def _key(moment: datetime) -> str:
    return getattr(moment.tzinfo, "key", "UTC")


@lru_cache(maxsize=1024)
def _seasons(zone: str, year: int) -> tuple[datetime, datetime]:
    tz = zone_of(zone)
    return datetime(year, 1, 15, 12, tzinfo=tz), datetime(year, 7, 15, 12, tzinfo=tz)


def _keeps_one_clock(zone: str, year: int) -> bool:
    winter, summer = _seasons(zone, min(max(year, 2), 9998))
    return winter.utcoffset() == summer.utcoffset()


@lru_cache(maxsize=4096)
def _label(zone: str, year: int, abbreviation: str, offset, language: str) -> str:
    if zone in ("UTC", "Etc/UTC") or not is_timezone(zone):
        return "UTC"
    if _keeps_one_clock(zone, year):
        # One clock all year (Panama): named as people say it, "hora de Panamá", never a borrowed "EST".
        return get_timezone_location(ZoneInfo(zone), locale=language)
    # A daylight-saving zone: its season's letters (PST/PDT), else its offset.
    return abbreviation if abbreviation.isalpha() else _offset(offset)


def zone_label(moment: datetime, language: str) -> str:
    """The zone of a clock time, beside it: "PDT", "CEST", "hora de Panamá", "UTC"."""
    return _label(_key(moment), moment.year, moment.tzname() or "", moment.utcoffset(), language)


@lru_cache(maxsize=1024)
def zone_name(zone: str, language: str) -> str:
    """A zone in a sentence: "hora de Panamá (UTC−5)", "Pacific Time (PST/PDT)", "UTC"."""
    if zone in ("UTC", "Etc/UTC") or not is_timezone(zone):
        return "UTC"
    winter, summer = _seasons(zone, datetime.now(UTC).year)
    if winter.utcoffset() == summer.utcoffset():
        return f"{get_timezone_location(ZoneInfo(zone), locale=language)} ({_offset(winter.utcoffset())})"
    generic = get_timezone_name(ZoneInfo(zone), "long", locale=language, zone_variant="generic")
    letters = [m.tzname() for m in (winter, summer) if (m.tzname() or "").isalpha()]
    return f"{generic} ({'/'.join(letters)})" if len(letters) == 2 else generic


def place_of(zone: str, language: str) -> str:
    """The city a zone is named for, in the viewer's language (Panamá, Los Ángeles)."""
    return get_timezone_location(zone if is_timezone(zone) else "UTC", locale=language, return_city=True)


@lru_cache(maxsize=4096)  # pure, and Babel is slow: pages repeat the same dates
def long_date(day: date, language: str) -> str:
    """A date as people write it: 'May 12, 2025' / '12 may 2025'."""
    return format_date(day, "medium", locale=language)


def _day(moment: datetime, language: str) -> str:
    return format_skeleton("yMMMEd", moment, locale=language)


def _clock(moment: datetime, language: str) -> str:
    return f"{format_time(moment, 'short', locale=language)} {zone_label(moment, language)}"


@dataclass(frozen=True)
class EventTime:
    """An event's start and end as a viewer reads them, and in the event's own zone."""

    iso: str
    viewer: str
    event: str | None  # None when the event's local clock reads the same


def _on_one_clock(start: datetime, end: datetime, zone: str) -> tuple[datetime, datetime]:
    # Both ends in UTC when the zone cannot show one of them: a span read on two clocks would mislead.
    start, end = in_zone(start, zone), in_zone(end, zone)
    return (start, end) if start.tzinfo is end.tzinfo else (in_zone(start, "UTC"), in_zone(end, "UTC"))


def _span(start: datetime, end: datetime, language: str) -> str:
    if start.date() == end.date():
        return f"{_day(start, language)}, {format_time(start, 'short', locale=language)} – {_clock(end, language)}"
    return f"{_day(start, language)}, {_clock(start, language)} – {_day(end, language)}, {_clock(end, language)}"


@lru_cache(maxsize=4096)
def event_time(start: datetime, end: datetime, event_zone: str, viewer_zone: str | None, language: str) -> EventTime:
    """Format an event for a viewer; the event's own local time joins when its clock differs."""
    local_start, local_end = _on_one_clock(start, end, event_zone)
    seen_start, seen_end = _on_one_clock(start, end, viewer_zone or event_zone)
    viewer_text = _span(seen_start, seen_end, language)
    same_clock = (
        seen_start.replace(tzinfo=None) == local_start.replace(tzinfo=None)
        and seen_start.utcoffset() == local_start.utcoffset()
    )
    event_text = None
    if not same_clock:
        event_text = _span(local_start, local_end, language)
        if not _keeps_one_clock(_key(local_start), local_start.year):  # "hora de Panamá" names its place already
            _ = gettext_for(language)
            event_text = _("{time} in {place}").format(time=event_text, place=place_of(event_zone, language))
    return EventTime(iso=start.isoformat(), viewer=viewer_text, event=event_text)


class NonexistentLocalTime(ValueError):
    """A wall-clock time skipped by a daylight-saving change."""


def local_to_utc(moment: datetime, zone: str) -> datetime:
    """The UTC instant of a wall-clock time in a zone (an aware input keeps its own offset).

    An ambiguous time (the repeated hour in autumn) means its first occurrence; a skipped one
    (the lost hour in spring) is refused rather than silently moved.
    """
    if moment.tzinfo is not None:
        return moment.astimezone(UTC)
    tz = ZoneInfo(zone)
    placed = moment.replace(tzinfo=tz, fold=0)
    if placed.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != moment:
        raise NonexistentLocalTime(moment.isoformat())
    return placed.astimezone(UTC)


def utc_to_local(moment: datetime, zone: str) -> datetime:
    """The naive wall-clock time of an instant in a zone (what a form field shows); see `in_zone`."""
    return in_zone(moment, zone).replace(tzinfo=None)


def day_start(day: date, zone: str) -> datetime:
    """The first instant of a day on a zone's clock, in UTC (the hour after midnight where clocks skip it)."""
    # fold=0 reads a skipped midnight with the offset before the change: the day's first real minute.
    return datetime.combine(day, time(), tzinfo=zone_of(zone)).astimezone(UTC)


def today_in(zone: str) -> date:
    """Today's date on a zone's clock."""
    return in_zone(datetime.now(UTC), zone).date()

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from tests.calendar.readers import READERS, zones
from tracker.calendar.timezones import ordinals, vtimezone


def _ics(*timezones) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//tests//EN")
    calendar.add("version", "2.0")
    for timezone in timezones:
        calendar.add_component(timezone)
    return calendar.to_ical()


def _observances(timezone, kind: str) -> list[tuple]:
    """(DTSTART, BYMONTH, BYDAY, UNTIL) of each STANDARD or DAYLIGHT as written, in order."""
    found = []
    for observance in Calendar.from_ical(_ics(timezone)).walk(kind):
        rule = observance.get("RRULE")
        found.append(
            (
                observance.decoded("DTSTART"),
                rule["BYMONTH"][0] if rule else None,
                rule["BYDAY"][0] if rule else None,
                rule.get("UNTIL", [None])[0] if rule else None,
            )
        )
    return found


def test_it_closes_the_old_us_rule_with_until_when_the_2007_rule_begins():
    timezone = vtimezone("America/Los_Angeles", 2005, 2008)
    assert str(timezone["TZID"]) == "America/Los_Angeles"
    assert _observances(timezone, "DAYLIGHT") == [
        (datetime(2005, 4, 3, 2, 0), 4, "1SU", datetime(2006, 4, 2, 10, 0, tzinfo=UTC)),
        (datetime(2007, 3, 11, 2, 0), 3, "2SU", None),
    ]
    # The STANDARD onset before 2005 opens the old rule, so January 2005 reads PST too.
    assert _observances(timezone, "STANDARD") == [
        (datetime(2004, 10, 31, 2, 0), 10, "-1SU", datetime(2006, 10, 29, 9, 0, tzinfo=UTC)),
        (datetime(2007, 11, 4, 2, 0), 11, "1SU", None),
    ]
    daylight = timezone.walk("DAYLIGHT")[-1]
    assert (daylight.decoded("TZOFFSETFROM"), daylight.decoded("TZOFFSETTO")) == (
        -timedelta(hours=8),
        -timedelta(hours=7),
    )
    assert str(daylight["TZNAME"]) == "PDT" and str(timezone.walk("STANDARD")[-1]["TZNAME"]) == "PST"
    assert b"RDATE" not in timezone.to_ical()


def test_it_writes_spain_as_the_last_sunday_of_march_and_of_october():
    timezone = vtimezone("Europe/Madrid", 2026, 2027)
    assert _observances(timezone, "DAYLIGHT") == [(datetime(2026, 3, 29, 2, 0), 3, "-1SU", None)]
    assert _observances(timezone, "STANDARD") == [(datetime(2025, 10, 26, 3, 0), 10, "-1SU", None)]
    assert str(timezone.walk("DAYLIGHT")[0]["TZNAME"]) == "CEST"


def test_it_gives_panama_one_standard_time_all_year():
    timezone = vtimezone("America/Panama", 2026, 2027)
    (standard,) = timezone.subcomponents
    assert standard.name == "STANDARD" and "RRULE" not in standard and "RDATE" not in standard
    assert standard.decoded("TZOFFSETFROM") == standard.decoded("TZOFFSETTO") == -timedelta(hours=5)
    assert str(standard["TZNAME"]) == "EST"


def test_it_handles_the_southern_hemisphere_summer_across_new_year():
    timezone = vtimezone("Australia/Sydney", 2026, 2027)
    assert _observances(timezone, "DAYLIGHT") == [(datetime(2025, 10, 5, 2, 0), 10, "1SU", None)]
    assert _observances(timezone, "STANDARD") == [(datetime(2026, 4, 5, 3, 0), 4, "1SU", None)]
    assert timezone.walk("DAYLIGHT")[0].decoded("TZOFFSETTO") == timedelta(hours=11)


def test_it_lists_each_change_on_its_own_when_no_weekday_rule_fits():
    timezone = vtimezone("Asia/Tehran", 2019, 2021)  # Iran changed on fixed dates (21 or 22 March)
    assert b"RRULE" not in timezone.to_ical() and b"RDATE" not in timezone.to_ical()
    starts = [observance.decoded("DTSTART") for observance in timezone.walk("DAYLIGHT")]
    assert datetime(2020, 3, 21, 0, 0) in starts and datetime(2021, 3, 22, 0, 0) in starts


def test_it_keeps_the_yearly_rule_and_lists_ramadan_changes_apart_in_morocco():
    timezone = vtimezone("Africa/Casablanca", 2025, 2026)
    lone = [observance for observance in timezone.subcomponents if "RRULE" not in observance]
    assert len(lone) >= 4  # a Ramadan start and end each year, fitting no weekday rule


def test_it_calls_irish_summer_time_daylight_despite_the_negative_winter_save():
    timezone = vtimezone("Europe/Dublin", 2026, 2027)
    assert [str(o["TZNAME"]) for o in timezone.walk("DAYLIGHT")] == ["IST"]
    assert [str(o["TZNAME"]) for o in timezone.walk("STANDARD")] == ["GMT"]


def test_it_stays_within_sensible_years_whatever_it_is_asked():
    timezone = vtimezone("America/Los_Angeles", 1, 9999)
    years = [observance.decoded("DTSTART").year for observance in timezone.subcomponents]
    assert min(years) >= 1970 and max(years) <= 2100
    assert vtimezone("America/Panama", 9999, 9999).subcomponents


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2026, 3, 8), {2}),
        (date(2026, 11, 1), {1}),
        (date(2026, 3, 29), {-1}),  # the 5th Sunday: only "last" names it
        (date(2027, 3, 28), {4, -1}),
        (date(2026, 9, 24), {4, -1}),  # September has 30 days
        (date(2026, 9, 23), {4}),
    ],
)
def test_it_names_a_day_by_its_weekday_within_the_month(day, expected):
    assert ordinals(day) == expected


@pytest.mark.parametrize(
    "zone, first, last",
    [
        ("America/Los_Angeles", 2026, 2027),
        ("America/Los_Angeles", 2005, 2008),
        ("America/Panama", 2026, 2027),
        ("Europe/Madrid", 2026, 2027),
        ("Australia/Sydney", 2006, 2008),  # rules closed with UNTIL east of UTC
        ("Asia/Tehran", 2020, 2023),  # fixed dates, then no daylight saving from 2023
        ("Africa/Casablanca", 2025, 2026),
        ("Europe/Dublin", 2026, 2027),
        ("America/Havana", 2005, 2006),  # daylight time all year from 2004 to late 2006
        ("Pacific/Chatham", 2026, 2027),  # +12:45 and +13:45
    ],
)
def test_every_reader_reads_the_zone_data_s_offsets_every_few_hours(zone, first, last):
    ics = _ics(vtimezone(zone, first, last))
    truth = ZoneInfo(zone)
    wrong = {}
    for reader in READERS:
        read = zones(ics)[reader][zone]
        moment, end = datetime(first, 1, 1, tzinfo=UTC), datetime(last + 1, 12, 31, tzinfo=UTC)
        while moment < end:
            wall = moment.astimezone(truth).replace(tzinfo=None)
            # A wall time that happens twice (or never) is not what this checks.
            if wall.replace(tzinfo=truth, fold=0).utcoffset() == wall.replace(tzinfo=truth, fold=1).utcoffset():
                if wall.replace(tzinfo=read).utcoffset() != moment.astimezone(truth).utcoffset():
                    wrong.setdefault(reader, []).append(wall)
            moment += timedelta(hours=5)
    assert wrong == {}

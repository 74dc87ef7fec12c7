from datetime import UTC, date, datetime

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from tracker.times import (
    NonexistentLocalTime,
    all_timezones,
    day_start,
    event_time,
    in_zone,
    is_timezone,
    local_to_utc,
    today_in,
    utc_to_local,
)

PANAMA, CALIFORNIA = "America/Panama", "America/Los_Angeles"


def _panama_nine_am(year, month, day):
    return local_to_utc(datetime(year, month, day, 9, 0), PANAMA)


def test_a_panama_workshop_reads_seven_pdt_to_a_california_viewer_in_july():
    start = _panama_nine_am(2026, 7, 15)
    shown = event_time(start, start.replace(hour=start.hour + 8), PANAMA, CALIFORNIA, "en")
    assert "7:00\u202fAM" in shown.viewer and "PDT" in shown.viewer
    assert shown.event.startswith("Wed, Jul 15, 2026, 9:00\u202fAM") and shown.event.endswith(
        "5:00\u202fPM Panama Time"
    )


def test_the_same_workshop_reads_six_pst_in_january():
    start = _panama_nine_am(2027, 1, 14)
    shown = event_time(start, start.replace(hour=start.hour + 8), PANAMA, CALIFORNIA, "en")
    assert "6:00\u202fAM" in shown.viewer and "PST" in shown.viewer
    assert "9:00\u202fAM" in shown.event


@pytest.mark.parametrize(
    "day, expected",
    [
        # The Saturday before and the Monday after each change of 2026 in California.
        ((2026, 3, 7), "6:00\u202fAM PST"),
        ((2026, 3, 9), "7:00\u202fAM PDT"),
        ((2026, 10, 31), "7:00\u202fAM PDT"),
        ((2026, 11, 2), "6:00\u202fAM PST"),
    ],
)
def test_it_follows_both_daylight_saving_changes(day, expected):
    start = _panama_nine_am(*day)
    shown = event_time(start, start.replace(hour=start.hour + 1), PANAMA, CALIFORNIA, "en")
    assert shown.viewer.endswith(expected.split(" ")[1]) and expected.split(" ")[0] in shown.viewer


def test_panama_never_changes_its_clock():
    for month in (1, 4, 7, 11):
        assert _panama_nine_am(2026, month, 10).hour == 14


def test_spanish_viewers_read_spanish_dates_and_place_names():
    start = _panama_nine_am(2026, 7, 15)
    shown = event_time(start, start.replace(hour=start.hour + 8), PANAMA, CALIFORNIA, "es")
    assert shown.viewer.startswith("mié, 15 jul 2026, 7:00")
    assert shown.event.endswith("en Panamá") or "Panamá" in shown.event


def test_no_second_time_is_shown_when_the_viewer_is_in_the_event_zone():
    start = _panama_nine_am(2026, 7, 15)
    assert event_time(start, start.replace(hour=start.hour + 1), PANAMA, PANAMA, "en").event is None
    assert event_time(start, start.replace(hour=start.hour + 1), PANAMA, None, "en").event is None


def test_a_time_skipped_by_spring_forward_is_refused():
    with pytest.raises(NonexistentLocalTime):
        local_to_utc(datetime(2026, 3, 8, 2, 30), CALIFORNIA)


def test_the_repeated_autumn_hour_means_its_first_occurrence():
    assert local_to_utc(datetime(2026, 11, 1, 1, 30), CALIFORNIA) == datetime(2026, 11, 1, 8, 30, tzinfo=UTC)


def test_an_instant_round_trips_through_the_event_clock():
    moment = datetime(2026, 5, 1, 14, 0, tzinfo=UTC)
    assert local_to_utc(utc_to_local(moment, CALIFORNIA), CALIFORNIA) == moment


# Instants no clock can show: year 1 west of Greenwich, the last minute of 9999 east of it ---------------

FIRST, LAST = datetime(1, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, 23, 59, tzinfo=UTC)
KIRITIMATI = "Pacific/Kiritimati"


@given(
    moment=st.datetimes(datetime(1, 1, 1), datetime(9999, 12, 31, 23, 59, 59), timezones=st.just(UTC)),
    zone=st.sampled_from(all_timezones()),
)
def test_it_shows_every_instant_on_the_zones_clock_or_in_utc(moment, zone):
    shown = in_zone(moment, zone)
    assert shown == moment
    assert str(shown.tzinfo) in (zone, "UTC")


def test_it_falls_back_to_utc_where_the_zone_cannot_show_the_instant():
    assert in_zone(FIRST, CALIFORNIA).tzname() == "UTC"
    assert in_zone(LAST, KIRITIMATI).tzname() == "UTC"
    assert in_zone(LAST, CALIFORNIA).tzname() == "PST"
    assert utc_to_local(FIRST, CALIFORNIA) == datetime(1, 1, 1)


def test_an_unknown_stored_zone_reads_as_utc():
    assert in_zone(FIRST, "Mars/Olympus_Mons").tzname() == "UTC"
    assert "UTC" in event_time(FIRST, FIRST.replace(hour=1), "Mars/Olympus_Mons", None, "en").viewer


@pytest.mark.parametrize("viewer", [PANAMA, CALIFORNIA, KIRITIMATI, "UTC", None])
@pytest.mark.parametrize("language", ["en", "es"])
def test_events_in_year_1_and_9999_read_on_one_clock(viewer, language):
    for zone in (PANAMA, CALIFORNIA, KIRITIMATI):
        for start, end in ((FIRST, FIRST.replace(hour=8)), (LAST.replace(hour=15), LAST), (FIRST, LAST)):
            shown = event_time(start, end, zone, viewer, language)
            assert shown.viewer and shown.iso == start.isoformat()
    # Year 1 in California cannot be shown on its clock: both ends in UTC, not one on each.
    assert event_time(FIRST, FIRST.replace(hour=8), CALIFORNIA, CALIFORNIA, "en").viewer.endswith("8:00\u202fAM UTC")


def test_a_day_whose_midnight_the_clocks_skip_starts_at_the_first_minute_it_has():
    # Chile moved its clocks from 24:00 to 01:00 on 8 September 2024.
    assert day_start(date(2024, 9, 8), "America/Santiago") == datetime(2024, 9, 8, 4, 0, tzinfo=UTC)
    assert day_start(date(2026, 3, 10), PANAMA) == datetime(2026, 3, 10, 5, 0, tzinfo=UTC)


def test_today_differs_across_the_date_line():
    with time_machine.travel("2026-03-10T12:00Z", tick=False):
        assert today_in(KIRITIMATI) == date(2026, 3, 11) and today_in(CALIFORNIA) == date(2026, 3, 10)


@pytest.mark.parametrize("name", ["America", "America/", "a" * 300, "../../etc/passwd", "UTC\x00", ""])
def test_a_name_that_is_no_zone_is_not_a_time_zone(name):
    assert not is_timezone(name)

from datetime import UTC, datetime

import pytest

from tracker.times import NonexistentLocalTime, event_time, local_to_utc, utc_to_local

PANAMA, CALIFORNIA = "America/Panama", "America/Los_Angeles"


def _panama_nine_am(year, month, day):
    return local_to_utc(datetime(year, month, day, 9, 0), PANAMA)


def test_a_panama_workshop_reads_seven_pdt_to_a_california_viewer_in_july():
    start = _panama_nine_am(2026, 7, 15)
    shown = event_time(start, start.replace(hour=start.hour + 8), PANAMA, CALIFORNIA, "en")
    assert "7:00\u202fAM" in shown.viewer and "PDT" in shown.viewer
    assert shown.event.startswith("Wed, Jul 15, 2026, 9:00\u202fAM") and "EST in Panama" in shown.event


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

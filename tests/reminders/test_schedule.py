"""When reminders fall due, from dates, rules, a zone and `now` alone: no database, no clock."""

from datetime import UTC, date, datetime

from tracker.reminders.schedule import (
    Moment,
    Rules,
    activity_moments,
    at_local_hour,
    deliverable_moments,
    due_activity_moments,
    due_deliverable_moments,
    latest_overdue_moment,
)

LA = "America/Los_Angeles"
PANAMA = "America/Panama"


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_it_places_8_am_in_los_angeles_at_16_utc_in_winter_and_15_utc_in_summer():
    assert at_local_hour(date(2026, 1, 15), 8, LA) == utc(2026, 1, 15, 16)
    assert at_local_hour(date(2026, 7, 15), 8, LA) == utc(2026, 7, 15, 15)
    # The days either side of the spring change (Sunday 8 March 2026).
    assert at_local_hour(date(2026, 3, 7), 8, LA) == utc(2026, 3, 7, 16)
    assert at_local_hour(date(2026, 3, 8), 8, LA) == utc(2026, 3, 8, 15)


def test_it_moves_an_hour_the_clocks_skip_to_the_next_that_exists():
    # 02:00 does not happen in Los Angeles on 8 March 2026: 03:00 PDT is the first hour after it.
    assert at_local_hour(date(2026, 3, 8), 2, LA) == utc(2026, 3, 8, 10)
    assert at_local_hour(date(2026, 3, 8), 3, LA) == utc(2026, 3, 8, 10)


def test_it_takes_the_first_of_an_hour_the_clocks_repeat():
    # 01:00 happens twice on 1 November 2026: the first time, still on daylight time.
    assert at_local_hour(date(2026, 11, 1), 1, LA) == utc(2026, 11, 1, 8)


def test_it_places_8_am_in_panama_at_13_utc_all_year():
    for day in (date(2026, 1, 15), date(2026, 3, 8), date(2026, 7, 15), date(2026, 11, 1)):
        assert at_local_hour(day, 8, PANAMA) == utc(day.year, day.month, day.day, 13)


def test_it_lists_a_deliverables_moments_earliest_first_with_the_due_date_last():
    moments = deliverable_moments(date(2026, 6, 30), Rules(), PANAMA)
    assert moments == [
        Moment("before-14", date(2026, 6, 16), utc(2026, 6, 16, 13)),
        Moment("before-7", date(2026, 6, 23), utc(2026, 6, 23, 13)),
        Moment("before-1", date(2026, 6, 29), utc(2026, 6, 29, 13)),
        Moment("due", date(2026, 6, 30), utc(2026, 6, 30, 13)),
    ]


def test_it_drops_repeated_and_zero_days_and_the_due_date_when_the_rules_say_so():
    rules = Rules(deliverable_days=(1, 7, 7, 0), on_due_date=False, local_hour=9)
    moments = deliverable_moments(date(2026, 6, 30), rules, PANAMA)
    assert [(m.rule, m.occurrence, m.due_at) for m in moments] == [
        ("before-7", date(2026, 6, 23), utc(2026, 6, 23, 14)),
        ("before-1", date(2026, 6, 29), utc(2026, 6, 29, 14)),
    ]


def test_it_lists_an_activitys_moments_on_the_recipients_clock_across_a_clock_change():
    # A week before is still on standard time in Los Angeles; the day before is on daylight time.
    moments = activity_moments(date(2026, 3, 10), Rules(activity_days=(1, 7, 0)), LA)
    assert moments == [
        Moment("before-7", date(2026, 3, 3), utc(2026, 3, 3, 16)),
        Moment("before-1", date(2026, 3, 9), utc(2026, 3, 9, 15)),
    ]
    assert activity_moments(date(2026, 3, 10), Rules(activity_days=()), LA) == []


def test_it_gives_the_latest_weekly_overdue_moment_never_a_backlog():
    due = date(2026, 6, 1)
    # Four weeks late, after 08:00 in Panama: only the fourth week's reminder, not the three before it.
    assert latest_overdue_moment(due, Rules(), PANAMA, utc(2026, 6, 30, 12)) == Moment(
        "overdue", date(2026, 6, 29), utc(2026, 6, 29, 13)
    )
    # On the fourth week's day but before its hour: the third week's is the latest that has come.
    assert latest_overdue_moment(due, Rules(), PANAMA, utc(2026, 6, 29, 12)).occurrence == date(2026, 6, 22)


def test_it_gives_no_overdue_moment_in_the_first_week_or_when_the_rules_turn_it_off():
    due = date(2026, 6, 1)
    assert latest_overdue_moment(due, Rules(), PANAMA, utc(2026, 6, 7, 23)) is None
    assert latest_overdue_moment(due, Rules(), PANAMA, utc(2026, 5, 20, 12)) is None
    assert latest_overdue_moment(due, Rules(overdue_weekly=False), PANAMA, utc(2026, 6, 30, 12)) is None


def test_it_skips_moments_that_passed_before_the_deliverable_was_known():
    found = due_deliverable_moments(
        date(2026, 6, 30), Rules(), PANAMA, now=utc(2026, 6, 29, 14), known_since=utc(2026, 6, 25)
    )
    assert [m.rule for m in found] == ["before-1"]


def test_it_sends_no_before_moment_once_the_due_date_has_passed():
    found = due_deliverable_moments(
        date(2026, 6, 30), Rules(), PANAMA, now=utc(2026, 7, 2, 14), known_since=utc(2026, 6, 1)
    )
    assert [(m.rule, m.occurrence) for m in found] == [("due", date(2026, 6, 30))]


def test_it_sends_the_overdue_moment_only_when_it_came_after_the_deliverable_was_known():
    due = date(2026, 6, 1)
    logged_late = due_deliverable_moments(due, Rules(), PANAMA, now=utc(2026, 6, 30, 14), known_since=utc(2026, 6, 20))
    assert logged_late == [Moment("overdue", date(2026, 6, 29), utc(2026, 6, 29, 13))]
    logged_after_it = due_deliverable_moments(
        due, Rules(), PANAMA, now=utc(2026, 6, 30, 14), known_since=utc(2026, 6, 29, 14)
    )
    assert logged_after_it == []


def test_it_sends_an_activitys_moments_only_before_it_starts():
    start_day, starts_at = date(2026, 3, 10), utc(2026, 3, 10, 14)
    rules = Rules()
    before = due_activity_moments(
        start_day, starts_at, rules, PANAMA, now=utc(2026, 3, 9, 14), known_since=utc(2026, 1, 1)
    )
    assert [m.rule for m in before] == ["before-7", "before-1"]
    started = due_activity_moments(start_day, starts_at, rules, PANAMA, now=starts_at, known_since=utc(2026, 1, 1))
    assert started == []

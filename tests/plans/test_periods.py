"""The term's periods: calendar quarters and semesters clipped to the term, and how people name them."""

from datetime import date

import pytest

from tracker.plans.periods import label, parse_period, period_of, planned_day, term_periods

START, END = date(2025, 5, 12), date(2027, 5, 11)


def test_it_cuts_the_term_into_calendar_quarters_clipped_to_the_term():
    quarters = term_periods(START, END)
    assert [q.code for q in quarters] == [
        "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4", "2027-Q1", "2027-Q2",
    ]  # fmt: skip
    assert (quarters[0].start, quarters[0].end) == (START, date(2025, 6, 30))
    assert (quarters[5].start, quarters[5].end) == (date(2026, 7, 1), date(2026, 9, 30))
    assert (quarters[-1].start, quarters[-1].end) == (date(2027, 4, 1), END)


def test_it_cuts_the_term_into_semesters():
    semesters = term_periods(START, END, "semester")
    assert [s.code for s in semesters] == ["2025-S1", "2025-S2", "2026-S1", "2026-S2", "2027-S1"]
    assert (semesters[1].start, semesters[1].end) == (date(2025, 7, 1), date(2025, 12, 31))
    assert semesters[-1].end == END


def test_a_day_falls_in_one_period_or_none():
    quarters = term_periods(START, END)
    assert period_of(date(2026, 9, 30), quarters).code == "2026-Q3"
    assert period_of(date(2026, 10, 1), quarters).code == "2026-Q4"
    assert period_of(date(2027, 5, 12), quarters) is None
    assert period_of(date(2025, 5, 11), quarters) is None


@pytest.mark.parametrize(
    "text, code",
    [
        ("Q3 2026", "2026-Q3"),
        ("T3 2026", "2026-Q3"),  # trimestre
        ("t3 2026", "2026-Q3"),
        ("2026-Q3", "2026-Q3"),
        ("2026 T3", "2026-Q3"),
        ("2026-S2", "2026-S2"),
        ("S2 2026", "2026-S2"),
        ("H2 2026", "2026-S2"),
        (" 2025-q2 ", "2025-Q2"),
    ],
)
def test_it_reads_a_period_as_people_write_it(text, code):
    assert parse_period(text, term_periods(START, END)).code == code


@pytest.mark.parametrize(
    "text", ["Q1 2025", "Q3 2027", "Q5 2026", "S3 2026", "2026", "Q3", "2026 Q3 2026", "", "julio"]
)
def test_it_refuses_what_is_not_a_period_of_the_term(text):
    assert parse_period(text, term_periods(START, END)) is None


def test_a_quarter_is_found_when_the_term_is_shown_by_semesters():
    assert parse_period("T4 2026", term_periods(START, END, "semester")).code == "2026-Q4"


def test_labels_and_dates_each_item_takes_from_its_period():
    quarter = term_periods(START, END)[5]
    semester = term_periods(START, END, "semester")[3]
    assert (label(quarter, "en"), label(quarter, "es")) == ("Q3 2026", "T3 2026")
    assert (label(semester, "en"), label(semester, "es")) == ("H2 2026", "S2 2026")
    assert planned_day(quarter, "activity") == date(2026, 7, 1)
    assert planned_day(quarter, "deliverable") == date(2026, 9, 30)

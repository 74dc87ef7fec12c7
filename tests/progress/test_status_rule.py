"""The status rule and the one-sentence summary, as pure functions: every branch, every boundary."""

from datetime import date

import pytest

from tracker.i18n import translate
from tracker.progress.status import AreaFigures, MouFigures, Term, area_status, mou_sentence

# A term of exactly 100 days, so that shares of it fall on whole days.
SHORT = dict(starts_on=date(2026, 1, 1), ends_on=date(2026, 4, 11))
EARLY = Term(**SHORT, today=date(2026, 1, 25))  # 24 days: 24% of the term
QUARTER = Term(**SHORT, today=date(2026, 1, 26))  # 25 days: exactly a quarter
# The seeded MOU (2025-05-12 to 2027-05-11) with 78% of it gone.
LATE = Term(date(2025, 5, 12), date(2027, 5, 11), today=date(2026, 12, 1))


def figures(planned_to_date=0, done_to_date=0, planned_total=None, done_total=None, soon=0, postponed=0):
    return AreaFigures(
        planned_to_date=planned_to_date,
        done_to_date=done_to_date,
        planned_total=planned_to_date if planned_total is None else planned_total,
        done_total=done_to_date if done_total is None else done_total,
        due_soon_not_started=soon,
        postponed=postponed,
    )


def said(status, language="en") -> str:
    return translate(status.reason, status.context, language)


def test_the_seeded_term_is_24_months_and_78_percent_gone():
    assert LATE.months_total == 24 and LATE.months_elapsed == 18
    assert round(LATE.elapsed_fraction, 2) == 0.78
    assert QUARTER.elapsed_fraction == 0.25


@pytest.mark.parametrize(
    ("today", "months"),
    [
        (date(2025, 1, 1), 0),
        (date(2025, 6, 11), 0),
        (date(2025, 6, 12), 1),
        (date(2027, 5, 11), 23),
        (date(2030, 1, 1), 24),
    ],
)
def test_it_counts_whole_months_gone_never_more_than_the_term(today, months):
    assert Term(date(2025, 5, 12), date(2027, 5, 11), today).months_elapsed == months


def test_a_term_shorter_than_a_month_still_has_one():
    assert Term(date(2026, 1, 1), date(2026, 1, 10), date(2026, 1, 5)).months_total == 1


# 1. Nothing done and nothing planned to date ---------------------------------------------------


def test_an_empty_area_after_a_quarter_of_the_term_has_no_activity_yet():
    status = area_status(figures(), LATE)
    assert (status.code, status.label) == ("no_activity", "No activity yet")
    assert said(status) == "Nothing is planned or done, and 18 months of the term have passed."


def test_an_empty_area_at_exactly_a_quarter_has_no_activity_yet():
    assert area_status(figures(), QUARTER).code == "no_activity"


def test_an_empty_area_just_before_a_quarter_is_not_started_not_on_track():
    status = area_status(figures(), EARLY)
    assert (status.code, status.label) == ("not_started", "Not started")
    assert said(status) == "Nothing is planned yet."


def test_the_months_of_an_empty_area_are_counted_in_the_singular_too():
    one_month = Term(date(2026, 1, 1), date(2026, 2, 28), date(2026, 2, 5))
    assert said(area_status(figures(), one_month)) == "Nothing is planned or done, and 1 month of the term has passed."


def test_work_planned_only_for_later_is_still_no_activity_after_a_quarter():
    status = area_status(figures(planned_total=3), LATE)
    assert status.code == "no_activity"
    assert said(status) == "Nothing done yet; 3 items are planned later in the term."
    assert said(area_status(figures(planned_total=1), LATE)) == "Nothing done yet; 1 item is planned later in the term."


def test_work_planned_only_for_later_in_the_first_quarter_is_not_started():
    status = area_status(figures(planned_total=2), EARLY)
    assert status.code == "not_started"
    assert said(status) == "Nothing done yet; 2 items are planned later in the term."


def test_a_deliverable_due_soon_and_unstarted_is_the_reason_of_an_area_with_no_activity():
    status = area_status(figures(planned_total=1, soon=1), LATE)
    assert status.code == "no_activity"
    assert said(status) == "1 deliverable is due within 14 days and not started."


def test_in_the_first_quarter_a_deliverable_due_soon_and_unstarted_is_at_risk():
    status = area_status(figures(planned_total=2, soon=2), EARLY)
    assert status.code == "at_risk" and status.context == {"count": 2, "days": 14}
    assert said(status) == "2 deliverables are due within 14 days and not started."


# 2. Behind -----------------------------------------------------------------------------------------


def test_two_items_planned_to_date_not_done_are_behind():
    status = area_status(figures(planned_to_date=10, done_to_date=8), LATE)
    assert status.code == "behind" and status.context == {"missing": 2, "planned": 10}
    assert said(status) == "2 of 10 items planned to date are not done."


def test_one_item_not_done_of_many_is_only_at_risk():
    status = area_status(figures(planned_to_date=10, done_to_date=9), LATE)
    assert status.code == "at_risk"
    assert said(status) == "1 of 10 items planned to date is not done."


def test_exactly_half_done_is_at_risk_and_less_than_half_is_behind():
    assert area_status(figures(planned_to_date=2, done_to_date=1), LATE).code == "at_risk"
    status = area_status(figures(planned_to_date=1, done_to_date=0, planned_total=4), LATE)
    assert status.code == "behind" and said(status) == "The one item planned to date is not done."


def test_behind_outranks_every_reason_for_at_risk():
    assert area_status(figures(planned_to_date=4, done_to_date=1, soon=3, postponed=2), EARLY).code == "behind"


def test_behind_needs_no_quarter_of_the_term():
    assert area_status(figures(planned_to_date=3, done_to_date=0), EARLY).code == "behind"


# 3. At risk ----------------------------------------------------------------------------------------


def test_one_item_not_done_is_the_reason_before_a_deliverable_due_soon():
    status = area_status(figures(planned_to_date=3, done_to_date=2, soon=1), LATE)
    assert status.code == "at_risk" and said(status) == "1 of 3 items planned to date is not done."


def test_everything_done_but_a_deliverable_due_soon_unstarted_is_at_risk():
    status = area_status(figures(planned_to_date=2, done_to_date=2, planned_total=5, soon=1), LATE)
    assert status.code == "at_risk" and said(status) == "1 deliverable is due within 14 days and not started."


def test_a_postponed_activity_is_at_risk():
    status = area_status(figures(planned_to_date=2, done_to_date=2, planned_total=3, postponed=1), LATE)
    assert status.code == "at_risk"
    assert said(status) == "1 activity is postponed and its new date not confirmed."
    two = area_status(figures(planned_to_date=2, done_to_date=2, planned_total=4, postponed=2), LATE)
    assert said(two) == "2 activities are postponed and their new dates not confirmed."


# 4. On track ---------------------------------------------------------------------------------------


def test_everything_planned_to_date_done_is_on_track():
    status = area_status(figures(planned_to_date=5, done_to_date=5, planned_total=9), LATE)
    assert (status.code, status.label) == ("on_track", "On track")
    assert said(status) == "All 5 items planned to date are done."
    assert said(area_status(figures(planned_to_date=1, done_to_date=1), LATE)) == "The item planned to date is done."


def test_work_done_ahead_of_its_date_is_on_track_even_with_nothing_due():
    status = area_status(figures(planned_total=2, done_total=1), LATE)
    assert status.code == "on_track"
    assert said(status) == "Nothing was due yet; 1 item is done already."


def test_the_reasons_read_in_spanish_with_spanish_plurals():
    assert said(area_status(figures(planned_to_date=10, done_to_date=8), LATE), "es") == (
        "2 de 10 elementos previstos a la fecha no están realizados."
    )
    assert said(area_status(figures(), LATE), "es") == (
        "No hay nada previsto ni realizado, y han transcurrido 18 meses de la vigencia."
    )


# The MOU in one sentence ---------------------------------------------------------------------------


def mou(statuses, held=9, planned=21, elapsed=14, total=24):
    return MouFigures(elapsed, total, held, planned, tuple(statuses))


def test_the_sentence_names_months_activities_and_the_areas_that_need_a_look():
    statuses = ["behind", "on_track", "behind", "no_activity", "on_track"]
    assert mou_sentence(mou(statuses), "en") == (
        "14 of 24 months gone · 9 of 21 planned activities held · 2 areas behind and 1 area with no activity yet"
    )
    assert mou_sentence(mou(statuses), "es") == (
        "14 de 24 meses transcurridos · 9 de 21 actividades previstas realizadas · "
        "2 áreas retrasadas y 1 área sin actividad todavía"
    )


def test_the_sentence_lists_every_status_but_on_track_worst_first():
    statuses = ["not_started", "no_activity", "at_risk", "behind", "no_activity"]
    assert mou_sentence(mou(statuses), "en").split(" · ")[2] == (
        "1 area behind, 1 area at risk, 2 areas with no activity yet, and 1 area not started"
    )


def test_when_no_area_needs_a_look_it_says_all_are_on_track():
    assert mou_sentence(mou(["on_track"] * 7), "en").endswith(" · all 7 areas on track")
    assert mou_sentence(mou(["on_track"] * 7), "es").endswith(" · las 7 áreas en buen camino")
    assert mou_sentence(mou(["on_track"]), "en").endswith(" · the area is on track")


def test_the_seeded_mou_with_nothing_logged_says_so():
    sentence = mou(["no_activity"] * 7, held=0, planned=0, elapsed=18)
    assert (
        mou_sentence(sentence, "en") == "18 of 24 months gone · no activity planned yet · 7 areas with no activity yet"
    )
    assert mou_sentence(sentence, "es") == (
        "18 de 24 meses transcurridos · ninguna actividad prevista todavía · 7 áreas sin actividad todavía"
    )


def test_the_sentence_counts_in_the_singular_and_formats_numbers_in_the_language():
    one = mou(["at_risk"], held=1, planned=1, elapsed=0, total=1)
    assert mou_sentence(one, "en") == "0 of 1 month gone · 1 of 1 planned activity held · 1 area at risk"
    assert mou_sentence(one, "es") == "0 de 1 mes transcurrido · 1 de 1 actividad prevista realizada · 1 área en riesgo"
    many = mou([], held=1200, planned=2500)
    assert mou_sentence(many, "en") == "14 of 24 months gone · 1,200 of 2,500 planned activities held"
    assert "1.200 de 2.500" in mou_sentence(many, "es")

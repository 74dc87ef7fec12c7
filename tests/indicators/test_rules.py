"""The pure counting rules: no database, no clock."""

from datetime import UTC, date, datetime

import pytest

from tracker.indicators.rules import (
    Figure,
    Period,
    fewest_days,
    local_start_day,
    organization_key,
    parse_dimension,
    public_average,
    public_count,
    public_share,
    tally,
)
from tracker.participants.rules import completed


@pytest.mark.parametrize("total", range(1, 8))
@pytest.mark.parametrize("threshold", (1, 50, 67, 80, 100))
def test_it_needs_exactly_the_days_the_roster_rule_needs(total, threshold):
    fewest = fewest_days(total, threshold)
    for days in range(total + 1):
        assert completed("attended", days, total, threshold) == (fewest is not None and days >= fewest)


def test_it_needs_three_of_three_days_at_eighty_percent_and_four_of_five():
    assert fewest_days(3, 80) == 3
    assert fewest_days(5, 80) == 4
    assert fewest_days(1, 80) == 1


def test_an_activity_belongs_to_the_day_it_starts_on_its_own_clock():
    # 20:00 in Panama on 31 March is already 1 April in UTC.
    assert local_start_day(datetime(2026, 4, 1, 1, 0, tzinfo=UTC), "America/Panama") == date(2026, 3, 31)
    assert date(2026, 3, 31) in Period(date(2026, 3, 1), date(2026, 3, 31))
    assert date(2026, 4, 1) not in Period(date(2026, 3, 1), date(2026, 3, 31))


def test_the_breakdowns_add_up_to_the_total():
    result = tally(
        [
            ("female", "MiAMBIENTE", "PA", 4),
            ("male", "miambiente ", "PA", 2),
            ("another", "CARB", "US", 1),
            ("not_stated", "", "", 3),
        ]
    )
    assert result.total == 10
    assert sum(result.by_sex.values()) == 10
    assert sum(n for _, n in result.by_organization) == 10
    assert sum(n for _, n in result.by_country) == 10
    assert result.by_sex == {"female": 4, "male": 2, "another": 1, "not_stated": 3}


def test_it_merges_spellings_of_one_organization_and_shows_the_most_common():
    result = tally(
        [
            ("female", "MiAMBIENTE", "PA", 3),
            ("male", "miambiente", "PA", 1),
            ("male", "Ministerio de Economía", "PA", 2),
        ]
    )
    result_orgs = dict(result.by_organization)
    assert result_orgs == {"MiAMBIENTE": 4, "Ministerio de Economía": 2}
    assert result.institutions == 2
    assert organization_key(" Ministerio  de ECONOMIA. ") == organization_key("Ministerio de Economía")


def test_people_without_an_organization_are_not_an_institution():
    result = tally([("female", "", "PA", 5), ("male", "CARB", "US", 1)])
    assert result.institutions == 1
    assert ("", 5) in result.by_organization


def test_a_small_count_is_suppressed_for_the_public():
    assert public_count(3) == Figure(None, True)
    assert public_count(0) == Figure(0)
    assert public_count(5) == Figure(5)


def test_a_share_is_suppressed_when_its_part_or_the_rest_is_a_small_cell():
    assert public_share(3, 20) == Figure(None, True)  # 3 women
    assert public_share(17, 20) == Figure(None, True)  # the 3 others could be worked back
    assert public_share(3, 3) == Figure(None, True)  # the total itself is small
    assert public_share(10, 20) == Figure(0.5)
    assert public_share(0, 20) == Figure(0.0)
    assert public_share(0, 0) == Figure(None)


def test_an_average_of_fewer_than_five_scores_is_suppressed_for_the_public():
    assert public_average(12.5, 4) == Figure(None, True)
    assert public_average(12.5, 5) == Figure(12.5)
    assert public_average(None, 0) == Figure(None)


def test_only_known_breakdowns_can_carry_a_target():
    assert parse_dimension("") == ("", "")
    assert parse_dimension("sex=female") == ("sex", "female")
    assert parse_dimension("sex=robot") is None
    assert parse_dimension("organization=CARB") is None

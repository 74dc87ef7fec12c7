"""The steering-committee report, area by area: planned, done, slipped and why, the next period, and
indicators against targets; the period picker; access."""

from datetime import date

import time_machine

from tests.conftest import SLUG
from tests.steering.conftest import ASKED_ON, PERIOD
from tracker.indicators.rules import Period
from tracker.steering import periods
from tracker.steering import service as steering_service


def _titles(items) -> list[str]:
    return [i.record.title_en for i in items]


def _area(report, number: int):
    return next(s for s in report.areas if s.area.number == number)


def test_it_sorts_each_areas_work_into_planned_done_slipped_and_next(session, mou, quarter):
    session.expire_all()  # the app changed these records in its own sessions
    report = steering_service.build(
        session, partnership=mou, period=Period(date(2026, 7, 1), date(2026, 9, 30)), today=date(2026, 10, 2),
        zone="America/Panama",
    )  # fmt: skip
    mrv = _area(report, 2)
    assert _titles(mrv.planned) == [
        "July MRV workshop", "Verification checklist", "MRV guidelines", "Expert meeting on verification",
    ]  # fmt: skip
    assert _titles(mrv.done) == ["July MRV workshop", "MRV guidelines"]
    slipped = {i.record.title_en: i for i in mrv.slipped}
    assert set(slipped) == {
        "Verification checklist", "August MRV training", "Emissions registry design", "September webinar",
        "Expert meeting on verification",
    }  # fmt: skip
    moved = slipped["Emissions registry design"]
    assert (moved.what, moved.day, moved.new_day, moved.reason) == (
        "moved", date(2026, 8, 15), date(2026, 11, 15), "Waiting for the inventory data",
    )  # fmt: skip
    august = slipped["August MRV training"]
    assert (august.what, august.new_day, august.reason) == ("moved", date(2026, 10, 20), "The venue is booked")
    assert (slipped["September webinar"].what, slipped["September webinar"].reason) == ("cancelled", "No speakers")
    assert slipped["Verification checklist"].what == "open" and slipped["Verification checklist"].reason is None
    assert slipped["Expert meeting on verification"].what == "open"  # its day passed, never marked held
    assert _titles(mrv.upcoming) == [
        "October registry training", "August MRV training", "Emissions registry design", "Registry pilot report",
    ]  # fmt: skip
    # Nothing of area 2 shows in the others.
    assert all(s.quiet and not s.shows_indicators for s in report.areas if s.area.number != 2)


def test_indicators_show_the_period_and_what_is_reached_of_each_target(session, mou, quarter):
    session.expire_all()
    report = steering_service.build(
        session, partnership=mou, period=Period(date(2026, 7, 1), date(2026, 9, 30)), today=date(2026, 10, 2),
        zone="America/Panama",
    )  # fmt: skip
    lines = {(line.code, line.dimension): line for line in _area(report, 2).indicators}
    everyone = lines[("people_trained", None)]
    # Two trained in July; three since the target's period began (one in March).
    assert (everyone.this_period, everyone.target, everyone.reached) == (2, 10, 3)
    assert everyone.target_period == Period(date(2026, 1, 1), date(2026, 12, 31)) and everyone.share == 0.3
    women = lines[("people_trained", ("sex", "female"))]
    assert (women.this_period, women.target, women.reached, women.share) == (1, 5, 2, 0.4)
    assert lines[("trainings_held", None)].this_period == 1 and lines[("trainings_held", None)].target is None


def test_the_page_shows_each_area_with_its_status_and_reasons(client, quarter):
    page = client.get(f"/partnerships/{SLUG}/steering?{PERIOD}")
    assert page.status_code == 200
    text = page.text
    mrv = text[text.index('id="area-2"') :].split("</section>")[0]
    assert "Measuring, reporting and verifying emissions (MRV)" in mrv
    assert 'class="badge p-' in mrv  # the area's status today, with its reason beside it
    assert "Moved to Nov 15, 2026" in mrv and "<q>Waiting for the inventory data</q>" in mrv
    assert "<q>The venue is booked</q>" in mrv and "<q>No speakers</q>" in mrv
    assert "Not recorded as held" in mrv and "Not accepted yet" in mrv
    assert "<strong>agreed</strong>" in mrv  # the held workshop's outcomes, as Markdown
    assert "Next period: Oct 1\u2009–\u2009Dec 31, 2026" in mrv and "October registry training" in mrv
    indicators = mrv[mrv.index('id="area-2-indicators"') :]
    assert "People trained" in indicators and "30%" in indicators and "40%" in indicators
    # Area 1 says in one line that nothing happened.
    area_1 = text[text.index('id="area-1"') :].split("</section>")[0]
    assert "Nothing was planned, done or due in this area in the period" in area_1
    assert "3rd quarter 2026" in text and 'aria-current="page">3rd quarter 2026' in text


def test_it_defaults_to_the_last_full_quarter_and_refuses_unusable_periods(client, mou):
    with time_machine.travel(ASKED_ON, tick=False):
        default = client.get(f"/partnerships/{SLUG}/steering")
        reversed_ = client.get(f"/partnerships/{SLUG}/steering?start=2026-09-30&end=2026-07-01")
        garbled = client.get(f"/partnerships/{SLUG}/steering?start=2026-13-01&end=2026-09-30")
        download = client.get(f"/partnerships/{SLUG}/steering.pdf?start=1999-01-01&end=2026-09-30")
    assert default.status_code == 200 and 'value="2026-07-01"' in default.text and 'value="2026-09-30"' in default.text
    assert reversed_.status_code == 422 and 'id="period-error"' in reversed_.text
    assert garbled.status_code == 422 and "Showing the last full quarter." in garbled.text
    assert download.status_code == 422 and download.headers["content-type"].startswith("text/plain")


def test_the_picker_offers_the_terms_quarters_and_half_years():
    offered = periods.choices(date(2025, 5, 12), date(2027, 5, 11))
    quarters = [c.period for c in offered if c.kind == "quarter"]
    halves = [c.period for c in offered if c.kind == "half"]
    assert quarters[0] == Period(date(2025, 4, 1), date(2025, 6, 30))
    assert quarters[-1] == Period(date(2027, 4, 1), date(2027, 6, 30)) and len(quarters) == 9
    assert halves == [
        Period(date(2025, 1, 1), date(2025, 6, 30)), Period(date(2025, 7, 1), date(2025, 12, 31)),
        Period(date(2026, 1, 1), date(2026, 6, 30)), Period(date(2026, 7, 1), date(2026, 12, 31)),
        Period(date(2027, 1, 1), date(2027, 6, 30)),
    ]  # fmt: skip
    assert periods.choices(date(2026, 5, 1), date(2026, 4, 1)) == []


def test_a_partner_reads_their_own_report_and_gets_404_for_another_partnership(login, make_user, sonora, mou, quarter):
    partner = login(make_user("partner"))
    own = partner.get(f"/partnerships/{SLUG}/steering?{PERIOD}")
    assert own.status_code == 200 and "sonora" not in own.text.lower()
    for suffix in ("", ".pdf", ".xlsx", ".csv"):
        assert partner.get(f"/partnerships/{sonora['partnership'].slug}/steering{suffix}?{PERIOD}").status_code == 404
    sonora_partner = login(sonora["partner"])
    assert sonora_partner.get(f"/partnerships/{SLUG}/steering?{PERIOD}").status_code == 404
    assert sonora_partner.get(f"/partnerships/{SLUG}/steering.pdf?{PERIOD}").status_code == 404


def test_the_period_report_links_to_it(client, mou):
    page = client.get(f"/partnerships/{SLUG}/report?from=2026-07-01&to=2026-09-30")
    assert f'href="/partnerships/{SLUG}/steering?start=2026-07-01&amp;end=2026-09-30"' in page.text

"""Survey indicators: response rates and the share applying at follow-up, by area, sex and organization;
suppressed for visitors when they rest on fewer than 5 people; on the page, in the JSON and the period report."""

import csv
import io

import pytest
from fastapi import Request

from tests.conftest import SLUG
from tests.surveys.conftest import at
from tracker.indicators import service as indicator_service
from tracker.models import ActivityStatus, SurveyInvitation
from tracker.rendering import rendering_in, shared_environment
from tracker.surveys import indicators as survey_indicators


@pytest.fixture
def answered(session, workshop, enroll):
    """Eight attendees: all invited to the evaluation (six answered) and the follow-up (seven answered:
    five women, of whom four apply; two men, one applies)."""
    workshop.status = ActivityStatus.held
    session.add(workshop)
    people = [("female", "MiAMBIENTE", "yes"), ("female", "MiAMBIENTE", "partly"), ("female", "Miambiente", "yes"),
              ("female", "ANAM", "partly"), ("female", "ANAM", "no"), ("male", "MiAMBIENTE", "yes"),
              ("male", "ANAM", "no"), ("male", "ANAM", None)]  # fmt: skip
    for i, (sex, organization, applied) in enumerate(people):
        enrollment = enroll(workshop, name=f"Persona Apellido{i}", email=f"p{i}@example.org", sex=sex,
                            organization=organization)  # fmt: skip
        sent = at("2026-03-11T13:00:00")
        session.add(SurveyInvitation(enrollment_id=enrollment.id, kind="evaluation", token_hash=f"e{i}", sent_at=sent,
                                     expires_at=sent, answered_at=sent if i < 6 else None))  # fmt: skip
        later = at("2026-06-09T13:00:00")
        done = later if applied else None
        session.add(SurveyInvitation(enrollment_id=enrollment.id, kind="followup", token_hash=f"f{i}", sent_at=later,
                                     expires_at=later, answered_at=done, applied=applied))  # fmt: skip
    session.commit()


def test_it_counts_rates_and_the_share_applying_by_area_sex_and_organization(session, mou, area, answered):
    measures = survey_indicators.measure(session, partnership=mou, period=indicator_service.term_of(mou))
    assert (measures.evaluation.part, measures.evaluation.whole) == (6, 8)
    assert (measures.followup.part, measures.followup.whole) == (7, 8)
    assert (measures.applying.part, measures.applying.whole) == (5, 7)
    assert [(a.id, c.part, c.whole) for a, c in measures.by_area] == [(area.id, 5, 7)]
    assert [(c.label, c.part, c.whole) for c in measures.by_sex] == [("female", 4, 5), ("male", 1, 2)]
    # Spellings of one organization are one institution.
    assert [(c.label, c.part, c.whole) for c in measures.by_organization] == [("MiAMBIENTE", 4, 4), ("ANAM", 1, 3)]


def _render(app, section) -> str:
    env = shared_environment()
    request = Request({"type": "http", "method": "GET", "path": "/", "query_string": b"", "headers": [], "app": app})
    with rendering_in("en"):
        template = env.get_template("surveys/_indicators.html")
        return template.render(surveys=section, number=str, percent=lambda v: f"{round(v * 100)}%", request=request)


def test_visitors_see_no_figure_resting_on_fewer_than_5_people(app, session, mou, answered):
    measures = survey_indicators.measure(session, partnership=mou, period=indicator_service.term_of(mou))
    public = survey_indicators.section(measures, public=True, gettext=lambda s: s, area_name=lambda a: a.slug)
    # 6 of 8 answered: the 2 who did not could be worked back from the share, so it is not shown.
    assert public["evaluation"].whole.value == 8 and public["evaluation"].share.suppressed
    assert public["applying"].whole.value == 7 and public["applying"].share.suppressed  # 2 not applying
    assert public["by_sex"][0].whole.value == 5 and public["by_sex"][0].share.suppressed  # 1 woman not applying
    assert public["by_sex"][1].whole.suppressed and public["by_sex"][1].share.suppressed  # 2 men
    html = _render(app, public)
    assert "fewer than 5" in html and "not shown" in html and "To protect participants" in html
    private = survey_indicators.section(measures, public=False, gettext=lambda s: s, area_name=lambda a: a.slug)
    assert private["applying"].share.value == 5 / 7 and private["by_sex"][1].whole.value == 2
    assert "fewer than" not in _render(app, private)


def test_the_indicators_page_json_and_period_report_carry_the_survey_figures(client, answered):
    page = client.get(f"/partnerships/{SLUG}/indicators")
    section = page.text.split('id="surveys-indicators-title"')[1]
    assert "75%" in section and "88%" in section and "71%" in section and "Applying by organization" in section
    body = client.get(f"/api/v1/partnerships/{SLUG}/indicators").json()
    assert [i["code"] for i in body["indicators"]][0] == "people_trained"  # the capacity indicators as before
    surveys = {i["code"]: i for i in body["surveys"]}
    assert surveys["evaluation_response_rate"]["unit"] == "percent"
    assert surveys["evaluation_response_rate"]["periods"][0]["actual"] == [{"value": 75.0, "dimensions": []}]
    actual = surveys["applying_at_followup"]["periods"][0]["actual"]
    assert actual[0] == {"value": 71.4, "dimensions": []}
    assert {"value": 71.4, "dimensions": [{"name": "area", "value": "mrv"}]} in actual
    assert {"value": 50.0, "dimensions": [{"name": "sex", "value": "male"}]} in actual
    period = "from=2026-01-01&to=2026-06-30"
    report = client.get(f"/partnerships/{SLUG}/report?{period}")
    assert "Evaluation response rate" in report.text and "75%" in report.text
    rows = list(csv.reader(io.StringIO(client.get(f"/partnerships/{SLUG}/report.csv?{period}&codes=1").text)))
    survey_rows = [row for row in rows if row[0] == "survey"]
    assert [(row[1], row[5]) for row in survey_rows] == [
        ("evaluation_response_rate", "75.0"), ("followup_response_rate", "87.5"), ("applying_at_followup", "71.4"),
    ]  # fmt: skip

"""The indicators page, the headline partial and the administrators' targets page."""

import pytest

from tests.conftest import SLUG, count_rows
from tracker.indicators import service as indicator_service
from tracker.models import IndicatorTarget

PAGE = f"/partnerships/{SLUG}/indicators"
ADMIN = f"/admin/indicators/{SLUG}"
HX = {"HX-Request": "true"}


@pytest.fixture
def admin(login, make_user):
    return login(make_user("admin"))


def target_form(**overrides) -> dict:
    data = {
        "indicator": "people_trained",
        "area_id": "",
        "dimension": "",
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "value": "40",
    }
    return data | overrides


def test_the_page_shows_each_indicator_with_its_breakdowns(client, mou, held, trained):
    workshop = held()
    trained(workshop, 3, sex="female", pre=50, post=75)
    trained(workshop, 1, sex="male", organization="Ministerio de Economía")
    response = client.get(PAGE)
    assert response.status_code == 200
    text = response.text
    for title in ("People trained", "Institutions reached", "Trainings held", "Average knowledge gain"):
        assert title in text
    assert "From May 12, 2025 to May 11, 2027" in text  # the whole MOU term by default
    assert '<th scope="row">Women</th><td>3</td><td>75%</td>' in text
    assert "Ministerio de Economía" in text and "Panama" in text
    assert "25" in text  # the average gain


def test_the_filter_narrows_the_period_and_the_area(client, mou, area, held, trained):
    trained(held(start_local="2026-03-10T09:00", end_local="2026-03-10T17:00"), 2)
    trained(held(start_local="2026-09-10T09:00", end_local="2026-09-10T17:00"), 5, organization="CARB")
    text = client.get(PAGE, params={"from": "2026-09-01", "to": "2026-09-30", "area": area.id}).text
    assert "From Sep 1, 2026 to Sep 30, 2026 · Area 2" in text
    assert '<th scope="row">Women</th><td>5</td>' in text
    assert 'value="2026-09-01"' in text and f'<option value="{area.id}" selected>' in text


def test_htmx_gets_the_results_alone(client, mou):
    page = client.get(PAGE)
    fragment = client.get(PAGE, headers=HX)
    assert "<html" in page.text and 'id="results"' in page.text
    assert "<html" not in fragment.text and "People trained" in fragment.text


def test_a_filter_that_cannot_be_read_is_reported_and_ignored(client, mou):
    response = client.get(PAGE, params={"from": "2026-06-01", "to": "2026-05-01"})
    assert response.status_code == 422
    assert "The end of the period must be on or after its start." in response.text
    assert "From May 12, 2025 to May 11, 2027" in response.text
    response = client.get(PAGE, params={"from": "someday"})
    assert response.status_code == 422 and "Enter a date as YYYY-MM-DD." in response.text


def test_a_partner_of_another_partnership_gets_404(login, make_user, mou, other_partnership):
    other, _ = other_partnership
    outsider = login(make_user("partner", email="outsider@example.org", partnership=other))
    assert outsider.get(PAGE).status_code == 404
    assert login(make_user("partner", email="insider@example.org")).get(PAGE).status_code == 200


def test_visitors_are_sent_to_sign_in(anon, mou):
    response = anon.get(PAGE, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/sign-in")


# Targets ---------------------------------------------------------------------------------


def test_an_admin_adds_a_target_and_the_page_shows_actual_against_it(admin, engine, mou, held, trained):
    page = admin.get(ADMIN)
    assert page.status_code == 200 and "No targets yet." in page.text
    response = admin.post(ADMIN, data=target_form(), follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == ADMIN
    assert count_rows(engine, IndicatorTarget) == 1
    assert "From Jan 1, 2026 to Dec 31, 2026" in admin.get(ADMIN).text

    trained(held(), 10)
    text = admin.get(PAGE, params={"from": "2026-01-01", "to": "2026-12-31"}).text
    assert '<th scope="row">People trained</th>\n    <td>10</td>\n    <td>40</td>\n    <td>25%</td>' in text
    # Seen from the whole term, the 2026 target is listed with its own actual.
    text = admin.get(PAGE).text
    assert "Targets in this period" in text and "From Jan 1, 2026 to Dec 31, 2026" in text


def test_a_target_for_women_shows_in_the_sex_breakdown(admin, mou, held, trained):
    trained(held(), 6)
    form = target_form(dimension="sex=female", value="12", period_start="2025-05-12", period_end="2027-05-11")
    assert admin.post(ADMIN, data=form, follow_redirects=False).status_code == 303
    assert '<th scope="row">Women</th><td>6</td><td>100%</td><td>12</td>' in admin.get(PAGE).text


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"indicator": "happiness"}, "indicator", "Choose one of the indicators listed."),
        ({"period_end": "2025-12-31"}, "period_end", "The end of the period must be on or after its start."),
        ({"period_start": "2026-02-30"}, "period_start", "Enter a date as YYYY-MM-DD."),
        ({"value": "-1"}, "value", "Must be at least 0."),
        ({"value": "many"}, "value", "Enter a number, such as 120 or 4.5."),
        ({"value": ""}, "value", "This field is required."),
        ({"value": "12.5"}, "value", "Enter a whole number."),
        ({"indicator": "average_satisfaction", "value": "6"}, "value", "Must be at most 5."),
        ({"dimension": "sex=robot"}, "dimension", "Choose one of the breakdowns listed."),
        ({"indicator": "trainings_held", "dimension": "sex=female"}, "dimension", "Only people trained can have"),
        ({"area_id": "999999"}, "area_id", "Unknown cooperation area."),
    ],
)
def test_an_invalid_target_is_refused_field_by_field_and_nothing_is_stored(
    admin, engine, mou, overrides, field, message
):
    response = admin.post(ADMIN, data=target_form(**overrides))
    assert response.status_code == 422
    assert f'<p class="error" id="{field}-error">{message}' in response.text
    assert count_rows(engine, IndicatorTarget) == 0


def test_every_problem_shows_at_once(admin, engine, mou):
    response = admin.post(ADMIN, data=target_form(indicator="nope", period_end="2020-01-01", value="-3"))
    assert response.status_code == 422
    for field in ("indicator", "period_end", "value"):
        assert f'id="{field}-error"' in response.text
    assert 'value="2020-01-01"' in response.text  # the input is kept
    assert count_rows(engine, IndicatorTarget) == 0


def test_an_area_of_another_partnership_is_refused(admin, engine, mou, other_partnership):
    _, foreign_area = other_partnership
    response = admin.post(ADMIN, data=target_form(area_id=str(foreign_area.id)))
    assert response.status_code == 422 and "This area belongs to another partnership." in response.text
    assert count_rows(engine, IndicatorTarget) == 0


def test_a_second_target_for_the_same_scope_is_refused(admin, engine, mou, area):
    form = target_form(area_id=str(area.id))
    assert admin.post(ADMIN, data=form, follow_redirects=False).status_code == 303
    response = admin.post(ADMIN, data=form)
    assert response.status_code == 422 and "already has a target for this period" in response.text
    assert count_rows(engine, IndicatorTarget) == 1
    # The same target for the whole partnership is another scope.
    assert admin.post(ADMIN, data=target_form(), follow_redirects=False).status_code == 303


def test_an_admin_deletes_a_target(admin, engine, session, mou, other_partnership):
    admin.post(ADMIN, data=target_form())
    target_id = session.exec(IndicatorTarget.__table__.select()).first().id
    other, _ = other_partnership
    # Through another partnership's address, the target does not exist.
    assert admin.post(f"/admin/indicators/{other.slug}/targets/{target_id}/delete").status_code == 404
    response = admin.post(f"{ADMIN}/targets/{target_id}/delete", follow_redirects=False)
    assert response.status_code == 303
    assert count_rows(engine, IndicatorTarget) == 0


def test_a_manager_gets_403_on_the_targets_page(client, engine, mou):
    assert client.get(ADMIN).status_code == 403
    assert client.post(ADMIN, data=target_form()).status_code == 403
    assert count_rows(engine, IndicatorTarget) == 0


def test_the_targets_form_carries_the_csrf_token(admin, mou):
    text = admin.get(ADMIN).text
    assert (
        f'method="post" action="{ADMIN}" novalidate aria-labelledby="add-title"><input type="hidden" name="csrf_token"'
        in text
    )
    assert f'action="{ADMIN}/targets/' not in text  # no targets yet: no delete buttons


# The headline partial --------------------------------------------------------------------


def render_headline(app, session, mou, *, public, viewer=None):
    figures = indicator_service.headline(session, mou, public=public)
    template = app.state.templates.get_template("indicators/_headline.html")
    return template.render(
        headline=figures,
        partnership=mou,
        viewer=viewer,
        number=lambda v: str(v),
        percent=lambda v: f"{v:.0%}",
    )


def test_the_public_headline_says_fewer_than_5_for_a_cell_of_3(app, session, mou, held, trained):
    trained(held(), 3)
    html = render_headline(app, session, mou, public=True)
    assert "fewer than 5" in html and "not shown" in html
    assert "<dd>3</dd>" not in html
    assert "figures about fewer than 5 people are not shown" in html
    assert "All capacity indicators" not in html  # visitors cannot open the page


def test_a_manager_sees_the_3(app, session, mou, held, trained, manager):
    trained(held(), 3)
    html = render_headline(app, session, mou, public=False, viewer=manager)
    assert "<dd>3</dd>" in html and "<dd>100%</dd>" in html and "fewer than" not in html
    assert f'href="/partnerships/{SLUG}/indicators"' in html

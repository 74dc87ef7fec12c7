"""GET /api/v1/partnerships/{slug}/indicators: the IATI result shape, periods, targets, access."""

from datetime import date

from tests.conftest import SLUG
from tracker.models import IndicatorTarget

URL = f"/api/v1/partnerships/{SLUG}/indicators"


def _indicator(body, code):
    return next(i for i in body["indicators"] if i["code"] == code)


def test_it_answers_in_the_iati_result_shape(client, session, mou, held, trained):
    workshop = held()
    trained(workshop, 2, sex="female", pre=40, post=60, satisfaction=4)
    trained(workshop, 1, sex="male", organization="CARB")
    session.add(
        IndicatorTarget(
            partnership_id=mou.id,
            indicator="people_trained",
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
            value=30,
        )
    )
    session.commit()
    response = client.get(URL, params={"from": "2026-01-01", "to": "2026-12-31"})
    assert response.status_code == 200
    body = response.json()
    assert body["partnership"] == SLUG and body["area_id"] is None
    assert [i["code"] for i in body["indicators"]] == [
        "people_trained",
        "institutions_reached",
        "trainings_held",
        "average_knowledge_gain",
        "average_satisfaction",
    ]
    people = _indicator(body, "people_trained")
    assert people["title"] == "People trained" and people["unit"] == "people" and people["ascending"] is True
    [period] = people["periods"]
    assert (period["period_start"], period["period_end"]) == ("2026-01-01", "2026-12-31")
    assert period["target"] == [{"value": 30, "dimensions": []}]
    assert period["actual"][0] == {"value": 3, "dimensions": []}
    dimensioned = [(a["dimensions"][0], a["value"]) for a in period["actual"] if a["dimensions"]]
    by_sex = {d["value"]: n for d, n in dimensioned if d["name"] == "sex"}
    assert by_sex == {"female": 2, "male": 1, "another": 0, "not_stated": 0}
    assert {"value": 1, "dimensions": [{"name": "organization", "value": "CARB"}]} in period["actual"]
    assert {"value": 3, "dimensions": [{"name": "country", "value": "PA"}]} in period["actual"]
    assert _indicator(body, "institutions_reached")["periods"][0]["actual"] == [{"value": 2, "dimensions": []}]
    assert _indicator(body, "average_knowledge_gain")["periods"][0]["actual"] == [{"value": 20.0, "dimensions": []}]
    assert _indicator(body, "average_satisfaction")["periods"][0]["target"] == []


def test_target_periods_inside_the_one_asked_for_follow_it(client, session, mou, held, trained):
    trained(held(start_local="2026-03-10T09:00", end_local="2026-03-10T17:00"), 2)
    for start, end, value in ((date(2026, 1, 1), date(2026, 6, 30), 10), (date(2026, 7, 1), date(2027, 6, 30), 99)):
        session.add(
            IndicatorTarget(
                partnership_id=mou.id,
                indicator="people_trained",
                dimension="sex=female",
                period_start=start,
                period_end=end,
                value=value,
            )
        )
    session.commit()
    periods = _indicator(client.get(URL).json(), "people_trained")["periods"]
    # The MOU term first, then the first half of 2026; the second target reaches past the term.
    assert [(p["period_start"], p["period_end"]) for p in periods] == [
        ("2025-05-12", "2027-05-11"),
        ("2026-01-01", "2026-06-30"),
    ]
    assert periods[1]["target"] == [{"value": 10, "dimensions": [{"name": "sex", "value": "female"}]}]
    assert {"value": 2, "dimensions": [{"name": "sex", "value": "female"}]} in periods[1]["actual"]


def test_it_refuses_a_period_that_ends_before_it_starts(client, mou):
    response = client.get(URL, params={"from": "2026-06-01", "to": "2026-05-31"})
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"loc": ["query", "to"], "type": "period_order", "msg": "The end of the period must be on or after its start."}
    ]


def test_it_refuses_a_malformed_date_or_an_area_of_another_partnership(client, mou, other_partnership):
    assert client.get(URL, params={"from": "2026-13-01"}).status_code == 422
    assert client.get(URL, params={"from": "1066-10-14"}).status_code == 422
    _, foreign_area = other_partnership
    response = client.get(URL, params={"area": foreign_area.id})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "area"]


def test_a_partner_of_another_partnership_gets_404(login, make_user, mou, other_partnership):
    other, _ = other_partnership
    outsider = login(make_user("partner", email="outsider@example.org", partnership=other))
    assert outsider.get(URL).status_code == 404
    insider = login(make_user("partner", email="insider@example.org"))
    assert insider.get(URL).status_code == 200


def test_without_a_sign_in_it_answers_401(anon, mou):
    assert anon.get(URL).status_code == 401


def test_the_response_model_is_documented(client, mou):
    spec = client.get("/openapi.json").json()
    operation = spec["paths"]["/api/v1/partnerships/{slug}/indicators"]["get"]
    assert operation["tags"] == ["indicators"]
    assert {p["name"] for p in operation["parameters"]} >= {"slug", "from", "to", "area"}
    assert operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("IndicatorReport")

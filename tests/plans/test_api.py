"""The plan's JSON API: its shapes, who may approve, and scoping to the viewer's partnership."""

from tests.conftest import SLUG


def test_the_plan_comes_as_areas_then_periods_then_items(client, plan):
    response = client.get(f"/api/v1/partnerships/{SLUG}/plan")
    assert response.status_code == 200
    body = response.json()
    assert (body["partnership"], body["by"], body["baseline"]) == (SLUG, "quarter", None)
    assert [a["number"] for a in body["areas"]] == [1, 2, 3, 4, 5, 6, 7]
    mrv = body["areas"][1]
    assert [p["code"] for p in mrv["periods"]][:2] == ["2025-Q2", "2025-Q3"] and len(mrv["periods"]) == 9
    q1 = next(p for p in mrv["periods"] if p["code"] == "2026-Q1")
    assert (q1["starts_on"], q1["ends_on"]) == ("2026-01-01", "2026-03-31")
    assert q1["items"] == [
        {"type": "activity", "id": plan["workshop"].id, "title_en": "MRV workshop", "title_es": "Taller de MRV",
         "area_ids": [mrv["id"]], "planned_on": "2026-03-10", "status": "planned", "done_on": None,
         "kind": "workshop", "responsible": []},
    ]  # fmt: skip
    assert mrv["outside_term"] == [] and mrv["targets"] == []
    semesters = client.get(f"/api/v1/partnerships/{SLUG}/plan?by=semester").json()
    assert [p["code"] for p in semesters["areas"][1]["periods"]][:2] == ["2025-S1", "2025-S2"]
    assert client.get(f"/api/v1/partnerships/{SLUG}/plan?by=month").status_code == 422


def test_an_administrator_approves_through_the_api_and_a_second_time_needs_a_note(bearer, admin, manager, app, plan):
    from fastapi.testclient import TestClient

    with TestClient(app) as api:
        assert api.post(f"/api/v1/partnerships/{SLUG}/baselines", headers=bearer(manager)).status_code == 403
        first = api.post(f"/api/v1/partnerships/{SLUG}/baselines", headers=bearer(admin))
        assert first.status_code == 201
        body = first.json()
        assert (body["number"], body["note"], body["item_count"], body["approved_by_name"]) == (1, "", 3, "Admin User")
        assert {i["type"] for i in body["items"]} == {"activity", "deliverable"}
        refused = api.post(f"/api/v1/partnerships/{SLUG}/baselines", json={}, headers=bearer(admin))
        assert refused.status_code == 422
        assert refused.json()["detail"] == [
            {"loc": ["body", "note"], "type": "blank", "msg": "This field is required."}
        ]
        second = api.post(
            f"/api/v1/partnerships/{SLUG}/baselines", json={"note": "Re-planned in June."}, headers=bearer(admin)
        )
        assert second.status_code == 201 and second.json()["number"] == 2
        listing = api.get(f"/api/v1/partnerships/{SLUG}/baselines", headers=bearer(manager)).json()
        assert [b["number"] for b in listing["items"]] == [2, 1] and listing["total"] == 2
        one = api.get(f"/api/v1/partnerships/{SLUG}/baselines/1", headers=bearer(manager)).json()
        assert one["number"] == 1 and len(one["items"]) == 3
        assert api.get(f"/api/v1/partnerships/{SLUG}/plan", headers=bearer(manager)).json()["baseline"]["number"] == 2


def test_a_partner_of_another_partnership_gets_404_on_this_plan(login, sonora, plan, admin_client):
    admin_client.post(f"/partnerships/{SLUG}/baselines", data={})
    other = login(sonora["partner"])
    for path in (
        f"/api/v1/partnerships/{SLUG}/plan",
        f"/api/v1/partnerships/{SLUG}/baselines",
        f"/api/v1/partnerships/{SLUG}/baselines/1",
        f"/api/v1/partnerships/{SLUG}/baselines/1/comparison",
        f"/partnerships/{SLUG}/plan",
        f"/partnerships/{SLUG}/plan/mrv",
        f"/partnerships/{SLUG}/baselines",
        f"/partnerships/{SLUG}/baselines/1",
    ):
        assert other.get(path).status_code == 404, path
    own = other.get(f"/api/v1/partnerships/{sonora['partnership'].slug}/plan")
    assert own.status_code == 200
    assert [i["title_en"] for p in own.json()["areas"][0]["periods"] for i in p["items"]] == [
        "Sonora forest inventory workshop", "Sonora forest inventory report",
    ]  # fmt: skip
    assert "MRV" not in own.text


def test_the_plan_api_is_in_the_openapi_document(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/v1/partnerships/{slug}/plan",
        "/api/v1/partnerships/{slug}/baselines",
        "/api/v1/partnerships/{slug}/baselines/{number}",
        "/api/v1/partnerships/{slug}/baselines/{number}/comparison",
    ):
        assert path in paths
    assert "post" in paths["/api/v1/partnerships/{slug}/baselines"]

import time_machine

from tests.conftest import SLUG, activity_input, count_rows
from tracker.models import Activity

URL = f"/api/v1/partnerships/{SLUG}/activities"


def test_it_creates_an_activity_and_returns_it_in_utc_and_local_time(client, area, orgs):
    body = activity_input([area.id], organizer_ids=[orgs["MiAMBIENTE"].id], title_es="Taller de MRV")
    response = client.post(URL, json=body)
    assert response.status_code == 201
    created = response.json()
    assert created["status"] == "planned"
    assert created["starts_at"] == "2026-03-10T14:00:00Z"
    assert created["start_local"] == "2026-03-10T09:00:00"
    assert created["organizer_ids"] == [orgs["MiAMBIENTE"].id]
    fetched = client.get(f"/api/v1/activities/{created['id']}").json()
    assert fetched == created


def test_a_start_with_an_offset_is_taken_as_that_instant(client, area):
    body = activity_input([area.id], start_local="2026-03-10T07:00-07:00", end_local="2026-03-10T17:00")
    created = client.post(URL, json=body).json()
    assert created["starts_at"] == "2026-03-10T14:00:00Z"


def test_patch_changes_only_the_fields_sent(client, make_activity):
    activity = make_activity()
    response = client.patch(
        f"/api/v1/activities/{activity.id}", json={"title_es": "Taller de MRV", "version": activity.version}
    )
    assert response.status_code == 200
    assert response.json()["title_es"] == "Taller de MRV"
    assert response.json()["title_en"] == "MRV workshop"


def test_it_lists_with_filters_and_pagination(client, make_activity, mou):
    make_activity(title_en="First", start_local="2026-01-10T09:00", end_local="2026-01-10T10:00")
    make_activity(title_en="Second", kind="webinar", format="virtual", venue=None)
    make_activity(title_en="Third", start_local="2026-09-10T09:00", end_local="2026-09-10T10:00")
    page = client.get("/api/v1/activities", params={"partnership": SLUG, "limit": 2}).json()
    assert [a["title_en"] for a in page["items"]] == ["First", "Second"]
    assert page["total"] == 3
    second = client.get("/api/v1/activities", params={"limit": 2, "offset": 2}).json()
    assert [a["title_en"] for a in second["items"]] == ["Third"]
    webinars = client.get("/api/v1/activities", params={"kind": "webinar"}).json()
    assert [a["title_en"] for a in webinars["items"]] == ["Second"]
    dated = client.get("/api/v1/activities", params={"from": "2026-06-01", "to": "2026-12-31"}).json()
    assert [a["title_en"] for a in dated["items"]] == ["Third"]
    found = client.get("/api/v1/activities", params={"q": "thi"}).json()
    assert [a["title_en"] for a in found["items"]] == ["Third"]


def test_search_treats_like_wildcards_literally(client, make_activity):
    make_activity(title_en="Fifty percent")
    assert client.get("/api/v1/activities", params={"q": "%"}).json()["total"] == 0


def test_the_status_actions_follow_the_workflow(client, make_activity):
    activity = make_activity()
    base = f"/api/v1/activities/{activity.id}"
    assert client.post(f"{base}/confirm").json()["status"] == "confirmed"
    body = {"start_local": "2026-04-14T09:00", "end_local": "2026-04-14T17:00", "reason": "The venue is booked."}
    moved = client.post(f"{base}/postpone", json=body)
    assert moved.status_code == 200
    assert moved.json()["status"] == "postponed" and moved.json()["starts_at"] == "2026-04-14T14:00:00Z"
    assert client.post(f"{base}/confirm").json()["status"] == "confirmed"
    with time_machine.travel("2026-04-15T12:00Z", tick=False):
        held = client.post(f"{base}/held", json={"outcomes_en": "Draft MRV rules agreed."})
    assert held.status_code == 200
    assert held.json()["status"] == "held" and held.json()["outcomes_en"] == "Draft MRV rules agreed."
    refused = client.post(f"{base}/cancel", json={"reason": "Too late"})
    assert refused.status_code == 409
    assert "Held" in refused.json()["detail"]


def test_an_activity_cannot_be_marked_held_before_it_starts(client, make_activity, engine):
    activity = make_activity()
    with time_machine.travel("2026-03-01T12:00Z", tick=False):
        response = client.post(f"/api/v1/activities/{activity.id}/held", json={"outcomes_en": "Too early"})
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["body", "outcomes_en"], ["body", "outcomes_es"]]
    assert client.get(f"/api/v1/activities/{activity.id}").json()["status"] == "planned"


def test_unknown_ids_answer_404(client, mou):
    assert client.get("/api/v1/activities/999").status_code == 404
    assert client.patch("/api/v1/activities/999", json={"title_en": "x", "version": 1}).status_code == 404
    assert client.post("/api/v1/partnerships/nope/activities", json={}).status_code in (404, 422)
    assert client.get("/api/v1/activities/99999999999999999999").status_code == 422


def test_errors_come_in_the_requested_language(client, area, engine):
    response = client.post(URL + "?lang=es", json=activity_input([area.id], title_en=""))
    assert response.status_code == 422
    assert [(e["loc"], e["msg"]) for e in response.json()["detail"]] == [
        (["body", "title_en"], "Escríbalo en español, en inglés o en ambos."),
        (["body", "title_es"], "Escríbalo en español, en inglés o en ambos."),
    ]
    assert count_rows(engine, Activity) == 0

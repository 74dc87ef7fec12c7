import time_machine

from tests.conftest import SLUG

HX = {"HX-Request": "true"}


def test_a_deliverable_moves_through_its_statuses_on_the_page(client, make_deliverable, make_person):
    owner = make_person()
    created = client.post(
        f"/partnerships/{SLUG}/deliverables",
        data={
            "area_id": make_deliverable().area_id,
            "title_en": "Inventory report",
            "due_on": "2026-10-01",
            "owner_id": owner.id,
            "evidence_url": "https://example.org/inventory-report.pdf",  # submitted with a link to it
        },
        follow_redirects=False,
    )
    assert created.status_code == 303
    url = created.headers["location"]
    assert "Ana Pérez" in client.get(url).text
    with time_machine.travel("2026-09-20T15:00Z", tick=False):
        for status, shown in (("in_progress", "In progress"), ("submitted", "Submitted")):
            assert client.post(f"{url}/status", data={"status": status}, follow_redirects=False).status_code == 303
            assert shown in client.get(url).text
        accepted = client.post(f"{url}/status", data={"status": "accepted"}, headers=HX)
    assert accepted.text.lstrip().startswith('<aside id="deliverable-status"')
    assert "Accepted" in accepted.text
    detail = client.get(url).text
    assert "Sep 20, 2026" in detail


def test_a_move_the_workflow_forbids_is_refused(client, make_deliverable):
    deliverable = make_deliverable()
    response = client.post(f"/api/v1/deliverables/{deliverable.id}/status", json={"status": "accepted"})
    assert response.status_code == 409
    page = client.post(f"/deliverables/{deliverable.id}/status", data={"status": "accepted"})
    assert page.status_code == 409


def test_acceptance_cannot_be_dated_in_the_future(client, make_deliverable):
    deliverable = make_deliverable(evidence_url="https://example.org/roadmap.pdf")
    client.post(f"/api/v1/deliverables/{deliverable.id}/status", json={"status": "submitted"})
    with time_machine.travel("2026-06-01T12:00Z", tick=False):
        response = client.post(
            f"/api/v1/deliverables/{deliverable.id}/status", json={"status": "accepted", "completed_on": "2026-07-01"}
        )
        page = client.post(
            f"/deliverables/{deliverable.id}/status", data={"status": "accepted", "completed_on": "2026-07-01"}
        )
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "completed_on"]
    assert page.status_code == 422 and 'id="completed_on-error"' in page.text
    assert client.get(f"/api/v1/deliverables/{deliverable.id}").json()["status"] == "submitted"


def test_the_api_round_trips_a_deliverable(client, area, make_person):
    owner = make_person()
    body = {
        "area_id": area.id,
        "title_en": "MRV guide",
        "title_es": "Guía MRV",
        "due_on": "2026-12-01",
        "owner_id": owner.id,
    }
    created = client.post(f"/api/v1/partnerships/{SLUG}/deliverables", json=body)
    assert created.status_code == 201
    item = created.json()
    assert {k: item[k] for k in body} == body and item["status"] == "not_started" and item["version"] == 1
    moved = client.patch(
        f"/api/v1/deliverables/{item['id']}",
        json={"due_on": "2027-01-15", "version": item["version"], "reason": "The data arrive late."},
    )
    assert moved.json()["due_on"] == "2027-01-15"
    listed = client.get("/api/v1/deliverables", params={"partnership": SLUG, "owner": owner.id}).json()
    assert [d["id"] for d in listed["items"]] == [item["id"]]


def test_the_list_shows_overdue_deliverables_first_and_filters_them(client, make_deliverable):
    with time_machine.travel("2026-07-01T12:00Z", tick=False):
        make_deliverable(title_en="Late report", due_on="2026-06-01")
        make_deliverable(title_en="Future report", due_on="2026-09-01")
        page = client.get(f"/partnerships/{SLUG}/deliverables?overdue=true").text
        fragment = client.get(f"/partnerships/{SLUG}/deliverables?overdue=true", headers=HX).text
    assert "Late report" in page and "Future report" not in page and "Overdue" in page
    assert "<html" not in fragment and "Late report" in fragment

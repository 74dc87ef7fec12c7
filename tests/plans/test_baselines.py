"""Approving the plan (a snapshot that stays as it was), re-baselining, and the comparison with each baseline."""

import time_machine
from sqlmodel import select

from tests.conftest import SLUG
from tracker.models import AuditEvent, Baseline

HX = {"HX-Request": "true"}


def approve(admin_client, note: str = "") -> str:
    response = admin_client.post(f"/partnerships/{SLUG}/baselines", data={"note": note}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return response.headers["location"]


def test_approving_asks_first_then_stores_a_snapshot_that_later_changes_leave_alone(
    admin_client, client, plan, session
):
    page = admin_client.get(f"/partnerships/{SLUG}/baselines/new")
    assert page.status_code == 200 and "Approve the work plan as baseline 1?" in page.text
    assert "2 activities" in page.text and "1 deliverable" in page.text
    assert session.exec(select(Baseline)).all() == []  # asking stores nothing
    assert approve(admin_client, "Agreed at the kick-off meeting.") == f"/partnerships/{SLUG}/baselines/1"
    stored = session.exec(select(Baseline)).one()
    snapshot = sorted(stored.items, key=lambda i: (i["type"], i["id"]))
    roadmap = plan["roadmap"]
    assert snapshot[-1] == {
        "type": "deliverable", "id": roadmap.id, "area_ids": [roadmap.area_id], "title_en": "MRV roadmap",
        "title_es": "Hoja de ruta MRV", "planned_on": "2026-06-30",
    }  # fmt: skip
    client.post(f"/plan/deliverables/{roadmap.id}/move", data={"on": "2026-09-30", "reason": "Late data."})
    client.post(f"/plan/activities/{plan['workshop'].id}/drop", data={"reason": "Merged."})
    session.expire_all()
    assert sorted(session.get(Baseline, stored.id).items, key=lambda i: (i["type"], i["id"])) == snapshot
    assert session.exec(select(AuditEvent).where(AuditEvent.entity == "baseline")).one().action == "create"


def test_only_administrators_approve(client, plan):
    assert client.get(f"/partnerships/{SLUG}/baselines/new").status_code == 403
    assert client.post(f"/partnerships/{SLUG}/baselines", data={}).status_code == 403


def test_the_comparison_shows_what_was_added_dropped_moved_and_done_on_time_or_late(
    admin_client, client, plan, make_deliverable, session, area
):
    with time_machine.travel("2026-01-05T15:00Z", tick=False):
        extra = make_deliverable(
            title_en="Verification guide", due_on="2026-03-31", evidence_url="https://example.org/evidence.pdf"
        )
        approve(admin_client)
        workshop, training, roadmap = plan["workshop"], plan["training"], plan["roadmap"]
        client.post(
            f"/plan/activities/{training.id}/move", data={"on": "2026-07-29", "reason": "The trainers travel later."}
        )
        client.post(f"/plan/deliverables/{roadmap.id}/drop", data={"reason": "Folded into the guide."})
        added = {"type": "deliverable", "area_id": str(area.id), "title_es": "Informe de avance", "period": "2026-Q4"}
        client.post(f"/partnerships/{SLUG}/plan/items", data=added)
    with time_machine.travel("2026-03-12T15:00Z", tick=False):
        client.post(f"/activities/{workshop.id}/held", data={"outcomes_en": "Agencies agreed on the MRV roadmap."})
    with time_machine.travel("2026-04-02T15:00Z", tick=False):
        client.post(f"/deliverables/{extra.id}/status", data={"status": "submitted"})
        client.post(f"/deliverables/{extra.id}/status", data={"status": "accepted", "completed_on": "2026-04-02"})
    api = client.get(f"/api/v1/partnerships/{SLUG}/baselines/1/comparison")
    assert api.status_code == 200
    mrv = next(a for a in api.json()["areas"] if a["number"] == 2)

    def titles(category):
        return [entry["title_en"] or entry["title_es"] for entry in mrv[category]]

    assert titles("moved") == ["Inventory training"]
    assert mrv["moved"][0] | {"id": 0} == {
        "type": "activity", "id": 0, "title_en": "Inventory training", "title_es": None, "status": "postponed",
        "baseline_on": "2026-07-15", "current_on": "2026-07-29", "slip_days": 14,
        "reason": "The trainers travel later.",
    }  # fmt: skip
    assert titles("dropped") == ["MRV roadmap"] and mrv["dropped"][0]["reason"] == "Folded into the guide."
    assert titles("added") == ["Informe de avance"] and mrv["added"][0]["baseline_on"] is None
    assert titles("done_on_time") == ["MRV workshop"]
    assert titles("done_late") == ["Verification guide"] and mrv["done_late"][0]["slip_days"] == 2
    assert titles("unchanged") == []
    page = client.get(f"/partnerships/{SLUG}/baselines/1")
    assert page.status_code == 200
    text = page.text
    assert "The plan compared with baseline 1" in text
    assert "14 days later" in text and "<q>The trainers travel later.</q>" in text
    assert "<q>Folded into the guide.</q>" in text and "2 days later" in text


def test_re_baselining_needs_a_note_and_keeps_baseline_1_readable(admin_client, client, plan, session):
    approve(admin_client)
    client.post(f"/plan/deliverables/{plan['roadmap'].id}/move", data={"on": "2026-08-31", "reason": "New data."})
    again = admin_client.get(f"/partnerships/{SLUG}/baselines/new")
    assert "Approve the work plan as baseline 2?" in again.text and "Why is the plan approved again?" in again.text
    assert "Baseline 1 and the earlier ones stay readable" in again.text
    refused = admin_client.post(f"/partnerships/{SLUG}/baselines", data={"note": "  "})
    assert refused.status_code == 422 and 'id="note-error"' in refused.text
    assert len(session.exec(select(Baseline)).all()) == 1
    assert approve(admin_client, "The steering committee moved the roadmap.") == f"/partnerships/{SLUG}/baselines/2"
    first = client.get(f"/api/v1/partnerships/{SLUG}/baselines/1/comparison").json()
    second = client.get(f"/api/v1/partnerships/{SLUG}/baselines/2/comparison").json()

    def mrv(found):
        return next(a for a in found["areas"] if a["number"] == 2)

    assert [e["slip_days"] for e in mrv(first)["moved"]] == [62]
    assert mrv(second)["moved"] == [] and len(mrv(second)["unchanged"]) == 3
    listing = client.get(f"/partnerships/{SLUG}/baselines").text
    assert "Compare with baseline 1" in listing and "The steering committee moved the roadmap." in listing
    earlier = client.get(f"/partnerships/{SLUG}/baselines/1").text
    assert "This is an earlier baseline." in earlier and f"/partnerships/{SLUG}/baselines/2" in earlier


def test_an_unknown_baseline_is_a_404(client, plan):
    for number in ("1", "0", "x", "99999999999"):
        assert client.get(f"/partnerships/{SLUG}/baselines/{number}").status_code == 404
        assert client.get(f"/api/v1/partnerships/{SLUG}/baselines/{number}").status_code == 404


def test_the_plan_page_says_where_the_plan_stands(admin_client, client, plan):
    assert "Not approved yet" in client.get(f"/partnerships/{SLUG}/plan").text
    approve(admin_client, "Kick-off.")
    page = client.get(f"/partnerships/{SLUG}/plan").text
    assert "Approved: baseline 1" in page and "Compare with baseline 1" in page and "Approve again" not in page
    assert "Approve again" in admin_client.get(f"/partnerships/{SLUG}/plan").text
    client.post(f"/plan/deliverables/{plan['roadmap'].id}/move", data={"on": "2026-07-10", "reason": "Data late."})
    assert "10 days later" in client.get(f"/partnerships/{SLUG}/plan/mrv").text

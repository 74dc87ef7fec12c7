# The rule itself, branch by branch, is in test_status_rule.py.


def test_the_overview_shows_each_areas_status_with_its_reason(client, make_deliverable, mou, area):
    import time_machine

    with time_machine.travel("2026-07-01T12:00:00Z", tick=False):
        for due_on in ("2026-05-01", "2026-06-01"):
            make_deliverable(due_on=due_on)
        done = make_deliverable(due_on="2026-04-01", evidence_url="https://example.org/evidence.pdf")
        for status in ("submitted", "accepted"):
            client.post(f"/api/v1/deliverables/{done.id}/status", json={"status": status})
        other = next(a for a in mou.areas if a.number == 3)
        make_deliverable(area_id=other.id, due_on="2026-07-10")  # not started, due in 9 days
        page = client.get("/").text
        mrv = page[page.index(area.name_en) :].split("</li>")[0]
        assert "Behind" in mrv and "2 of 3 items planned to date are not done." in mrv
        inventories = page[page.index(other.name_en) :].split("</li>")[0]
        assert "No activity yet" in inventories and "due within 14 days and not started" in inventories
        spanish = client.get(f"/partnerships/{mou.slug}/areas/{area.slug}?lang=es").text
        assert "Retrasado" in spanish

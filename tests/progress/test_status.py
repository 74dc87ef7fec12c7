from tracker.progress.status import AreaFigures, area_status


def test_two_or_more_unaccepted_deliverables_due_by_today_mean_behind():
    status = area_status(AreaFigures(due_by_today=5, accepted_of_due=3, due_soon_not_started=0))
    assert status.code == "behind" and status.context == {"missing": 2, "due": 5}


def test_one_overdue_deliverable_means_at_risk():
    assert area_status(AreaFigures(due_by_today=3, accepted_of_due=2, due_soon_not_started=0)).code == "at_risk"


def test_a_deliverable_due_soon_and_not_started_means_at_risk():
    status = area_status(AreaFigures(due_by_today=2, accepted_of_due=2, due_soon_not_started=1))
    assert status.code == "at_risk" and status.context == {"count": 1, "days": 14}


def test_everything_due_accepted_is_on_track():
    status = area_status(AreaFigures(due_by_today=2, accepted_of_due=2, due_soon_not_started=0))
    assert status.code == "on_track" and status.context == {"due": 2}


def test_nothing_due_yet_is_on_track_with_its_own_reason():
    status = area_status(AreaFigures(due_by_today=0, accepted_of_due=0, due_soon_not_started=0))
    assert status.code == "on_track" and status.context == {}


def test_behind_outranks_a_deliverable_due_soon():
    assert area_status(AreaFigures(due_by_today=4, accepted_of_due=1, due_soon_not_started=3)).code == "behind"


def test_the_overview_shows_each_areas_status_with_its_reason(client, make_deliverable, mou, area):
    import time_machine

    with time_machine.travel("2026-07-01T12:00:00Z", tick=False):
        for due_on in ("2026-05-01", "2026-06-01"):
            make_deliverable(due_on=due_on)
        done = make_deliverable(due_on="2026-04-01")
        for status in ("submitted", "accepted"):
            client.post(f"/api/v1/deliverables/{done.id}/status", json={"status": status})
        other = next(a for a in mou.areas if a.number == 3)
        make_deliverable(area_id=other.id, due_on="2026-07-10")  # not started, due in 9 days
        page = client.get("/").text
        mrv = page[page.index(area.name_en) :].split("</li>")[0]
        assert "Behind" in mrv and "2 of 3 deliverables due by today are not accepted." in mrv
        inventories = page[page.index(other.name_en) :].split("</li>")[0]
        assert "At risk" in inventories and "due within 14 days and not started" in inventories
        spanish = client.get(f"/partnerships/{mou.slug}/areas/{area.slug}?lang=es").text
        assert "Retrasado" in spanish

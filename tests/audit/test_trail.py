import threading
from contextlib import closing

import time_machine
from fastapi.testclient import TestClient
from sqlmodel import select

from tests.conftest import SLUG, activity_input
from tracker.models import AuditEvent


def _events(session, entity="activity"):
    session.expire_all()
    return session.exec(select(AuditEvent).where(AuditEvent.entity == entity).order_by(AuditEvent.id)).all()


def test_every_create_update_status_change_and_delete_is_recorded(client, manager, area, session):
    created = client.post(f"/api/v1/partnerships/{SLUG}/activities", json=activity_input([area.id])).json()
    url = f"/api/v1/activities/{created['id']}"
    client.patch(url, json={"title_en": "MRV workshop, day 1", "venue": "Ciudad del Saber", "version": 1})
    client.post(f"{url}/confirm")
    assert client.delete(url).status_code == 204
    events = _events(session)
    assert [e.action for e in events] == ["create", "update", "status", "delete"]
    assert {e.actor_id for e in events} == {manager.id} and events[0].actor_name == "Manager User"
    assert events[0].changes["title_en"] == [None, "MRV workshop"] and events[0].changes["areas"] == [None, [area.id]]
    assert events[1].changes == {
        "title_en": ["MRV workshop", "MRV workshop, day 1"],
        "venue": ["Panama City", "Ciudad del Saber"],
    }
    assert events[2].changes == {"status": ["planned", "confirmed"]} and events[2].version == 3
    assert events[3].changes["title_en"] == ["MRV workshop, day 1", None]


def test_a_refused_change_leaves_no_trace(client, make_activity, session):
    activity = make_activity()
    before = len(_events(session))
    client.patch(f"/api/v1/activities/{activity.id}", json={"end_local": "2020-01-01T00:00", "version": 1})
    assert len(_events(session)) == before


def test_the_record_page_shows_its_history(client, make_activity):
    activity = make_activity()
    client.post(f"/activities/{activity.id}/confirm")
    page = client.get(f"/activities/{activity.id}").text
    history = page[page.index('id="history-title"') :]
    assert "Manager User" in history and "changed the status" in history
    assert "<del>Planned</del> → <ins>Confirmed</ins>" in history


def test_passwords_never_enter_the_trail(make_user, session):
    make_user("manager", email="ana@example.org", password="a passphrase kept out of logs")
    for event in _events(session, "person"):
        assert "argon2" not in str(event.changes)


def test_admins_filter_recent_changes_by_person_kind_and_date(login, make_user, make_activity, make_deliverable):
    sam, ana = (
        make_user("manager", email="sam@example.org", name="Sam"),
        make_user("manager", email="ana@example.org", name="Ana"),
    )
    with time_machine.travel("2026-02-01T15:00Z"):
        activity = make_activity()
        login(sam).post(f"/activities/{activity.id}/confirm")
    with time_machine.travel("2026-03-01T15:00Z"):
        deliverable = make_deliverable()
        login(ana).post(f"/deliverables/{deliverable.id}/status", data={"status": "in_progress"})
    admin = login(make_user("admin"))
    by_sam = admin.get(f"/admin/audit?person={sam.id}").text
    assert (
        "Sam" in by_sam and f"/activities/{activity.id}" in by_sam and f"/deliverables/{deliverable.id}" not in by_sam
    )
    kind = admin.get("/admin/audit?kind=deliverable", headers={"HX-Request": "true"}).text
    assert (
        "<html" not in kind and f"/deliverables/{deliverable.id}" in kind and f"/activities/{activity.id}" not in kind
    )
    march = admin.get("/admin/audit?date_from=2026-02-15&date_to=2026-03-15").text
    assert f"/deliverables/{deliverable.id}" in march and "Sam</strong>" not in march
    assert login(sam).get("/admin/audit").status_code == 403


def test_two_edits_of_the_same_version_save_one_and_refuse_the_other(login, make_user, make_activity, session):
    activity = make_activity()
    ana, sam = (
        login(make_user("manager", email="ana@example.org", name="Ana")),
        login(make_user("manager", email="sam@example.org", name="Sam")),
    )
    form = {k: v for k, v in activity_input([activity.areas[0].id]).items()} | {"version": activity.version}
    first = ana.post(f"/activities/{activity.id}/edit", data=form | {"title_en": "Ana's title"}, follow_redirects=False)
    second = sam.post(
        f"/activities/{activity.id}/edit", data=form | {"title_en": "Sam's title", "venue": "Sam's venue"}
    )
    assert first.status_code == 303
    assert second.status_code == 409
    # Sam keeps what he typed, sees what Ana changed, and can deliberately save again.
    assert 'value="Sam&#39;s title"' in second.text and 'value="Sam&#39;s venue"' in second.text
    assert "Someone else saved this record" in second.text and "Ana" in second.text and "Ana&#39;s title" in second.text
    assert 'name="version" value="2"' in second.text
    assert ana.get(f"/api/v1/activities/{activity.id}").json()["title_en"] == "Ana's title"


def test_the_api_answers_409_with_the_changes_and_the_callers_input(client, make_activity):
    activity = make_activity()
    url = f"/api/v1/activities/{activity.id}"
    assert client.patch(url, json={"title_en": "First", "version": 1}).status_code == 200
    stale = client.patch(url, json={"title_en": "Second", "version": 1})
    assert stale.status_code == 409
    body = stale.json()
    assert body["current_version"] == 2 and body["your_version"] == 1
    assert body["yours"] == {"title_en": "Second", "version": 1}
    assert body["changes"][0]["fields"]["title_en"] == ["MRV workshop", "First"]
    assert client.get(url).json()["title_en"] == "First"


def test_simultaneous_saves_never_overwrite_each_other(app, make_user, bearer, make_activity, session):
    activity = make_activity()
    people = [make_user("manager", email=f"m{i}@example.org", name=f"M{i}") for i in range(4)]
    headers = [bearer(person) for person in people]
    statuses = []
    barrier = threading.Barrier(len(people))

    def save(index):
        with closing(TestClient(app)) as script:
            barrier.wait()
            response = script.patch(
                f"/api/v1/activities/{activity.id}",
                json={"title_en": f"Title {index}", "version": 1},
                headers=headers[index],
            )
            statuses.append(response.status_code)

    threads = [threading.Thread(target=save, args=(i,)) for i in range(len(people))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 409, 409, 409]
    session.expire_all()
    updates = [e for e in _events(session) if e.action == "update"]
    assert len(updates) == 1  # exactly one change stored, and recorded

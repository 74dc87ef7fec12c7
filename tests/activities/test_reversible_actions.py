"""Reopening a cancelled activity, undoing "held", the reasons these ask for, and the dates of a held one."""

import pytest
import time_machine
from sqlmodel import select

from tests.conftest import activity_input
from tracker.models import Activity, AuditEvent, Delivery, Enrollment, Participant, utcnow
from tracker.reminders.planner import plan
from tracker.reminders.sweep import sweep

HX = {"HX-Request": "true"}
MOVED = {"start_local": "2026-04-14T09:00", "end_local": "2026-04-14T17:00"}
AFTER = "2026-04-15T12:00Z"  # the postponed workshop has taken place


def _status(client, activity) -> str:
    return client.get(f"/api/v1/activities/{activity.id}").json()["status"]


def _reasons(session, activity) -> list:
    session.expire_all()
    query = select(AuditEvent.reason).where(AuditEvent.entity_id == activity.id, AuditEvent.action == "status")
    return list(session.exec(query.where(AuditEvent.entity == "activity").order_by(AuditEvent.id)))


# Which status each action may start from ----------------------------------------------------------------


def test_it_reopens_a_cancelled_activity_as_planned_even_when_it_was_confirmed(client, make_activity, session):
    activity = make_activity()
    api = f"/api/v1/activities/{activity.id}"
    client.post(f"{api}/confirm")
    assert client.post(f"{api}/cancel", json={"reason": "No trainers"}).json()["status"] == "cancelled"
    reopened = client.post(f"{api}/reopen", json={"reason": "Trainers found"})
    assert reopened.status_code == 200 and reopened.json()["status"] == "planned"
    assert _reasons(session, activity) == [None, "No trainers", "Trainers found"]


def test_it_reopens_an_activity_cancelled_while_postponed_as_postponed(client, make_activity):
    activity = make_activity()
    api = f"/api/v1/activities/{activity.id}"
    assert client.post(f"{api}/postpone", json=MOVED | {"reason": "Venue booked"}).status_code == 200
    client.post(f"{api}/cancel", json={"reason": "No budget"})
    reopened = client.post(f"{api}/reopen", json={"reason": "Budget approved"}).json()
    assert reopened["status"] == "postponed" and reopened["start_local"] == "2026-04-14T09:00:00"


def test_it_undoes_held_back_to_confirmed_clearing_the_outcomes(client, make_activity, session):
    activity = make_activity()
    api = f"/api/v1/activities/{activity.id}"
    with time_machine.travel(AFTER, tick=False):
        client.post(f"{api}/held", json={"outcomes_en": "A roadmap", "outcomes_es": "Una hoja de ruta"})
        undone = client.post(f"{api}/undo-held", json={"reason": "Marked held by mistake"})
        assert undone.status_code == 200
        assert undone.json()["status"] == "confirmed" and undone.json()["outcomes_en"] == ""
        # Nothing of the old outcomes stands in the way of a later edit.
        edit = client.patch(api, json={"venue": "Ciudad del Saber", "version": undone.json()["version"]})
        assert edit.status_code == 200, edit.text
    session.expire_all()
    event = session.exec(select(AuditEvent).where(AuditEvent.entity == "activity").order_by(AuditEvent.id.desc()))
    last_status = next(e for e in event if e.action == "status")
    assert last_status.changes["outcomes_en"] == ["A roadmap", ""] and last_status.reason == "Marked held by mistake"


@pytest.mark.parametrize(
    "setup, action",
    [
        ([], "reopen"),  # planned
        ([], "undo-held"),
        ([("cancel", {"reason": "x"})], "undo-held"),
        ([("cancel", {"reason": "x"})], "cancel"),
        ([("cancel", {"reason": "x"})], "postpone"),
        ([("held", {"outcomes_en": "Done"})], "reopen"),
        ([("held", {"outcomes_en": "Done"})], "cancel"),
    ],
)
def test_an_action_its_status_does_not_allow_is_refused_with_409(client, make_activity, setup, action):
    activity = make_activity()
    api = f"/api/v1/activities/{activity.id}"
    with time_machine.travel(AFTER, tick=False):
        for step, body in setup:
            assert client.post(f"{api}/{step}", json=body).status_code == 200
        before = _status(client, activity)
        body = {"reason": "Why not"} | (MOVED if action == "postpone" else {})
        assert client.post(f"{api}/{action}", json=body).status_code == 409
        assert client.post(f"/activities/{activity.id}/{action}", data=body).status_code == 409
        assert _status(client, activity) == before


def test_each_status_offers_its_own_actions_on_the_page(client, make_activity):
    activity = make_activity()
    page, api = f"/activities/{activity.id}", f"/api/v1/activities/{activity.id}"
    planned = client.get(page).text
    assert f'action="{page}/cancel"' in planned and f'action="{page}/reopen"' not in planned
    client.post(f"{api}/cancel", json={"reason": "No trainers"})
    cancelled = client.get(page).text
    assert f'action="{page}/reopen"' in cancelled and f'action="{page}/cancel"' not in cancelled
    assert "It goes back to “Planned”" in cancelled
    client.post(f"{api}/reopen", json={"reason": "Trainers found"})
    with time_machine.travel(AFTER, tick=False):
        client.post(f"{api}/held", json={"outcomes_en": "Done"})
        held = client.get(page).text
    assert f'action="{page}/undo-held"' in held and f'action="{page}/reopen"' not in held


# Reasons, required --------------------------------------------------------------------------------------


@pytest.mark.parametrize("body", [None, {}, {"reason": ""}, {"reason": "   "}])
@pytest.mark.parametrize("action", ["cancel", "postpone"])
def test_the_api_refuses_a_cancellation_or_postponement_without_a_reason(client, make_activity, body, action):
    activity = make_activity()
    payload = None if body is None and action == "cancel" else (body or {}) | (MOVED if action == "postpone" else {})
    response = client.post(f"/api/v1/activities/{activity.id}/{action}", json=payload)
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "reason"] and error["msg"] == "This field is required."
    assert _status(client, activity) == "planned"


def test_the_api_refuses_reopen_and_undo_held_without_a_reason(client, make_activity):
    cancelled, held = make_activity(), make_activity()
    client.post(f"/api/v1/activities/{cancelled.id}/cancel", json={"reason": "No trainers"})
    with time_machine.travel(AFTER, tick=False):
        client.post(f"/api/v1/activities/{held.id}/held", json={"outcomes_en": "Done"})
        for activity, action in ((cancelled, "reopen"), (held, "undo-held")):
            response = client.post(f"/api/v1/activities/{activity.id}/{action}")
            assert response.status_code == 422
            assert [e["loc"] for e in response.json()["detail"]] == [["body", "reason"]]
    assert (_status(client, cancelled), _status(client, held)) == ("cancelled", "held")


def test_a_reason_in_spanish_is_asked_for_in_spanish(client, make_activity):
    activity = make_activity()
    response = client.post(f"/api/v1/activities/{activity.id}/cancel?lang=es", json={"reason": ""})
    assert response.json()["detail"][0]["msg"] == "Este campo es obligatorio."


def test_a_postponement_without_a_reason_reopens_its_form_with_the_message_under_the_field(client, make_activity):
    activity = make_activity()
    for headers in ({}, HX):
        response = client.post(f"/activities/{activity.id}/postpone", data=MOVED, headers=headers)
        assert response.status_code == 422
        assert 'id="postpone-reason-error"' in response.text and "This field is required." in response.text
        assert 'value="2026-04-14T09:00"' in response.text  # what was typed is kept
    assert _status(client, activity) == "planned"


def test_a_reopening_without_a_reason_shows_the_message_under_its_field(client, make_activity):
    activity = make_activity()
    client.post(f"/api/v1/activities/{activity.id}/cancel", json={"reason": "No trainers"})
    response = client.post(f"/activities/{activity.id}/reopen", data={"reason": ""}, headers=HX)
    assert response.status_code == 422 and response.text.lstrip().startswith('<aside id="activity-status"')
    assert 'id="reopen-reason-error"' in response.text and "<details open>" in response.text
    ok = client.post(f"/activities/{activity.id}/reopen", data={"reason": "Trainers found"}, follow_redirects=False)
    assert ok.status_code == 303 and _status(client, activity) == "planned"


def test_a_reason_longer_than_the_history_keeps_is_refused(client, make_activity):
    activity = make_activity()
    response = client.post(f"/api/v1/activities/{activity.id}/cancel", json={"reason": "x" * 1001})
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "At most 1000 characters."


# Held: what came of it, and when ------------------------------------------------------------------------


def test_marking_held_without_outcomes_asks_what_came_of_it(client, make_activity):
    activity = make_activity()
    with time_machine.travel(AFTER, tick=False):
        page = client.post(f"/activities/{activity.id}/held", data={"outcomes_en": "", "outcomes_es": ""})
        api = client.post(f"/api/v1/activities/{activity.id}/held", json={})
        spanish = client.post(f"/api/v1/activities/{activity.id}/held?lang=es", json={"outcomes_es": " "})
    assert page.status_code == 422
    said = "Write what came of it, in Spanish, in English, or in both."
    assert f'id="outcomes_en-error">{said}<' in page.text and f'id="outcomes_es-error">{said}<' in page.text
    assert "Choose at least one" not in page.text
    assert [(e["loc"][-1], e["msg"]) for e in api.json()["detail"]] == [("outcomes_en", said), ("outcomes_es", said)]
    assert (
        spanish.json()["detail"][0]["msg"] == "Escriba qué resultó de la actividad, en español, en inglés o en ambos."
    )


def test_a_held_activity_cannot_be_moved_to_a_start_in_the_future(client, make_activity, area, engine):
    activity = make_activity()
    with time_machine.travel(AFTER, tick=False):
        held = client.post(f"/api/v1/activities/{activity.id}/held", json={"outcomes_en": "Done"}).json()
        future = {"start_local": "2026-04-20T09:00", "end_local": "2026-04-20T17:00"}
        api = client.patch(f"/api/v1/activities/{activity.id}", json=future | {"version": held["version"]})
        form = {k: ("" if v is None else v) for k, v in activity_input([area.id], **future).items()}
        form |= {"version": held["version"], "outcomes_en": "Done"}
        page = client.post(f"/activities/{activity.id}/edit", data=form)
        # Earlier dates (a typo fixed) are fine.
        past = {"start_local": "2026-03-09T09:00", "end_local": "2026-03-09T17:00", "version": held["version"]}
        fixed = client.patch(f"/api/v1/activities/{activity.id}", json=past)
    assert api.status_code == 422
    (error,) = api.json()["detail"]
    assert error["loc"] == ["body", "start_local"] and error["type"] == "held_starts_in_future"
    assert "undo “held” first" in error["msg"]
    assert page.status_code == 422 and 'id="start_local-error"' in page.text and "undo “held” first" in page.text
    assert fixed.status_code == 200 and fixed.json()["start_local"] == "2026-03-09T09:00:00"


# Reminders come back, and nothing is sent twice --------------------------------------------------------


def _deliveries(session) -> list[tuple[str, str]]:
    session.expire_all()
    return sorted((d.rule, d.status) for d in session.exec(select(Delivery)))


def test_a_reopened_activity_gets_its_reminders_again_and_none_twice(
    client, make_activity, make_person, session, engine, mail_settings, smtp
):
    sam = make_person(name="Sam", email="sam@arb.ca.gov", language="en", timezone="America/Panama")
    with time_machine.travel("2026-07-01T12:00Z", tick=False):
        activity = make_activity(start_local="2026-07-15T09:00", end_local="2026-07-15T17:00", responsible_ids=[sam.id])
    api = f"/api/v1/activities/{activity.id}"
    with time_machine.travel("2026-07-08T13:01Z", tick=False):  # its 7-days-before reminder has come due
        plan(session, now=utcnow())
        session.commit()
        assert client.post(f"{api}/cancel", json={"reason": "No trainers"}).status_code == 200
        assert _deliveries(session) == [("before-7", "dropped")]
        assert sweep(engine, mail_settings, now=utcnow()).sent.sent == 0
        assert client.post(f"{api}/reopen", json={"reason": "Trainers found"}).status_code == 200
        assert _deliveries(session) == []  # forgotten, so it can be planned again
        assert sweep(engine, mail_settings, now=utcnow()).sent.sent == 1
        client.post(f"{api}/cancel", json={"reason": "No room"})
        client.post(f"{api}/reopen", json={"reason": "Room found"})
        assert sweep(engine, mail_settings, now=utcnow()).sent.sent == 0
    assert _deliveries(session) == [("before-7", "sent")]
    assert len(smtp.inbox.to("sam@arb.ca.gov")) == 1
    with time_machine.travel("2026-07-14T13:01Z", tick=False):  # the day before: the next one
        assert sweep(engine, mail_settings, now=utcnow()).sent.sent == 1
    assert len(smtp.inbox.to("sam@arb.ca.gov")) == 2


def test_a_reminder_dropped_after_it_was_queued_is_not_planned_again(
    client, make_activity, make_person, session, engine, settings, mail_settings, smtp
):
    # Its message may have left already: planning it again could send it twice.
    sam = make_person(name="Sam", email="sam@arb.ca.gov", language="en", timezone="America/Panama")
    with time_machine.travel("2026-07-01T12:00Z", tick=False):
        activity = make_activity(start_local="2026-07-15T09:00", end_local="2026-07-15T17:00", responsible_ids=[sam.id])
    smtp_down = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": 1, "smtp_security": "none"})
    api = f"/api/v1/activities/{activity.id}"
    with time_machine.travel("2026-07-08T13:01Z", tick=False):
        sweep(engine, smtp_down, now=utcnow())  # queued, the server unreachable
        client.post(f"{api}/cancel", json={"reason": "No trainers"})
        client.post(f"{api}/reopen", json={"reason": "Trainers found"})
        sweep(engine, mail_settings, now=utcnow())
    assert _deliveries(session) == [("before-7", "dropped")]
    assert smtp.inbox.to("sam@arb.ca.gov") == []


def test_undoing_held_keeps_the_roster(client, make_activity, session):
    activity = make_activity()
    participant = Participant(name="María Rodríguez", match_key="maria rodriguez|")
    session.add(participant)
    session.flush()
    session.add(Enrollment(activity_id=activity.id, participant_id=participant.id, status="attended"))
    session.commit()
    with time_machine.travel(AFTER, tick=False):
        client.post(f"/api/v1/activities/{activity.id}/held", json={"outcomes_en": "Done"})
        client.post(f"/api/v1/activities/{activity.id}/undo-held", json={"reason": "Wrong activity"})
    session.expire_all()
    assert session.get(Activity, activity.id).status == "confirmed"
    assert session.exec(select(Enrollment.status).where(Enrollment.activity_id == activity.id)).all() == ["attended"]

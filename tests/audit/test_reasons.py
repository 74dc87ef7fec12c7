"""Why a change was made: said by the service before its flush, written on that flush's events, shown in words."""

import pytest
from sqlmodel import select

from tracker.audit.trail import because
from tracker.models import Activity, AuditEvent


def _last(session, entity="activity") -> AuditEvent:
    session.expire_all()
    return session.exec(select(AuditEvent).where(AuditEvent.entity == entity).order_by(AuditEvent.id.desc())).first()


def _history(html: str) -> str:
    return html[html.index('id="history-title"') :]


def test_a_reason_is_written_on_the_events_of_the_next_flush_only(session, make_activity):
    activity = make_activity()
    because(session, "The venue is booked.")
    activity.venue = "Ciudad del Saber"
    session.flush()
    assert _last(session).reason == "The venue is booked."
    activity = session.get(Activity, activity.id)
    activity.venue = "Panama City"
    session.commit()
    assert _last(session).reason is None


def test_a_reason_said_for_a_change_rolled_back_is_forgotten(session, make_activity):
    activity = make_activity()
    session.get(Activity, activity.id).venue = "Somewhere"  # a change under way, then abandoned
    because(session, "Never happened")
    session.rollback()
    activity = session.get(Activity, activity.id)
    activity.venue = "Ciudad del Saber"
    session.commit()
    assert _last(session).reason is None


def test_a_flush_with_nothing_to_record_keeps_the_reason_for_the_change(session, make_activity):
    activity = make_activity()
    because(session, "Moved to the ministry")
    session.exec(select(Activity)).all()  # a query flushes, with nothing changed yet
    activity.venue = "MiAMBIENTE"
    session.commit()
    assert _last(session).reason == "Moved to the ministry"


@pytest.mark.parametrize("language, label", [("en", "Reason"), ("es", "Motivo")])
def test_the_history_shows_why_in_both_languages(client, make_activity, make_deliverable, language, label):
    activity, deliverable = make_activity(), make_deliverable()
    client.post(f"/api/v1/activities/{activity.id}/cancel", json={"reason": "Los capacitadores no pueden viajar."})
    moved = {"due_on": "2026-09-30", "version": 1, "reason": "The <b>data</b> arrive in August."}
    assert client.patch(f"/api/v1/deliverables/{deliverable.id}", json=moved).status_code == 200
    history = _history(client.get(f"/activities/{activity.id}?lang={language}").text)
    said = f'<p class="reason"><span class="field">{label}</span>: <q>Los capacitadores no pueden viajar.</q></p>'
    assert said in history
    history = _history(client.get(f"/deliverables/{deliverable.id}?lang={language}").text)
    assert f"{label}</span>: <q>The &lt;b&gt;data&lt;/b&gt; arrive in August.</q>" in history


def test_the_audit_trail_shows_the_reasons_too(login, make_user, client, make_activity):
    activity = make_activity()
    client.post(f"/api/v1/activities/{activity.id}/cancel", json={"reason": "No trainers"})
    admin = login(make_user("admin", email="admin@example.org"))
    page = admin.get("/admin/audit").text
    assert "<q>No trainers</q>" in page


def test_a_reason_written_by_hand_as_blank_shows_nothing(client, make_activity, engine):
    from sqlalchemy import update

    activity = make_activity()
    with engine.begin() as conn:
        conn.execute(update(AuditEvent).where(AuditEvent.entity_id == activity.id).values(reason="   "))
    assert 'class="reason"' not in client.get(f"/activities/{activity.id}").text

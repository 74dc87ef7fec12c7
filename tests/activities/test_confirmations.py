"""Destructive actions ask first: a page of their own without JavaScript, then a POST carrying the CSRF token."""

import re

import pytest
import time_machine

from tests.conftest import SLUG
from tracker.models import Activity, Deliverable, Enrollment, Participant

HX = {"HX-Request": "true"}
AFTER = "2026-04-15T12:00Z"


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _without_header(client):
    """The same browser, posting as a plain form does: the token in the form, not in a header."""
    return client.headers.pop("X-CSRF-Token")


def _consequences(html: str) -> list[str]:
    block = html[html.index('class="consequences"') :].split("</ul>")[0]
    return [re.sub(r"\s+", " ", item).strip() for item in re.findall(r"<li>(.*?)</li>", block, re.S)]


def _status(session, activity) -> str:
    session.expire_all()
    return session.get(Activity, activity.id).status


def test_the_cancel_button_without_javascript_leads_to_a_page_that_says_what_will_happen(
    client, make_activity, session
):
    activity = make_activity()
    page = client.get(f"/activities/{activity.id}").text
    # In the page: a GET to the confirmation page, hx-post and hx-confirm for htmx.
    form = re.search(r'<form method="get" action="/activities/\d+/cancel"[^>]*>', page).group(0)
    assert f'hx-post="/activities/{activity.id}/cancel"' in form and 'hx-confirm="Cancel this activity?"' in form
    asked = client.get(f"/activities/{activity.id}/cancel?reason=No+trainers")
    assert asked.status_code == 200 and "<html" in asked.text
    assert "Cancel the activity “MRV workshop”?" in asked.text
    assert _consequences(asked.text) == [
        "The activity will be marked cancelled.",
        "Its pending reminders are dropped; those already sent stay in its history.",
        "Its roster is kept, and you can reopen the activity later.",
    ]
    assert '<form class="stacked" method="post" action="/activities/' in asked.text
    assert 'name="csrf_token"' in asked.text and ">No trainers</textarea>" in asked.text
    assert f'<a href="/activities/{activity.id}">Go back</a>' in asked.text
    assert _status(session, activity) == "planned"  # nothing changed yet


def test_confirming_needs_the_csrf_token_and_a_reason(client, make_activity, session):
    activity = make_activity()
    token = _csrf(client.get(f"/activities/{activity.id}/cancel").text)
    _without_header(client)
    forged = client.post(f"/activities/{activity.id}/cancel", data={"reason": "No trainers"})
    assert forged.status_code == 403 and _status(session, activity) == "planned"
    unexplained = client.post(f"/activities/{activity.id}/cancel", data={"csrf_token": token, "reason": ""})
    assert unexplained.status_code == 422 and "Cancel the activity “MRV workshop”?" in unexplained.text
    assert 'id="reason-error">This field is required.<' in unexplained.text
    assert _status(session, activity) == "planned"
    done = client.post(
        f"/activities/{activity.id}/cancel",
        data={"csrf_token": token, "reason": "No trainers"},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == f"/activities/{activity.id}"
    assert _status(session, activity) == "cancelled"


def test_with_htmx_cancelling_swaps_the_panel_and_a_missing_reason_opens_the_form(client, make_activity, session):
    activity = make_activity()
    refused = client.post(f"/activities/{activity.id}/cancel", data={"reason": ""}, headers=HX)
    assert refused.status_code == 422 and refused.text.lstrip().startswith('<aside id="activity-status"')
    assert 'id="cancel-reason-error"' in refused.text and "<details open>" in refused.text
    done = client.post(f"/activities/{activity.id}/cancel", data={"reason": "No trainers"}, headers=HX)
    assert done.status_code == 200 and "Cancelled" in done.text and _status(session, activity) == "cancelled"


def test_deleting_an_activity_says_how_many_participants_and_deliverables_it_concerns(
    client, make_activity, make_deliverable, session
):
    activity = make_activity()
    for n in range(3):
        person = Participant(name=f"Persona {n}", match_key=f"persona {n}|")
        session.add(person)
        session.flush()
        session.add(Enrollment(activity_id=activity.id, participant_id=person.id, status="attended"))
    session.commit()
    linked = make_deliverable(activity_id=activity.id)
    asked = client.get(f"/activities/{activity.id}/delete")
    assert asked.status_code == 200
    assert _consequences(asked.text) == [
        "The activity and its roster of 3 participants will be removed.",
        "1 deliverable points to it: it is kept, no longer linked to an activity.",
        "Its history stays in the audit trail; this cannot be undone.",
    ]
    assert 'name="reason"' not in asked.text
    token = _csrf(asked.text)
    _without_header(client)
    assert client.post(f"/activities/{activity.id}/delete").status_code == 403
    done = client.post(f"/activities/{activity.id}/delete", data={"csrf_token": token}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"/partnerships/{SLUG}/activities"
    activity_id, linked_id = activity.id, linked.id
    session.expire_all()
    assert session.get(Activity, activity_id) is None and session.get(Deliverable, linked_id).activity_id is None


def test_an_activity_nobody_attended_is_deleted_with_nothing_else(client, make_activity):
    asked = client.get(f"/activities/{make_activity().id}/delete")
    assert _consequences(asked.text) == [
        "The activity will be removed; nobody is on its roster.",
        "Its history stays in the audit trail; this cannot be undone.",
    ]


def test_undoing_held_asks_first_and_says_what_it_clears(client, make_activity, session):
    activity = make_activity()
    with time_machine.travel(AFTER, tick=False):
        client.post(f"/api/v1/activities/{activity.id}/held", json={"outcomes_en": "A roadmap"})
        page = client.get(f"/activities/{activity.id}").text
        asked = client.get(f"/activities/{activity.id}/undo-held")
        token = _csrf(asked.text)
        _without_header(client)
        forged = client.post(f"/activities/{activity.id}/undo-held", data={"reason": "By mistake"})
        unexplained = client.post(f"/activities/{activity.id}/undo-held", data={"csrf_token": token})
        done = client.post(
            f"/activities/{activity.id}/undo-held",
            data={"csrf_token": token, "reason": "By mistake"},
            follow_redirects=False,
        )
    assert 'hx-confirm="Undo “held”? Its outcomes are cleared."' in page
    assert "Undo “held” for the activity “MRV workshop”?" in asked.text
    assert _consequences(asked.text)[:2] == [
        "The activity goes back to “confirmed”.",
        "Its outcomes are cleared: they stay in its history, to be written again when it is held.",
    ]
    assert forged.status_code == 403
    assert unexplained.status_code == 422 and 'id="reason-error"' in unexplained.text
    assert done.status_code == 303 and _status(session, activity) == "confirmed"


@pytest.mark.parametrize("path", ["cancel", "undo-held"])
def test_a_confirmation_page_for_an_action_the_status_forbids_is_a_409(client, make_activity, path):
    activity = make_activity()
    if path == "cancel":
        client.post(f"/api/v1/activities/{activity.id}/cancel", json={"reason": "No trainers"})
    assert client.get(f"/activities/{activity.id}/{path}").status_code == 409


def test_the_confirmation_pages_are_for_managers(login, make_user, make_activity):
    partner = login(make_user("partner"))
    activity = make_activity()
    for path in ("cancel", "delete", "undo-held"):
        assert partner.get(f"/activities/{activity.id}/{path}", follow_redirects=False).status_code == 403


def test_the_confirmation_page_reads_in_spanish(client, make_activity):
    activity = make_activity(title_es="Taller de MRV")
    asked = client.get(f"/activities/{activity.id}/cancel?lang=es")
    assert '<html lang="es">' in asked.text
    assert "¿Cancelar la actividad “Taller de MRV”?" in asked.text
    assert _consequences(asked.text)[0] == "La actividad quedará marcada como cancelada."
    assert ">Volver</a>" in asked.text and ">Motivo <span" in asked.text


def test_the_reason_typed_on_the_page_is_carried_to_the_confirmation_and_kept_short(client, make_activity):
    activity = make_activity()
    asked = client.get(f"/activities/{activity.id}/cancel", params={"reason": "<b>x</b>" + "y" * 2000})
    assert "&lt;b&gt;x&lt;/b&gt;" in asked.text and "<b>x</b>" not in asked.text
    shown = re.search(r'name="reason"[^>]*>([^<]*)</textarea>', asked.text).group(1)
    assert len(shown) == len("&lt;b&gt;x&lt;/b&gt;") + 1000 - len("<b>x</b>")

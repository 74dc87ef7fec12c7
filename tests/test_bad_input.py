"""Each kind of bad input gets a field-level message, on the forms and on the API, and stores nothing."""

import re

import pytest

from tests.conftest import SLUG, activity_input, count_rows
from tracker.models import Activity, Deliverable, Person

LONG = "x" * 201

# (what is wrong, the change to a valid activity, the field that must carry the message)
ACTIVITY_CASES = [
    ("empty title", {"title_en": "   "}, "title_en"),
    ("overlong title", {"title_en": LONG}, "title_en"),
    ("end before start", {"end_local": "2026-03-10T08:00"}, "end_local"),
    ("unknown time zone", {"timezone": "Mars/Olympus_Mons"}, "timezone"),
    ("unknown area", {"area_ids": [987654]}, "area_ids"),
    ("no area", {"area_ids": []}, "area_ids"),
    ("malformed date", {"start_local": "10/03/2026 9am"}, "start_local"),
    ("impossible date", {"start_local": "2026-02-30T09:00"}, "start_local"),
    ("outside the MOU term", {"start_local": "2028-01-10T09:00", "end_local": "2028-01-10T17:00"}, "start_local"),
    ("wrong kind", {"kind": "party"}, "kind"),
    ("wrong format", {"format": "telepathy"}, "format"),
    ("in person without venue", {"venue": ""}, "venue"),
    ("bad meeting link", {"meeting_url": "javascript:alert(1)"}, "meeting_url"),
    (
        "time skipped by daylight saving",
        {"timezone": "America/Los_Angeles", "start_local": "2026-03-08T02:30", "end_local": "2026-03-08T05:00"},
        "start_local",
    ),
    ("control characters", {"title_en": "Workshop\x00"}, "title_en"),
    ("a unicode line separator", {"title_en": "Workshop\u2028Bcc: evil@evil.example"}, "title_en"),
    ("a next-line character", {"title_en": "Workshop\x85Bcc: evil@evil.example"}, "title_en"),
    ("unknown organizer", {"organizer_ids": [987654]}, "organizer_ids"),
]


@pytest.mark.parametrize("label, change, field", ACTIVITY_CASES, ids=[c[0] for c in ACTIVITY_CASES])
def test_the_api_refuses_a_bad_activity(client, area, engine, label, change, field):
    response = client.post(f"/api/v1/partnerships/{SLUG}/activities", json=activity_input([area.id]) | change)
    assert response.status_code == 422
    fields = [item["loc"][-1] for item in response.json()["detail"]]
    assert field in fields
    assert all(item["msg"] for item in response.json()["detail"])
    assert count_rows(engine, Activity) == 0


def _as_form(data: dict) -> dict:
    return {k: ("" if v is None else v) for k, v in data.items()}


@pytest.mark.parametrize("label, change, field", ACTIVITY_CASES, ids=[c[0] for c in ACTIVITY_CASES])
def test_the_form_refuses_a_bad_activity_and_keeps_what_was_typed(client, area, engine, label, change, field):
    data = _as_form(activity_input([area.id], title_en="Kept <title>"))
    data.update(_as_form(change))
    response = client.post(f"/partnerships/{SLUG}/activities", data=data)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text
    # The field points at its message, so screen readers announce it with the field.
    assert re.search(rf'aria-describedby="(?:[\w-]+ )?{field}-error"', response.text)
    if "title_en" not in change:
        assert 'value="Kept &lt;title&gt;"' in response.text
    assert count_rows(engine, Activity) == 0


def test_a_date_outside_the_term_is_kept_when_confirmed(client, area, engine):
    body = activity_input([area.id], start_local="2028-01-10T09:00", end_local="2028-01-10T17:00")
    response = client.post(f"/api/v1/partnerships/{SLUG}/activities", json=body | {"confirm_outside_term": True})
    assert response.status_code == 201
    form = _as_form(body) | {"confirm_outside_term": "on"}
    assert client.post(f"/partnerships/{SLUG}/activities", data=form, follow_redirects=False).status_code == 303
    assert count_rows(engine, Activity) == 2


@pytest.mark.parametrize(
    "body",
    [b"not json", b'{"kind": ', b"[1, 2]", b'"a string"', b"null"],
    ids=["text", "truncated", "array", "string", "null"],
)
def test_the_api_answers_422_to_a_body_that_is_not_an_object(client, mou, engine, body):
    response = client.post(
        f"/api/v1/partnerships/{SLUG}/activities", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"]
    assert count_rows(engine, Activity) == 0


@pytest.mark.parametrize(
    "change, field",
    [
        ({"title_en": 42}, "title_en"),
        ({"area_ids": "two"}, "area_ids"),
        ({"languages": ["fr"]}, "languages"),
        ({"unexpected": True}, "unexpected"),
        ({"area_ids": [2**40]}, "area_ids"),
    ],
    ids=["number for text", "text for list", "unknown language", "unknown field", "huge id"],
)
def test_the_api_refuses_wrong_types(client, area, engine, change, field):
    response = client.post(f"/api/v1/partnerships/{SLUG}/activities", json=activity_input([area.id]) | change)
    assert response.status_code == 422
    assert field in [
        item["loc"][-1] if not isinstance(item["loc"][-1], int) else item["loc"][-2]
        for item in response.json()["detail"]
    ]
    assert count_rows(engine, Activity) == 0


def test_a_refused_edit_changes_nothing(client, make_activity, session):
    activity = make_activity()
    response = client.patch(
        f"/api/v1/activities/{activity.id}",
        json={"title_en": "New title", "end_local": "2026-03-10T08:00", "version": activity.version},
    )
    assert response.status_code == 422
    assert client.get(f"/api/v1/activities/{activity.id}").json()["title_en"] == "MRV workshop"
    form = _as_form(activity_input([activity.areas[0].id], title_en="New title", timezone="Nowhere/City"))
    form["version"] = activity.version
    assert client.post(f"/activities/{activity.id}/edit", data=form).status_code == 422
    assert client.get(f"/api/v1/activities/{activity.id}").json()["title_en"] == "MRV workshop"


DELIVERABLE_CASES = [
    ("empty title", {"title_en": ""}, "title_en"),
    ("overlong title", {"title_en": LONG}, "title_en"),
    ("unknown area", {"area_id": 987654}, "area_id"),
    ("unknown owner", {"owner_id": 987654}, "owner_id"),
    ("malformed date", {"due_on": "next friday"}, "due_on"),
    ("outside the MOU term", {"due_on": "2030-01-01"}, "due_on"),
    ("bad evidence link", {"evidence_url": "ftp://example.org/x"}, "evidence_url"),
    ("unknown activity", {"activity_id": 987654}, "activity_id"),
]


@pytest.mark.parametrize("label, change, field", DELIVERABLE_CASES, ids=[c[0] for c in DELIVERABLE_CASES])
def test_a_bad_deliverable_is_refused_on_the_api_and_the_form(client, area, engine, label, change, field):
    data = {"area_id": area.id, "title_en": "MRV roadmap", "due_on": "2026-06-30"} | change
    response = client.post(f"/api/v1/partnerships/{SLUG}/deliverables", json=data)
    assert response.status_code == 422
    assert field in [item["loc"][-1] for item in response.json()["detail"]]
    page = client.post(f"/partnerships/{SLUG}/deliverables", data=_as_form(data))
    assert page.status_code == 422
    assert f'id="{field}-error"' in page.text
    assert count_rows(engine, Deliverable) == 0


@pytest.mark.parametrize(
    "change, field",
    [
        ({"email": "not-an-email"}, "email"),
        ({"email": "a@b"}, "email"),
        ({"name": ""}, "name"),
        ({"timezone": "Europe/Nowhere"}, "timezone"),
        ({"language": "fr"}, "language"),
        ({"organization_id": 987654}, "organization_id"),
    ],
)
def test_a_bad_person_is_refused(client, mou, engine, change, field):
    before = count_rows(engine, Person)
    data = {"name": "Ana", "email": "ana@example.org", "timezone": "America/Panama"} | change
    response = client.post("/api/v1/people", json=data)
    assert response.status_code == 422
    assert field in [item["loc"][-1] for item in response.json()["detail"]]
    assert count_rows(engine, Person) == before


def test_a_second_person_with_the_same_email_in_other_case_is_refused(client, make_person, engine):
    make_person(email="ana@example.org")
    before = count_rows(engine, Person)
    response = client.post(
        "/api/v1/people", json={"name": "Ana P.", "email": "ANA@Example.org", "timezone": "America/Panama"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "email"]
    assert count_rows(engine, Person) == before


def test_a_malformed_page_url_is_a_404_page_not_a_crash(client, mou):
    for url in ("/activities/abc", "/activities/99999999999999999999", "/deliverables/-1", "/partnerships/x/areas/y"):
        response = client.get(url)
        assert response.status_code == 404
        assert "<h1>" in response.text


def test_bad_list_filters_get_a_message_not_a_crash(client, mou):
    response = client.get(f"/partnerships/{SLUG}/activities", params={"kind": "party", "date_from": "yesterday"})
    assert response.status_code == 422
    assert 'id="kind-error"' in response.text and 'id="date_from-error"' in response.text


def test_a_form_reports_every_problem_at_once(client, area):
    data = _as_form(activity_input([area.id], title_en="", venue="", timezone="America/Los_Angeles"))
    data |= {"start_local": "2026-03-08T02:30", "end_local": "2026-03-08T05:00"}
    response = client.post(f"/partnerships/{SLUG}/activities", data=data)
    # A parse error (title), a daylight-saving gap and a missing venue, all in one answer.
    for field in ("title_en", "start_local", "venue"):
        assert f'id="{field}-error"' in response.text
    deliverable = client.post(
        f"/partnerships/{SLUG}/deliverables",
        data={"title_en": "", "area_id": area.id, "due_on": "2031-01-01", "owner_id": "999"},
    )
    for field in ("title_en", "due_on", "owner_id"):
        assert f'id="{field}-error"' in deliverable.text


@pytest.mark.parametrize(
    "email, kind",
    [("josé@miambiente.gob.pa", "email_ascii"), ("ñandú@example.org", "email_ascii"), ("ana@@example.org", "email")],
)
def test_an_address_mail_servers_refuse_is_refused_with_a_reason(client, engine, email, kind):
    before = count_rows(engine, Person)
    data = {"name": "José Pérez", "email": email, "timezone": "America/Panama"}
    response = client.post("/api/v1/people", json=data, headers={"Accept-Language": "es"})
    assert response.status_code == 422
    (problem,) = response.json()["detail"]
    assert problem["loc"][-1] == "email" and problem["type"] == kind and problem["msg"]
    assert count_rows(engine, Person) == before


def test_an_international_domain_is_accepted(client):
    data = {"name": "José Pérez", "email": "jose@educación.pa", "timezone": "America/Panama"}
    assert client.post("/api/v1/people", json=data).status_code == 201

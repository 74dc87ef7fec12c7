"""NUL bytes (which PostgreSQL cannot store) are refused at the door, never a 500."""

import pytest

from tests.conftest import SLUG, activity_input


@pytest.mark.parametrize(
    "url",
    [
        f"/partnerships/{SLUG}/activities?q=%00",
        "/api/v1/activities?q=a%00b",
        "/api/v1/people?q=%00",
        "/partnerships/%00",
        "/api/v1/partnerships/x%00y",
        f"/partnerships/{SLUG}/areas/%00",
    ],
)
def test_a_nul_byte_in_the_address_is_refused(client, mou, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL" in response.text


def test_a_nul_byte_in_a_form_gets_a_field_message_and_nothing_is_stored(client, area, engine):
    from tests.conftest import count_rows
    from tracker.models import Activity

    data = activity_input([area.id], title_en="Work\x00shop")
    response = client.post(f"/partnerships/{SLUG}/activities", data=data)
    assert response.status_code == 422 and 'id="title_en-error"' in response.text
    assert count_rows(engine, Activity) == 0


def test_a_nul_byte_in_the_sign_in_and_reset_forms_is_harmless(anon, mou):
    page = anon.get("/sign-in").text
    csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
    signed = anon.post("/sign-in", data={"email": "a\x00@example.org", "password": "x" * 12, "csrf_token": csrf})
    assert signed.status_code == 401
    reset = anon.post("/password/forgot", data={"email": "a\x00@example.org", "csrf_token": csrf})
    assert reset.status_code == 200


def test_a_nul_byte_in_json_gets_a_field_message(client, area):
    response = client.post(f"/api/v1/partnerships/{SLUG}/activities", json=activity_input([area.id], venue="A\x00B"))
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "venue"]

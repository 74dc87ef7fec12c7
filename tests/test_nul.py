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


def test_a_nul_byte_in_a_form_is_refused_and_nothing_is_stored(client, area, engine):
    from tests.conftest import count_rows
    from tracker.models import Activity

    data = activity_input([area.id], title_en="Work\x00shop")
    assert client.post(f"/partnerships/{SLUG}/activities", data=data).status_code == 400
    assert count_rows(engine, Activity) == 0


def test_a_nul_byte_in_json_gets_a_field_message(client, area):
    response = client.post(f"/api/v1/partnerships/{SLUG}/activities", json=activity_input([area.id], venue="A\x00B"))
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "venue"]

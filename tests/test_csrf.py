"""Every unsafe request made with a session cookie needs the session's CSRF token."""

from contextlib import closing

from fastapi.testclient import TestClient

from tests.conftest import SLUG, activity_input, count_rows
from tracker.models import Activity


def _without_token(client: TestClient) -> TestClient:
    client.headers.pop("X-CSRF-Token")
    return client


def test_a_form_post_without_the_token_is_refused_and_stores_nothing(client, area, engine):
    _without_token(client)
    data = {k: v for k, v in activity_input([area.id]).items()}
    response = client.post(f"/partnerships/{SLUG}/activities", data=data)
    assert response.status_code == 403
    assert "did not come from this site" in response.text
    assert count_rows(engine, Activity) == 0


def test_an_htmx_post_with_a_wrong_token_is_refused(client, make_activity):
    activity = make_activity()
    _without_token(client)
    response = client.post(
        f"/activities/{activity.id}/confirm", headers={"HX-Request": "true", "X-CSRF-Token": "guessed"}
    )
    assert response.status_code == 403
    assert client.get(f"/api/v1/activities/{activity.id}").json()["status"] == "planned"


def test_the_token_of_another_session_does_not_work(login, make_user, area, engine):
    mine, theirs = (
        login(make_user("manager", email="a@example.org")),
        login(make_user("manager", email="b@example.org")),
    )
    mine.headers["X-CSRF-Token"] = theirs.headers["X-CSRF-Token"]
    response = mine.post(f"/api/v1/partnerships/{SLUG}/activities", json=activity_input([area.id]))
    assert response.status_code == 403
    assert count_rows(engine, Activity) == 0


def test_the_token_in_the_form_field_is_accepted(client, area, engine):
    token = client.headers.pop("X-CSRF-Token")
    data = activity_input([area.id]) | {"csrf_token": token}
    assert client.post(f"/partnerships/{SLUG}/activities", data=data, follow_redirects=False).status_code == 303
    assert count_rows(engine, Activity) == 1


def test_a_bearer_token_needs_no_csrf_token(manager, bearer, app, area, engine):
    with closing(TestClient(app)) as script:
        response = script.post(
            f"/api/v1/partnerships/{SLUG}/activities", json=activity_input([area.id]), headers=bearer(manager)
        )
    assert response.status_code == 201


def test_the_sign_in_form_needs_the_visitors_token(anon, make_user):
    make_user("manager", email="ana@example.org", password="a long enough passphrase here")
    response = anon.post("/sign-in", data={"email": "ana@example.org", "password": "a long enough passphrase here"})
    assert response.status_code == 403


def test_pages_send_the_security_headers(anon, mou):
    headers = anon.get("/").headers
    policy = headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-frame-options"] == "DENY"


def test_no_page_has_inline_script_or_style(client, make_activity, make_deliverable):
    activity, deliverable = make_activity(), make_deliverable()
    for url in ("/", f"/activities/{activity.id}", f"/deliverables/{deliverable.id}", "/account", "/sign-in"):
        html = client.get(url).text
        # Scripts are files of this site (htmx, the upload progress bar), never inline.
        assert "<script>" not in html and "<script " not in html.replace('<script src="/static/', "")
        assert " style=" not in html and "<style" not in html

from contextlib import closing

from fastapi.testclient import TestClient
from sqlmodel import select

from tests.conftest import SLUG, activity_input
from tracker.accounts.service import digest
from tracker.models import ApiToken


def test_without_a_token_the_api_answers_401(anon, mou):
    response = anon.get("/api/v1/activities")
    assert response.status_code == 401 and response.headers["www-authenticate"] == "Bearer"
    assert anon.get("/api/v1/activities", headers={"Authorization": "Bearer mou_not-a-real-token"}).status_code == 401
    assert anon.get("/api/v1/activities", headers={"Authorization": "Basic dXNlcjpwYXNz"}).status_code == 401


def test_a_partner_token_reads_but_cannot_write(app, make_user, bearer, area, make_activity):
    headers = bearer(make_user("partner"))
    activity = make_activity()
    with closing(TestClient(app)) as script:
        assert script.get("/api/v1/activities", headers=headers).json()["total"] == 1
        assert script.get(f"/api/v1/activities/{activity.id}", headers=headers).status_code == 200
        refused = script.post(
            f"/api/v1/partnerships/{SLUG}/activities", json=activity_input([area.id]), headers=headers
        )
        assert refused.status_code == 403
        assert script.post(f"/api/v1/activities/{activity.id}/cancel", headers=headers).status_code == 403


def test_a_manager_token_writes(app, manager, bearer, area):
    with closing(TestClient(app)) as script:
        response = script.post(
            f"/api/v1/partnerships/{SLUG}/activities", json=activity_input([area.id]), headers=bearer(manager)
        )
    assert response.status_code == 201


def test_a_token_is_shown_once_stored_hashed_and_revocable(client, manager, session, app):
    page = client.post("/account/tokens", data={"name": "monthly report script"})
    assert page.status_code == 201 and page.headers["cache-control"] == "no-store"
    secret = page.text.split('<code class="token">')[1].split("</code>")[0]
    assert secret.startswith("mou_")
    row = session.exec(select(ApiToken).where(ApiToken.person_id == manager.id)).one()
    assert row.token_hash == digest(secret) and secret not in (row.token_hash, row.prefix)
    assert secret not in client.get("/account").text  # never shown again
    with closing(TestClient(app)) as script:
        assert script.get("/api/v1/activities", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
        session.refresh(row)
        assert row.last_used_at is not None
        assert client.post(f"/account/tokens/{row.id}/revoke", follow_redirects=False).status_code == 303
        assert script.get("/api/v1/activities", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_nobody_revokes_someone_elses_token(login, make_user, bearer, session, app):
    owner = make_user("manager", email="owner@example.org")
    headers = bearer(owner)
    row = session.exec(select(ApiToken).where(ApiToken.person_id == owner.id)).one()
    login(make_user("manager", email="other@example.org")).post(f"/account/tokens/{row.id}/revoke")
    with closing(TestClient(app)) as script:
        assert script.get("/api/v1/activities", headers=headers).status_code == 200


def test_a_partner_sees_only_its_own_partnership(app, make_user, bearer, login, session, mou, orgs):
    from tracker.models import Partnership

    other = Partnership(
        slug="other-mou",
        title_en="Other",
        title_es="Otro",
        signed_on=mou.signed_on,
        starts_on=mou.starts_on,
        ends_on=mou.ends_on,
    )
    session.add(other)
    session.commit()
    partner = make_user("partner", partnership=other)
    with closing(TestClient(app)) as script:
        headers = bearer(partner)
        assert script.get(f"/api/v1/partnerships/{SLUG}", headers=headers).status_code == 404
        assert [p["slug"] for p in script.get("/api/v1/partnerships", headers=headers).json()["items"]] == ["other-mou"]
        assert script.get("/api/v1/areas", headers=headers).json()["total"] == 0
    browser = login(partner)
    assert browser.get(f"/partnerships/{SLUG}/activities").status_code == 404

"""Hostile text in every field a person can type is shown as text and never runs, in a real browser."""

import pytest
from playwright.sync_api import sync_playwright

from tests.browser import CHROMIUM, CHROMIUM_ARGS, LiveServer
from tests.conftest import SLUG
from tracker.accounts import service as account_service
from tracker.auth import SESSION_COOKIE
from tracker.models import utcnow

pytestmark = pytest.mark.browser
HOSTILE = '<script>alert("script")</script><img src=x onerror=alert("img")> [link](javascript:alert("md"))'


def test_hostile_text_in_every_field_never_runs(app, mou, area, orgs, client, session, manager, make_user, bearer):
    person = client.post(
        "/api/v1/people",
        json={
            "name": HOSTILE[:120],
            "email": "x@example.org",
            "timezone": "America/Panama",
            "organization_id": orgs["CARB"].id,
        },
    ).json()
    activity = client.post(
        f"/api/v1/partnerships/{SLUG}/activities",
        json={
            "kind": "workshop",
            "title_en": HOSTILE[:200],
            "title_es": HOSTILE[:200],
            "summary_en": HOSTILE,
            "summary_es": HOSTILE,
            "objectives_es": HOSTILE,
            "area_ids": [area.id],
            "start_local": "2026-03-10T09:00",
            "end_local": "2026-03-10T17:00",
            "timezone": "America/Panama",
            "format": "hybrid",
            "venue": HOSTILE[:300],
            "languages": ["es"],
            "materials": ["https://example.org/<script>alert(1)</script>"],
        },
    ).json()
    client.post(f"/api/v1/activities/{activity['id']}/held", json={"outcomes_es": HOSTILE})
    deliverable = client.post(
        f"/api/v1/partnerships/{SLUG}/deliverables",
        json={
            "area_id": area.id,
            "title_en": HOSTILE[:200],
            "description_es": HOSTILE,
            "due_on": "2026-06-30",
            "owner_id": person["id"],
            "activity_id": activity["id"],
        },
    ).json()
    assert deliverable["id"]
    admin = bearer(make_user("admin"))
    area_url = f"/api/v1/areas/{area.id}"
    version = client.get(area_url).json()["version"]
    renamed = client.patch(
        area_url, json={"name_en": HOSTILE[:200], "description_en": HOSTILE, "version": version}, headers=admin
    )
    assert renamed.status_code == 200
    roster = {
        "given_names": HOSTILE[:120],
        "surnames": HOSTILE[:120],
        "organization": HOSTILE[:200],
        "position": HOSTILE[:120],
        "status": "attended",
    }
    assert client.post(f"/activities/{activity['id']}/roster", data=roster, follow_redirects=False).status_code == 303
    token, _ = account_service.start_session(
        session,
        person=manager,
        now=utcnow(),
        max_age=__import__("datetime").timedelta(days=1),
        client_ip="b",
        user_agent=None,
    )
    session.commit()
    dialogs = []
    with LiveServer(app) as live, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context()
        context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": live.url}])
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for path in (
            "/",
            f"/activities/{activity['id']}",
            f"/activities/{activity['id']}/edit",
            f"/deliverables/{deliverable['id']}",
            f"/deliverables/{deliverable['id']}/edit",
            f"/partnerships/{SLUG}/activities",
            f"/partnerships/{SLUG}/deliverables",
            f"/partnerships/{SLUG}/areas/{area.slug}",
            f"/partnerships/{SLUG}/activities?q=%3Cscript%3E",
            "/?lang=es",
            f"/activities/{activity['id']}/roster",
            "/participants/duplicates",
        ):
            page.goto(live.url + path)
            page.wait_for_load_state("load")
            assert page.locator("script:not([src])").count() == 0
            assert page.locator('a[href^="javascript:"]').count() == 0
        page.goto(f"{live.url}/activities/{activity['id']}")
        assert '<script>alert("script")</script>' in page.locator("h1").inner_text()  # shown as text
        browser.close()
    assert dialogs == []

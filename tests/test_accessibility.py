"""A real browser walks the progress pages in English and Spanish, and axe-core checks each one."""

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.browser import ARTIFACTS, BROWSER_TIMEOUT_MS, CHROMIUM, CHROMIUM_ARGS, LiveServer
from tests.conftest import SLUG
from tracker.accounts import service as account_service
from tracker.auth import SESSION_COOKIE
from tracker.models import utcnow

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"


def _violations(page) -> list[dict]:
    # axe runs as an injected script: the context bypasses our CSP for the test alone.
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_progress_pages_work_in_a_browser_and_have_no_serious_accessibility_problems(
    app, session, manager, mou, area, make_activity, make_deliverable, client
):
    activity = make_activity(title_en="Forest standard workshop", kind="workshop")
    make_activity(title_en="Inventory webinar", kind="webinar", format="virtual", venue=None)
    make_deliverable(title_en="MRV roadmap", due_on="2026-12-20")
    token, _ = account_service.start_session(
        session, person=manager, now=utcnow(), max_age=timedelta(days=1), client_ip="axe", user_agent=None
    )
    session.commit()
    ARTIFACTS.mkdir(exist_ok=True)
    problems = {}
    with LiveServer(app) as live, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
        context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": live.url}])
        page = context.new_page()
        page.set_default_timeout(BROWSER_TIMEOUT_MS)

        for lang in ("en", "es"):
            page.goto(f"{live.url}/?lang={lang}")
            expect(page.locator("html")).to_have_attribute("lang", lang)
            page.screenshot(path=ARTIFACTS / f"progress-{lang}.png", full_page=True)
            problems[f"overview {lang}"] = _violations(page)

        # Follow an area from the overview.
        page.get_by_role("link", name=re.compile(area.name_es[:20])).first.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(area.name_es[:20])
        problems["area"] = _violations(page)

        # Filter activities with htmx: the list changes in place.
        page.goto(f"{live.url}/partnerships/{SLUG}/activities?lang=en")
        page.select_option("#kind", "webinar")
        expect(page.locator("#results")).not_to_contain_text("Forest standard workshop")
        problems["activities"] = _violations(page)

        for path in (
            f"/activities/{activity.id}",
            f"/activities/{activity.id}/roster",
            f"/partnerships/{SLUG}/indicators",
            f"/partnerships/{SLUG}/calendar",
            "/account",
            f"/partnerships/{SLUG}/activities/new",
        ):
            page.goto(live.url + path)
            problems[path] = _violations(page)

        # The report, as it prints.
        page.goto(f"{live.url}/partnerships/{SLUG}/report")
        page.emulate_media(media="print")
        expect(page.locator("header.site")).to_be_hidden()
        page.screenshot(path=ARTIFACTS / "report-print.png", full_page=True)
        page.emulate_media(media="screen")
        problems["report"] = _violations(page)

        anonymous = browser.new_context(bypass_csp=True)
        public = anonymous.new_page()
        public.goto(f"{live.url}/?lang=es")
        problems["public overview"] = _violations(public)
        public.goto(f"{live.url}/sign-in")
        problems["sign-in"] = _violations(public)
        browser.close()
    assert {name: found for name, found in problems.items() if found} == {}, json.dumps(problems, indent=1)

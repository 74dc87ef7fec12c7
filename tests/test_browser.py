"""Real-browser tests: Playwright driving Debian's Chromium against a live server."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.browser import ARTIFACTS, BROWSER_TIMEOUT_MS, CHROMIUM, CHROMIUM_ARGS, LiveServer
from tests.conftest import SLUG
from tracker.accounts import service as account_service
from tracker.auth import SESSION_COOKIE
from tracker.models import utcnow

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def live(app, mou):
    with LiveServer(app) as server:
        yield server


@pytest.fixture
def open_page(browser, live, session, manager):
    """A browser tab signed in as a program manager (javascript=False for a browser without it)."""
    contexts = []

    def open_page(javascript: bool = True, person=None) -> Page:
        token, _ = account_service.start_session(
            session,
            person=person or manager,
            now=utcnow(),
            max_age=timedelta(days=1),
            client_ip="browser",
            user_agent=None,
        )
        session.commit()
        context = browser.new_context(
            java_script_enabled=javascript, locale="en-US", viewport={"width": 1280, "height": 900}
        )
        context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": live.url, "httpOnly": True}])
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(BROWSER_TIMEOUT_MS)
        return page

    yield open_page
    for context in contexts:
        context.close()


def _fill_workshop(page: Page, mou, title: str) -> None:
    day = date.today() + timedelta(days=7)
    page.select_option("#kind", "workshop")
    page.fill("#title_en", title)
    page.get_by_label("2. Measuring, reporting and verifying emissions (MRV)").check()
    page.fill("#start_local", f"{day.isoformat()}T09:00")
    page.fill("#end_local", f"{day.isoformat()}T17:00")
    page.select_option("#timezone", "America/Panama")
    page.select_option("#format", "in_person")
    page.fill("#venue", "MiAMBIENTE, Panama City")
    if not mou.starts_on <= day <= mou.ends_on:
        page.check("#confirm_outside_term")


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_manager_creates_a_workshop_and_sees_it_on_the_home_page(open_page, live, mou, javascript):
    page = open_page(javascript)
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(f"{live.url}/partnerships/{SLUG}/activities/new")

    # A first try with no title: the message appears beside the field, and the page stays.
    _fill_workshop(page, mou, "")
    page.get_by_role("button", name="Log activity").click()
    expect(page.locator("#title_en-error")).to_have_text("Write it in Spanish, in English, or in both.")
    expect(page.locator("#venue")).to_have_value("MiAMBIENTE, Panama City")

    title = f"MRV workshop ({'htmx' if javascript else 'plain form'})"
    page.fill("#title_en", title)
    page.get_by_role("button", name="Log activity").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    page.screenshot(path=ARTIFACTS / f"activity-{'js' if javascript else 'nojs'}.png", full_page=True)

    page.goto(f"{live.url}/")
    expect(page.locator("section[aria-labelledby=next-title]").get_by_role("link", name=title)).to_be_visible()
    area_card = page.locator(".area-card", has_text="Measuring, reporting and verifying")
    expect(area_card.locator("dd").nth(1)).to_have_text("1")  # activities planned
    page.screenshot(path=ARTIFACTS / f"home-{'js' if javascript else 'nojs'}.png", full_page=True)


def test_filters_update_the_list_in_place_with_htmx(open_page, live, make_activity):
    make_activity(title_en="Forest standard webinar", kind="webinar", format="virtual", venue=None)
    make_activity(title_en="Inventory training", kind="technical_training")
    page = open_page()
    page.goto(f"{live.url}/partnerships/{SLUG}/activities?lang=es")
    expect(page.get_by_role("heading", level=1)).to_have_text("Actividades")
    page.select_option("#kind", "webinar")
    expect(page.locator("#results")).not_to_contain_text("Inventory training")
    expect(page.locator("#results")).to_contain_text("Forest standard webinar")
    expect(page).to_have_url(re.compile(r"kind=webinar"))  # the filtered list can be bookmarked and shared

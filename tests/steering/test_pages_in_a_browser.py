"""The report and the amendments page in a real browser: no serious accessibility problem (axe-core), the
printed report without its controls, the summary saved from the page; screenshots in test-artifacts/."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser import ARTIFACTS, BROWSER_TIMEOUT_MS
from tests.conftest import SLUG
from tests.steering.conftest import PERIOD
from tests.test_accessibility import _violations
from tests.test_browser import browser, live  # noqa: F401 (fixtures)
from tracker.accounts import service as account_service
from tracker.auth import SESSION_COOKIE
from tracker.models import utcnow

pytestmark = pytest.mark.browser
AMENDMENT = {
    "signed_on": "2026-09-15",
    "ends_on": "2027-11-11",
    "current_end": "2027-05-11",
    "text_url": "https://www.miambiente.gob.pa/enmienda-1.pdf",
    "summary_es": "Prórroga de seis meses.",
}


@pytest.fixture
def tab(browser, live, session):  # noqa: F811
    """A tab signed in as a person, where axe-core may run (its script is injected past the CSP)."""
    contexts = []

    def tab(person):
        token, _ = account_service.start_session(
            session, person=person, now=utcnow(), max_age=timedelta(days=1), client_ip="axe", user_agent=None
        )
        session.commit()
        context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
        context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": live.url}])
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(BROWSER_TIMEOUT_MS)
        return page

    yield tab
    for context in contexts:
        context.close()


def test_the_report_and_the_amendments_page_read_well(tab, live, quarter, login, make_user, manager):  # noqa: F811
    admin = make_user("admin")
    assert login(admin).post(f"/admin/partnerships/{SLUG}/amendments", data=AMENDMENT).status_code == 200
    ARTIFACTS.mkdir(exist_ok=True)
    problems = {}
    page = tab(manager)
    for lang in ("en", "es"):
        page.goto(f"{live.url}/partnerships/{SLUG}/steering?{PERIOD}&lang={lang}")
        expect(page.locator("html")).to_have_attribute("lang", lang)
        page.screenshot(path=ARTIFACTS / f"steering-{lang}.png", full_page=True)
        problems[f"report {lang}"] = _violations(page)
    page.emulate_media(media="print")
    expect(page.locator(".downloads")).to_be_hidden()
    expect(page.locator("#area-2-title")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "steering-printed.png", full_page=True)
    page.emulate_media(media="screen")
    page.locator(f'a[href="/partnerships/{SLUG}/steering/summary?{PERIOD}"]').click()
    page.fill("#summary_es", "Un trimestre con la guía MRV aceptada.")
    problems["summary form"] = _violations(page)
    page.locator("form.stacked button[type=submit]").click()
    expect(page.locator(".summary")).to_contain_text("Un trimestre con la guía MRV aceptada.")
    admin_page = tab(admin)
    admin_page.goto(f"{live.url}/admin/partnerships/{SLUG}/amendments?lang=en")
    admin_page.screenshot(path=ARTIFACTS / "amendments.png", full_page=True)
    problems["amendments"] = _violations(admin_page)
    admin_page.get_by_role("link", name="Remove…").click()
    expect(admin_page.get_by_role("heading", level=1)).to_have_text("Remove the latest amendment?")
    problems["remove"] = _violations(admin_page)
    assert problems == {name: [] for name in problems}

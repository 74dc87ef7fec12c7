"""The plan in a real browser without JavaScript: an item added with the short form, then moved."""

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from tests import test_browser
from tests.conftest import SLUG
from tracker.models import Deliverable

pytestmark = pytest.mark.browser
# The real-browser fixtures (Chromium, a live server, a signed-in tab), as tests/test_browser.py defines them.
browser, live, open_page = test_browser.browser, test_browser.live, test_browser.open_page


def test_without_javascript_a_manager_adds_an_item_and_moves_it_saying_why(open_page, live, session):
    page = open_page(javascript=False)
    page.goto(f"{live.url}/partnerships/{SLUG}/plan/mrv")
    page.get_by_text("Add a planned item", exact=True).click()  # a <details>: it opens without JavaScript
    page.select_option("#type", "deliverable")
    page.fill("#title_es", "Guía de verificación")
    page.select_option("#period", "2026-Q3")
    page.get_by_role("button", name="Add to the plan").click()

    expect(page.locator(".notice")).to_contain_text("Added to the plan.")
    row = page.locator("tr.plan-item", has_text="Guía de verificación")
    expect(row.locator("time")).to_have_text("Sep 30, 2026")
    session.expire_all()
    deliverable = session.exec(select(Deliverable)).one()

    row.locator("summary", has_text="Move").click()
    row.get_by_label("New date").fill("2026-10-15")
    row.get_by_role("button", name="Move to this date").click()  # no reason: asked again, on its field
    expect(page.locator(f"#a{deliverable.area_id}-deliverable-{deliverable.id}-move-error")).to_have_text(
        "This field is required."
    )
    row = page.locator("tr.plan-item", has_text="Guía de verificación")
    row.get_by_label("Why does it move?").fill("The emission factors arrive in October.")
    row.get_by_role("button", name="Move to this date").click()

    expect(page).to_have_url(f"{live.url}/partnerships/{SLUG}/plan/mrv")
    expect(page.locator("tr.plan-item", has_text="Guía de verificación").locator("time")).to_have_text("Oct 15, 2026")
    session.expire_all()
    assert session.get(Deliverable, deliverable.id).due_on.isoformat() == "2026-10-15"


def test_the_plan_and_its_comparison_have_no_serious_accessibility_problems(
    browser, live, session, admin, plan, admin_client
):
    from datetime import timedelta

    from tests.test_accessibility import _violations
    from tracker.accounts import service as account_service
    from tracker.auth import SESSION_COOKIE
    from tracker.models import utcnow

    admin_client.post(f"/partnerships/{SLUG}/baselines", data={})
    admin_client.post(f"/plan/deliverables/{plan['roadmap'].id}/move", data={"on": "2026-07-31", "reason": "Data."})
    token, _ = account_service.start_session(
        session, person=admin, now=utcnow(), max_age=timedelta(days=1), client_ip="axe", user_agent=None
    )
    session.commit()
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": live.url}])
    page = context.new_page()
    problems = {}
    for path in ("plan", "plan/mrv", "baselines", "baselines/1", "baselines/new", "plan/import"):
        for lang in ("en", "es"):
            page.goto(f"{live.url}/partnerships/{SLUG}/{path}?lang={lang}")
            problems[f"{path} {lang}"] = _violations(page)
    page.goto(f"{live.url}/partnerships/{SLUG}/plan/mrv?lang=en")
    page.locator("summary", has_text="Move").first.click()  # a row's form, open over the rows below
    problems["move form"] = _violations(page)
    context.close()
    assert {name: found for name, found in problems.items() if found} == {}

"""A new partnership created in a real browser without JavaScript: its areas copied from the MOU, a refused
field said on its field with the input kept, then created."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from tests import test_browser
from tests.conftest import SLUG
from tracker.accounts import service as account_service
from tracker.auth import SESSION_COOKIE
from tracker.models import Partnership, utcnow

pytestmark = pytest.mark.browser
# The real-browser fixtures (Chromium, a live server, a signed-in tab), as tests/test_browser.py defines them.
browser, live, open_page = test_browser.browser, test_browser.live, test_browser.open_page


def test_without_javascript_an_admin_creates_a_partnership_from_a_copy_of_the_mous_areas(
    open_page, live, session, make_user, mou
):
    page = open_page(javascript=False, person=make_user("admin", email="admin@arb.ca.gov"))
    page.goto(f"{live.url}/admin/partnerships")
    page.get_by_role("link", name="Add a partnership").click()
    page.select_option("#copy_from", label=mou.title_en)
    page.get_by_role("button", name="Copy its areas into the form").click()
    expect(page.locator("#areas-1-name_en")).to_have_value("Measuring, reporting and verifying emissions (MRV)")

    page.fill("#title_es", "CARB y Gyeonggi sobre acción climática")
    page.fill("#slug", "carb-gyeonggi-2026")
    page.fill("#signed_on", "2026-02-03")
    page.fill("#starts_on", "2026-02-03")
    page.fill("#ends_on", "2026-01-01")  # before the start: refused
    page.get_by_label("CARB — California Air Resources Board").check()
    page.fill("#areas-6-name_es", "Inversiones climáticas en Gyeonggi")
    page.get_by_role("button", name="Create the partnership").click()

    expect(page.locator("#ends_on-error")).to_have_text("The end must be after the start.")
    expect(page.locator("#areas-6-name_es")).to_have_value("Inversiones climáticas en Gyeonggi")
    page.fill("#ends_on", "2028-02-02")
    page.get_by_role("button", name="Create the partnership").click()

    expect(page.locator(".notice")).to_contain_text("The partnership is created.")
    session.expire_all()
    created = session.exec(select(Partnership).where(Partnership.slug == "carb-gyeonggi-2026")).one()
    assert [a.number for a in created.areas] == [1, 2, 3, 4, 5, 6, 7]
    assert created.areas[6].name_es == "Inversiones climáticas en Gyeonggi"
    assert [o.acronym for o in created.parties] == ["CARB"]


def test_the_portfolio_and_the_mou_forms_have_no_serious_accessibility_problems(
    browser, live, session, make_user, mou, sonora, area
):
    from tests.test_accessibility import _violations

    admin = make_user("admin", email="admin@arb.ca.gov")
    token, _ = account_service.start_session(
        session, person=admin, now=utcnow(), max_age=timedelta(days=1), client_ip="axe", user_agent=None
    )
    session.commit()
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": live.url}])
    page = context.new_page()
    problems = {}
    paths = [
        "/portfolio",
        "/admin/partnerships",
        f"/admin/partnerships/{SLUG}/edit",
        f"/admin/partnerships/new?copy_from={mou.id}",
        f"/admin/partnerships/{SLUG}/areas/{area.id}/edit",
        "/admin/organizations",
        "/admin/organizations/new",
    ]
    for lang in ("en", "es"):
        for path in paths:
            page.goto(f"{live.url}{path}{'&' if '?' in path else '?'}lang={lang}")
            problems[f"{path} {lang}"] = _violations(page)
    page.goto(f"{live.url}/admin/partnerships/{SLUG}/edit?lang=en")
    page.fill("#ends_on", "2020-01-01")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("#ends_on-error")).to_be_visible()
    problems["refused"] = _violations(page)
    context.close()
    assert {where: found for where, found in problems.items() if found} == {}

"""In a real browser without JavaScript: a manager revokes a certificate through its confirmation page."""

import pytest
from playwright.sync_api import expect

from tests import test_browser
from tests.certificates.conftest import certificates_of, issue

pytestmark = pytest.mark.browser
# The real-browser fixtures (Chromium, a live server, a signed-in tab), shared with the other browser tests.
browser, live, open_page = test_browser.browser, test_browser.live, test_browser.open_page


def test_a_manager_revokes_a_certificate_with_javascript_off(open_page, live, client, session, training, people):
    issue(client, training)
    sam = certificates_of(session)["Sam"]
    page = open_page(javascript=False)
    page.goto(f"{live.url}/activities/{training.id}/certificates")
    page.get_by_role("link", name="Revoke… Sam Lee").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Revoke certificate {sam.number}")
    page.get_by_label("Reason").fill("Registered twice by mistake")
    page.get_by_role("button", name="Revoke the certificate").click()
    expect(page.get_by_role("status")).to_contain_text("its verification page says so")
    expect(page.locator("#participant-" + str(people["Sam"].id))).to_contain_text("Revoked")
    page.goto(f"{live.url}/verify/{sam.verify_token}")
    expect(page.locator("main")).to_contain_text("This certificate was revoked on November 20, 2026.")
    assert certificates_of(session)["Sam"].revoked_reason == "Registered twice by mistake"

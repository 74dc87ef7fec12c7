"""Cancelling in a real browser: without JavaScript through its confirmation page, with it through htmx's dialog."""

import re

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from tests import test_browser
from tracker.models import Activity, AuditEvent

pytestmark = pytest.mark.browser
# The real-browser fixtures (Chromium, a live server, a signed-in tab), as tests/test_browser.py defines them.
browser, live, open_page = test_browser.browser, test_browser.live, test_browser.open_page


def _status(session, activity) -> str:
    session.expire_all()
    return session.get(Activity, activity.id).status


def test_without_javascript_cancel_leads_to_its_confirmation_page_then_asks_why(
    open_page, live, make_activity, session
):
    activity = make_activity()
    page = open_page(javascript=False)
    page.goto(f"{live.url}/activities/{activity.id}")
    page.get_by_text("Cancel activity", exact=True).click()  # a <details>: it opens without JavaScript
    page.get_by_role("button", name="Cancel the activity").click()

    expect(page).to_have_url(re.compile(rf"/activities/{activity.id}/cancel"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Cancel the activity “MRV workshop”?")
    expect(page.locator("ul.consequences li")).to_have_count(3)
    assert _status(session, activity) == "planned"  # nothing changed yet

    page.get_by_role("button", name="Cancel the activity").click()  # no reason: asked again, on the field
    expect(page.locator("#reason-error")).to_have_text("This field is required.")
    assert _status(session, activity) == "planned"

    page.get_by_label("Reason").fill("The trainers cannot travel.")
    page.get_by_role("button", name="Cancel the activity").click()
    expect(page).to_have_url(f"{live.url}/activities/{activity.id}")
    expect(page.locator("#activity-status .badge")).to_have_text("Cancelled")
    expect(page.locator(".history .reason")).to_contain_text("The trainers cannot travel.")
    assert _status(session, activity) == "cancelled"
    expect(page.get_by_text("Reopen", exact=True)).to_be_visible()  # and it can be undone


def test_with_javascript_cancel_asks_in_a_dialog_and_swaps_the_panel(open_page, live, make_activity, session):
    activity = make_activity()
    page = open_page()
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)
    page.goto(f"{live.url}/activities/{activity.id}")
    page.get_by_text("Cancel activity", exact=True).click()
    page.locator("#cancel-reason").fill("The trainers cannot travel.")
    page.get_by_role("button", name="Cancel the activity").click()

    expect(page.locator("#activity-status .badge")).to_have_text("Cancelled")
    assert dialogs == ["Cancel this activity?"]
    expect(page).to_have_url(f"{live.url}/activities/{activity.id}")  # swapped in place, no confirmation page
    session.expire_all()
    reasons = session.exec(select(AuditEvent.reason).where(AuditEvent.action == "status")).all()
    assert reasons == ["The trainers cannot travel."]


def test_with_javascript_a_dismissed_dialog_changes_nothing(open_page, live, make_activity, session):
    activity = make_activity()
    page = open_page()
    dialogs = []

    def dismiss(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.goto(f"{live.url}/activities/{activity.id}")
    page.get_by_text("Delete activity logged by mistake").click()
    assert dialogs == ["Delete this activity for good? Its history is kept."]  # answered during the click
    page.reload()  # htmx sent nothing: the page, read again, shows the activity as it was
    expect(page.locator("#activity-status .badge")).to_have_text("Planned")
    assert _status(session, activity) == "planned"

"""The done-when scenario in a real browser: someone registers in Spanish on a phone (with JavaScript and
without), gets a Spanish confirmation over SMTP with an .ics their calendar reads, and is on the roster."""

from contextlib import closing

import pytest
from icalendar import Calendar
from playwright.sync_api import expect, sync_playwright
from sqlmodel import select

from tests.browser import BROWSER_TIMEOUT_MS, CHROMIUM, CHROMIUM_ARGS, LiveServer
from tests.conftest import signed_in
from tests.mail.test_pipeline import tracker_with
from tests.registration.conftest import CONSENT_ES
from tracker.models import Enrollment, Participant, Registration

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_someone_registers_in_spanish_on_a_phone_and_gets_the_event_by_email(
    app, browser, mail_settings, smtp, session, open_form, workshop, manager, javascript
):
    token = open_form(capacity=20)
    with tracker_with(mail_settings) as mailing, LiveServer(mailing) as live:
        context = browser.new_context(
            java_script_enabled=javascript, locale="es-PA", viewport=PHONE, is_mobile=True, has_touch=True
        )
        page = context.new_page()
        page.set_default_timeout(BROWSER_TIMEOUT_MS)
        page.goto(f"{live.url}/register/{token}")
        expect(page.get_by_role("heading", level=1)).to_have_text("Taller de mercados de carbono")
        expect(page.locator(".consent-text")).to_have_text(CONSENT_ES)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling
        box = page.locator("#website").bounding_box()
        assert box["x"] + box["width"] <= 0  # the honeypot is off the screen

        # A first try without consent: the message beside the box, and what was typed is kept.
        page.get_by_label("Nombres").fill("María José")
        page.get_by_label("Apellidos").fill("Rodríguez Batista")
        page.get_by_label("Correo electrónico").fill("maria@miambiente.gob.pa")
        page.get_by_label("Organización").fill("MiAMBIENTE")
        page.get_by_label("País").select_option("PA")
        page.get_by_label("Sexo").select_option("female")
        page.get_by_role("button", name="Inscribirme").click()
        expect(page.locator("#consent-error")).to_contain_text("Marque esta casilla")
        expect(page.get_by_label("Nombres")).to_have_value("María José")

        page.locator("#consent").check()
        page.get_by_role("button", name="Inscribirme").click()
        expect(page.locator(".register-result")).to_contain_text("Está inscrito.")
        context.close()
        mailing.state.courier.wait()

    (email,) = smtp.inbox.to("maria@miambiente.gob.pa")
    assert email["Subject"] == "Inscripción confirmada: Taller de mercados de carbono"
    body = email.get_body(("plain",)).get_content()
    assert "Hola, María José Rodríguez Batista:" in body and "mar, 16 feb 2027" in body
    (attachment,) = list(email.iter_attachments())
    calendar = Calendar.from_ical(attachment.get_content())
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Taller de mercados de carbono"
    assert event["DTSTART"].params["TZID"] == "America/Panama"
    assert event.decoded("DTSTART").isoformat() == "2027-02-16T09:00:00-05:00"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/Panama"]

    session.expire_all()
    registration = session.exec(select(Registration)).one()
    enrollment = session.get(Enrollment, registration.enrollment_id)
    assert enrollment.status == "registered" and enrollment.activity_id == workshop.id
    with closing(signed_in(app, session, manager)) as client:
        roster = client.get(f"/activities/{workshop.id}/roster")
    assert "Rodríguez Batista" in roster.text
    assert session.exec(select(Participant)).one().email == "maria@miambiente.gob.pa"

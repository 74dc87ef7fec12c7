"""A participant answers the evaluation in Spanish on a phone, with JavaScript and without; axe-core checks the form."""

import pytest
import time_machine
from playwright.sync_api import expect, sync_playwright
from sqlmodel import select

from tests.browser import BROWSER_TIMEOUT_MS, CHROMIUM, CHROMIUM_ARGS, LiveServer
from tests.surveys.conftest import links_in
from tests.test_accessibility import _violations
from tracker.models import ActivityStatus, Enrollment

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_participant_answers_the_evaluation_in_spanish_on_a_phone(
    app, session, workshop, enroll, questions, run_sweep, javascript
):
    first, second = questions(workshop)
    enrollment = enroll(workshop)
    workshop.status = ActivityStatus.held
    session.add(workshop)
    session.commit()
    run_sweep("2026-03-11T13:00:00")
    (link,) = links_in(session.get_bind(), "survey_evaluation")
    # The server's clock, a day after the invitation (the browser's own clock does not matter).
    with time_machine.travel("2026-03-12T15:00:00Z"), LiveServer(app) as live, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            java_script_enabled=javascript, bypass_csp=javascript, locale="es-PA", viewport=PHONE, is_mobile=True
        )
        page = context.new_page()
        page.set_default_timeout(BROWSER_TIMEOUT_MS)
        page.goto(live.url + link)
        expect(page.locator("html")).to_have_attribute("lang", "es")
        expect(page.get_by_role("heading", level=1)).to_have_text("Su evaluación")
        # Nothing wider than the phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        if javascript:
            assert _violations(page) == []
        page.get_by_role("button", name="Enviar mis respuestas").click()
        expect(page.get_by_role("alert")).to_contain_text("Corrija")
        if javascript:
            assert _violations(page) == []
        group = page.get_by_role("group", name="En general, ¿qué tan satisfecho está con la actividad?")
        group.get_by_label("Muy satisfecho").check()
        page.get_by_role("group", name="¿Qué tan pertinente es para su trabajo?").get_by_label(
            "Pertinente", exact=True
        ).check()
        page.get_by_label("¿Qué aplicará en su trabajo?").fill("El cálculo de emisiones del sector energía.")
        page.get_by_role("group", name="Pregunta 1 de 2:").get_by_label("Una tonelada de CO2e reducida").check()
        page.get_by_role("group", name="Pregunta 2 de 2:").get_by_label("Medición, reporte y verificación").check()
        page.get_by_role("button", name="Enviar mis respuestas").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Gracias")
        browser.close()
    session.expire_all()
    row = session.exec(select(Enrollment).where(Enrollment.id == enrollment.id)).one()
    assert (row.satisfaction, row.post_score) == (5, 100)

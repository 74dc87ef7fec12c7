"""/api/docs: the interactive reference runs from the tracker's own origin, under its CSP, and can call the API."""

import re

from playwright.sync_api import expect

from tests.test_browser import browser, live, open_page  # noqa: F401 - fixtures
from tracker.config import ROOT


def test_the_reference_page_names_its_own_scripts_in_both_languages(anon):
    english = anon.get("/api/docs?lang=en")
    assert english.status_code == 200
    assert "API reference" in english.text
    assert "cdn" not in english.text.lower()
    for asset in re.findall(r'(?:src|href)="(/static/[^"?]+)', english.text):
        assert (ROOT / asset.lstrip("/")).is_file(), asset
        assert anon.get(asset).status_code == 200
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in english.text
    spanish = anon.get("/api/docs?lang=es")
    assert "Referencia de la API" in spanish.text
    assert "Referencia de la API" not in english.text


def test_the_description_says_scripts_send_a_bearer_token(anon):
    schema = anon.get("/openapi.json").json()
    assert schema["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert {"bearer": []} in schema["security"]
    assert "/api/v1/partnerships" in schema["paths"]


def test_the_viewer_runs_under_the_csp_and_tries_a_call_with_a_token(open_page, live, bearer, manager, mou):  # noqa: F811
    page = open_page()
    refused = []
    page.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))
    page.goto(f"{live.url}/api/docs?lang=en")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("MOU tracker")
    operation = page.locator(".opblock-summary-path", has_text=re.compile(r"^/api/v1/partnerships$"))
    expect(operation.first).to_be_visible()

    token = bearer(manager)["Authorization"].removeprefix("Bearer ")
    page.get_by_role("button", name="Authorize").first.click()
    page.locator(".auth-container input").first.fill(token)
    page.locator(".modal-ux .auth-btn-wrapper button.authorize").click()
    expect(page.get_by_role("button", name="Remove authorization")).to_be_visible()  # the token is taken
    page.locator(".modal-ux .auth-btn-wrapper button.btn-done").click()

    operation.first.click()
    block = page.locator(".opblock", has=operation.first)
    block.get_by_role("button", name="Try it out").click()
    block.get_by_role("button", name="Execute").click()
    expect(block.locator(".live-responses-table tbody .response-col_status").first).to_have_text("200")
    expect(block.locator(".live-responses-table")).to_contain_text(mou.slug)
    assert refused == []

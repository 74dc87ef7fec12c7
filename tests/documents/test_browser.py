"""Documents in a real Chromium: a hostile HTML or SVG file never runs on the tracker's origin, a PDF still
shows in Chromium's viewer despite the sandbox, and uploads work with htmx (a progress bar, the list in
place) and without JavaScript."""

from datetime import timedelta
from io import BytesIO

import pytest
from PIL import Image
from playwright.sync_api import Error, Page, expect

from tests.browser import BROWSER_TIMEOUT_MS
from tests.documents.conftest import HTML_WITH_SCRIPT, SVG_WITH_ONLOAD, pdf_bytes
from tracker.accounts import service as account_service
from tracker.auth import SESSION_COOKIE
from tracker.documents import service as document_service
from tracker.models import utcnow

pytestmark = pytest.mark.browser


@pytest.fixture
def open_page(browser, live, session, manager):
    """A tab signed in as a program manager, recording every address it asks for."""
    contexts = []

    def open_page(javascript: bool = True) -> Page:
        token, _ = account_service.start_session(
            session, person=manager, now=utcnow(), max_age=timedelta(days=1), client_ip="browser", user_agent=None
        )
        session.commit()
        context = browser.new_context(java_script_enabled=javascript, accept_downloads=True,
                                      viewport={"width": 1280, "height": 900})  # fmt: skip
        context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": live.url, "httpOnly": True}])
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(BROWSER_TIMEOUT_MS)
        page.asked = []
        page.on("request", lambda request: page.asked.append(request.url))
        return page

    yield open_page
    for context in contexts:
        context.close()


def _placed(session, files, activity, manager, name: str, data: bytes):
    """A file put in by a deployment whose allowlist admits HTML and SVG (the default refuses both)."""
    document = document_service.add_document(
        session, files, parent=document_service.of_activity(activity), filename=name, data=data,
        values={"kind": "other"}, allowed=("text/html", "image/svg+xml"), max_bytes=10**6, person_id=manager.id,
    )  # fmt: skip
    session.commit()
    return document


@pytest.mark.parametrize(("name", "content"), [("agenda.html", HTML_WITH_SCRIPT), ("logo.svg", SVG_WITH_ONLOAD)])
def test_a_hostile_html_or_svg_file_never_runs_on_the_trackers_origin(
    open_page, live, session, files, make_activity, manager, name, content
):
    document = _placed(session, files, make_activity(), manager, name, content)
    page = open_page()
    page.goto(f"{live.url}/activities/{document.activity_id}")
    title = page.title()
    # Opened from the list or by its address, it is downloaded: the browser never renders it.
    with page.expect_download() as download:
        try:
            page.goto(f"{live.url}/documents/{document.id}")
        except Error as exc:
            assert "Download is starting" in str(exc)
    assert download.value.suggested_filename == name
    assert page.title() == title and page.evaluate("window.ran") is None

    # Even a browser that showed it anyway (here: the download header removed on the way) runs nothing:
    # the sandbox forbids scripts and makes it an origin of its own.
    def shown_inline(route):
        response = route.fetch()
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-disposition"}
        route.fulfill(response=response, headers=headers)

    page.route(f"{live.url}/documents/{document.id}", shown_inline)
    page.goto(f"{live.url}/documents/{document.id}")
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    assert page.title() != "ran" and page.evaluate("window.ran") is None
    assert page.evaluate("self.origin") == "null"  # not the tracker's origin: no cookie, no API, no page of it
    assert not [url for url in page.asked if "/ran-" in url]


def test_a_pdf_shows_in_chromiums_viewer_despite_the_sandbox(open_page, live, session, files, make_activity, manager):
    activity = make_activity()
    document = document_service.add_document(
        session, files, parent=document_service.of_activity(activity), filename="Informe_técnico.pdf",
        data=pdf_bytes("Informe técnico"), values={"kind": "minutes"}, allowed=("application/pdf",),
        max_bytes=10**6, person_id=manager.id,
    )  # fmt: skip
    session.commit()
    page = open_page()
    with page.expect_response(f"{live.url}/documents/{document.id}") as served:
        page.goto(f"{live.url}/documents/{document.id}")
    assert served.value.all_headers()["content-security-policy"].startswith("sandbox;")
    page.wait_for_timeout(1500)  # the viewer draws the page after the load event
    shot = Image.open(BytesIO(page.screenshot())).convert("RGB")
    # The viewer's dark toolbar and background around a white page: drawn, not blocked.
    assert sum(shot.getpixel((20, 20))) < 200 and sum(shot.getpixel((320, 450))) < 200
    assert shot.getpixel((640, 450)) == (255, 255, 255)


def test_an_htmx_upload_shows_its_progress_and_the_list_in_place(open_page, live, make_deliverable):
    deliverable = make_deliverable()
    page = open_page()
    page.goto(f"{live.url}/deliverables/{deliverable.id}")
    page.evaluate(
        """() => { window.progress = [];
          document.addEventListener('htmx:xhr:progress', (event) => {
            const bar = document.querySelector('#document-progress');
            const label = document.querySelector('label[for=document-progress]');
            if (bar) window.progress.push([event.detail.total, bar.max, !bar.closest('[data-upload-status]').hidden,
                                           label.textContent]); }); }"""
    )
    page.get_by_text("Upload revision 1").first.click()
    big = b"%PDF-1.4\n" + b"0" * (3 * 1024 * 1024)
    page.set_input_files("#file", files=[{"name": "Hoja de ruta.pdf", "mimeType": "application/pdf", "buffer": big}])
    page.locator("#document-upload button[type=submit]").click()
    expect(page.locator("#documents")).to_contain_text("The document is added.")
    expect(page.locator("#documents")).to_contain_text("Revision 1")
    assert page.url == f"{live.url}/deliverables/{deliverable.id}"  # swapped in place, no reload
    progress = page.evaluate("window.progress")
    # The bar followed the upload (its length the request's), then waited for the server's check.
    assert any(total > len(big) and bar == total and shown for total, bar, shown, _label in progress), progress
    assert progress[-1][3] == "Checking the file…"


def test_an_upload_without_javascript_is_a_plain_form(open_page, live, make_activity):
    activity = make_activity()
    page = open_page(javascript=False)
    page.goto(f"{live.url}/activities/{activity.id}")
    page.get_by_text("Add a document").first.click()
    page.select_option("#kind", "agenda")
    page.fill("#title", "Agenda del taller")
    page.set_input_files("#file", files=[{"name": "agenda.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}])
    page.locator("#document-upload button[type=submit]").click()
    expect(page.locator("#documents .notice")).to_have_text("The document is added.")
    expect(page.get_by_role("link", name="Agenda del taller")).to_be_visible()
    # A refused file comes back on a page of its own, with the message by the field.
    page.get_by_text("Add a document").first.click()
    page.select_option("#kind", "agenda")
    page.set_input_files("#file", files=[{"name": "agenda.pdf", "mimeType": "application/pdf",
                                          "buffer": HTML_WITH_SCRIPT}])  # fmt: skip
    page.locator("#document-upload button[type=submit]").click()
    expect(page.locator("#file-error")).to_contain_text("“HTML page” (text/html)")

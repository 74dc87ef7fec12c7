"""Who reaches documents: those who may see their partnership (its partners read, its managers change),
nobody else, visitors never; a deleted document is gone for good from every address but its history."""

from contextlib import closing

import pytest
from sqlmodel import select

from tests.conftest import SLUG, signed_in
from tests.documents.conftest import pdf_bytes, png_bytes
from tracker.models import Document, Person


def _upload(client, url: str, name: str, content: bytes, **data):
    response = client.post(url, data=data, files={"file": (name, content, "application/octet-stream")},
                           follow_redirects=False)  # fmt: skip
    assert response.status_code == 303, response.text


@pytest.fixture
def panama(client, session, make_activity, make_deliverable):
    """A document of each kind in the Panama partnership: an activity's, a deliverable's revision (under
    review, so its review addresses answer), the partnership's own; by document name."""
    activity, deliverable = make_activity(), make_deliverable()
    _upload(client, f"/activities/{activity.id}/documents", "hoja.png", png_bytes(), kind="sign_in_sheet")
    _upload(client, f"/deliverables/{deliverable.id}/documents", "informe.pdf", pdf_bytes())
    _upload(client, f"/partnerships/{SLUG}/documents", "MdE.pdf", pdf_bytes("MdE"), kind="signed_text", language="es")
    documents = {d.filename: d for d in session.exec(select(Document))}
    assert client.post(f"/documents/{documents['informe.pdf'].id}/submit", follow_redirects=False).status_code == 303
    return {"activity": activity, "deliverable": deliverable, "documents": documents}


def urls_of(panama) -> list[tuple[str, str]]:
    """Every address that names one of Panama's documents or a record's documents, with its method."""
    activity, deliverable = panama["activity"], panama["deliverable"]
    found = []
    for document in panama["documents"].values():
        i = document.id
        found += [("GET", f"/documents/{i}"), ("GET", f"/documents/{i}/download"), ("GET", f"/documents/{i}/delete"),
                  ("POST", f"/documents/{i}/delete"), ("POST", f"/documents/{i}/submit"),
                  ("POST", f"/documents/{i}/accept"), ("GET", f"/documents/{i}/send-back"),
                  ("POST", f"/documents/{i}/send-back"), ("GET", f"/api/v1/documents/{i}")]  # fmt: skip
    for base in (f"/activities/{activity.id}", f"/deliverables/{deliverable.id}", f"/partnerships/{SLUG}"):
        found += [
            ("POST", f"{base}/documents"),
            ("GET", f"/api/v1{base}/documents"),
            ("POST", f"/api/v1{base}/documents"),
        ]
    return found + [("GET", f"/partnerships/{SLUG}/documents")]


def test_a_partner_of_another_partnership_gets_404_at_every_document_address(app, session, sonora, panama, engine):
    partner = session.exec(select(Person).where(Person.email == "partner@sonora.gob.mx")).one()
    with closing(signed_in(app, session, partner)) as other:
        answers = {}
        for method, url in urls_of(panama):
            uploading = method == "POST" and url.endswith("/documents")
            files = {"file": ("x.pdf", pdf_bytes(), "application/pdf")} if uploading else None
            response = other.request(method, url, data={"kind": "other", "reason": "x"}, files=files,
                                     follow_redirects=False)  # fmt: skip
            answers[(method, url)] = response.status_code
            assert "informe" not in response.text and "MdE" not in response.text
        assert {k: v for k, v in answers.items() if v != 404} == {}
    session.expire_all()
    assert [(d.review, d.deleted_at) for d in session.exec(select(Document).order_by(Document.id))] == [
        (None, None),
        ("submitted", None),
        (None, None),
    ]


def test_a_partner_of_the_partnership_reads_its_documents_but_changes_nothing(app, session, panama, make_user):
    partner = make_user("partner", email="socia@miambiente.gob.pa")
    revision = panama["documents"]["informe.pdf"]
    with closing(signed_in(app, session, partner)) as reader:
        for page in (f"/activities/{panama['activity'].id}", f"/deliverables/{panama['deliverable'].id}",
                     f"/partnerships/{SLUG}/documents"):  # fmt: skip
            text = reader.get(page).text
            section = text[text.index('id="documents"') : text.index('id="history-title"')]
            assert '<a href="/documents/' in section
            assert "<form" not in section and "Add a document" not in section and "Upload revision" not in section
        assert reader.get(f"/documents/{revision.id}").status_code == 200
        assert reader.get(f"/api/v1/deliverables/{panama['deliverable'].id}/documents").json()["total"] == 1
        for method, url in urls_of(panama):
            if method == "POST" or url.endswith(("/delete", "/send-back")):
                assert reader.request(method, url, follow_redirects=False).status_code == 403, url
    session.expire_all()
    assert session.get(Document, revision.id).review == "submitted"


def test_visitors_never_see_a_document(anon, panama):
    for method, url in urls_of(panama):
        response = anon.request(method, url, follow_redirects=False)
        if url.startswith("/api/"):
            assert response.status_code == 401, url
        elif method == "GET":
            assert response.status_code == 303 and response.headers["location"].startswith("/sign-in?next="), url
        else:
            assert response.status_code == 403, url  # a visitor's form has no token
        assert b"%PDF" not in response.content and b"PNG" not in response.content


def test_a_deleted_document_is_gone_from_its_addresses_but_listed_with_its_history(client, session, panama):
    sheet = panama["documents"]["hoja.png"]
    asking = client.get(f"/documents/{sheet.id}/delete")
    assert asking.status_code == 200 and "Delete the document “hoja”?" in asking.text
    assert f'action="/documents/{sheet.id}/delete"' in asking.text and 'name="csrf_token"' in asking.text
    done = client.post(f"/documents/{sheet.id}/delete", follow_redirects=False)
    assert (
        done.status_code == 303
        and done.headers["location"] == f"/activities/{panama['activity'].id}?document=deleted#documents"
    )
    for url in (f"/documents/{sheet.id}", f"/documents/{sheet.id}/download", f"/api/v1/documents/{sheet.id}",
                f"/documents/{sheet.id}/delete"):  # fmt: skip
        assert client.get(url).status_code == 404, url
    assert client.get(f"/api/v1/activities/{panama['activity'].id}/documents").json()["total"] == 0
    page = client.get(f"/activities/{panama['activity'].id}").text
    section = page[page.index('id="documents"') : page.index('id="history-title"')]
    assert "Deleted by Manager User on" in section and f'href="/documents/{sheet.id}"' not in section
    history = page[page.index('id="history-title"') :]
    assert "Document #" + str(sheet.id) in history and "Deleted by</span>: <del>" in history
    session.expire_all()
    kept = session.get(Document, sheet.id)
    assert kept.deleted_at is not None and kept.deleted_by is not None  # marked, never removed


def test_deleting_with_htmx_gives_the_list_back(client, panama):
    minutes = panama["documents"]["MdE.pdf"]
    response = client.post(f"/documents/{minutes.id}/delete", headers={"HX-Request": "true"})
    assert response.status_code == 200 and response.text.lstrip().startswith('<section id="documents"')
    assert "The document is deleted." in response.text and "Deleted by Manager User" in response.text

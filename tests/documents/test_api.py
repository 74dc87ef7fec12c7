"""The documents API: list, upload (multipart), describe; 422 with field messages, 404 across partnerships."""

from contextlib import closing

from fastapi.testclient import TestClient
from sqlmodel import select

from tests.conftest import SLUG, count_rows
from tests.documents.conftest import HTML_WITH_SCRIPT, pdf_bytes, png_bytes
from tracker.models import Document, Person


def test_a_script_uploads_lists_and_reads_documents(app, bearer, manager, make_activity, make_deliverable, files):
    headers = bearer(manager)
    activity, deliverable = make_activity(), make_deliverable()
    with closing(TestClient(app)) as api:
        made = api.post(f"/api/v1/activities/{activity.id}/documents", headers=headers,
                        data={"kind": "photo", "title": "Foto de grupo", "note": "Día 1"},
                        files={"file": ("grupo.png", png_bytes(), "image/jpeg")})  # fmt: skip
        assert made.status_code == 201, made.text
        body = made.json()
        assert body["content_type"] == "image/png" and body["kind"] == "photo" and body["partnership"] == SLUG
        assert body["url"] == f"/documents/{body['id']}" and body["download_url"].endswith("/download")
        assert body["title"] == "Foto de grupo" and body["filename"] == "grupo.png" and body["revision"] is None
        assert api.get(body["url"], headers=headers).content == png_bytes()
        revision = api.post(f"/api/v1/deliverables/{deliverable.id}/documents", headers=headers,
                            files={"file": ("informe.pdf", pdf_bytes(), "application/pdf")})  # fmt: skip
        assert revision.status_code == 201 and revision.json()["revision"] == 1
        assert revision.json()["kind"] == "deliverable" and revision.json()["review"] is None
        signed = api.post(f"/api/v1/partnerships/{SLUG}/documents", headers=headers,
                          data={"kind": "signed_text", "language": "en"},
                          files={"file": ("MOU-en.pdf", pdf_bytes("MOU"), "application/pdf")})  # fmt: skip
        assert signed.status_code == 201 and signed.json()["language"] == "en"
        listed = api.get(f"/api/v1/activities/{activity.id}/documents", headers=headers).json()
        assert listed["total"] == 1 and listed["items"][0]["id"] == body["id"]
        assert api.get(f"/api/v1/partnerships/{SLUG}/documents", headers=headers).json()["total"] == 1
        assert api.get(f"/api/v1/deliverables/{deliverable.id}/documents", headers=headers).json()["total"] == 1
        assert api.get(f"/api/v1/documents/{body['id']}", headers=headers).json() == body
        # The review follows the deliverable's status, through the API too.
        moved = api.post(f"/api/v1/deliverables/{deliverable.id}/status", headers=headers, json={"status": "submitted"})
        assert moved.status_code == 200
        assert (
            api.get(revision.json()["url"].replace("/documents", "/api/v1/documents"), headers=headers).json()["review"]
            == "submitted"
        )


def test_the_api_refuses_bad_input_field_by_field_in_the_requests_language(client, engine, make_activity, files):
    activity = make_activity()
    url = f"/api/v1/activities/{activity.id}/documents"
    html = client.post(
        url, data={"kind": "agenda"}, files={"file": ("agenda.pdf", HTML_WITH_SCRIPT, "application/pdf")}
    )
    assert html.status_code == 422
    [error] = html.json()["detail"]
    assert error["loc"] == ["body", "file"] and error["type"] == "document_type"
    assert error["msg"].startswith("Refused: the content of this file is “HTML page” (text/html)")
    spanish = client.post(url + "?lang=es", data={"kind": "agenda"},
                          files={"file": ("agenda.pdf", HTML_WITH_SCRIPT, "application/pdf")})  # fmt: skip
    assert "(text/html)" in spanish.json()["detail"][0]["msg"]
    missing = client.post(url, data={"kind": "nonsense"})
    assert missing.status_code == 422
    assert {tuple(e["loc"]): e["type"] for e in missing.json()["detail"]} == {
        ("body", "file"): "document_missing",
        ("body", "kind"): "document_kind",
    }
    assert client.post(url, json={"kind": "agenda"}).status_code == 422  # not a form at all
    assert count_rows(engine, Document) == 0


def test_a_partner_of_another_partnership_gets_404_from_the_api(app, session, sonora, bearer, client, make_activity):
    activity = make_activity()
    made = client.post(f"/api/v1/activities/{activity.id}/documents", data={"kind": "agenda"},
                       files={"file": ("a.pdf", pdf_bytes(), "application/pdf")}).json()  # fmt: skip
    other = bearer(session.exec(select(Person).where(Person.email == "partner@sonora.gob.mx")).one())
    for url in (f"/api/v1/documents/{made['id']}", f"/api/v1/activities/{activity.id}/documents",
                f"/api/v1/partnerships/{SLUG}/documents", made["url"], made["download_url"]):  # fmt: skip
        assert client.get(url, headers=other).status_code == 404, url
    upload = client.post(f"/api/v1/partnerships/{SLUG}/documents", headers=other, data={"kind": "other"},
                         files={"file": ("b.pdf", pdf_bytes(), "application/pdf")})  # fmt: skip
    assert upload.status_code == 404

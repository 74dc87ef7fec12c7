"""Handing files out: the detected type, shown inline only for PDF and images, always in a sandbox, with
names that survive accents and hostile characters."""

import pytest
from sqlmodel import select

from tests.documents.conftest import HTML_WITH_SCRIPT, pdf_bytes, png_bytes, xlsx_bytes
from tracker.documents import service as document_service
from tracker.documents.serving import DOCUMENT_CSP, content_disposition, download_name
from tracker.models import Document


def _upload(client, session, activity, name: str, content: bytes, claimed: str = "application/octet-stream"):
    response = client.post(f"/activities/{activity.id}/documents", data={"kind": "other"},
                           files={"file": (name, content, claimed)}, follow_redirects=False)  # fmt: skip
    assert response.status_code == 303, response.text
    return session.exec(select(Document).order_by(Document.id.desc())).first()


@pytest.mark.parametrize(
    ("name", "content", "content_type", "inline"),
    [
        ("Informe_técnico.pdf", pdf_bytes(), "application/pdf", True),
        ("foto.png", png_bytes(), "image/png", True),
        ("asistencia.xlsx", xlsx_bytes(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", False),
        ("acta.txt", "Acta de la reunión\n".encode(), "text/plain", False),
    ],
    ids=["pdf", "png", "xlsx", "text"],
)
def test_pdf_and_images_are_shown_in_a_sandbox_and_everything_else_is_downloaded(
    client, session, make_activity, name, content, content_type, inline
):
    document = _upload(client, session, make_activity(), name, content, claimed="text/html")
    shown = client.get(f"/documents/{document.id}")
    assert shown.status_code == 200 and shown.content == content
    assert shown.headers["content-type"].split(";")[0] == content_type
    assert shown.headers["content-disposition"].startswith("inline;" if inline else "attachment;")
    assert shown.headers["x-content-type-options"] == "nosniff"
    assert shown.headers["content-security-policy"] == DOCUMENT_CSP and DOCUMENT_CSP.startswith("sandbox;")
    assert shown.headers["cache-control"] == "private, no-store"
    downloaded = client.get(f"/documents/{document.id}/download")
    assert downloaded.headers["content-disposition"].startswith("attachment;") and downloaded.content == content
    assert (
        client.head(f"/documents/{document.id}").headers["content-disposition"] == shown.headers["content-disposition"]
    )


def test_a_name_with_accents_reaches_every_browser_whole():
    assert content_disposition("attachment", "Informe_técnico.pdf") == (
        "attachment; filename=\"Informe_tecnico.pdf\"; filename*=UTF-8''Informe_t%C3%A9cnico.pdf"
    )
    assert content_disposition("inline", "agenda.pdf") == 'inline; filename="agenda.pdf"'
    assert content_disposition("attachment", "Año 2026 — ñandú.pdf").endswith(
        "filename*=UTF-8''A%C3%B1o%202026%20%E2%80%94%20%C3%B1and%C3%BA.pdf"
    )
    assert 'filename="Ano 2026 _ nandu.pdf"' in content_disposition("attachment", "Año 2026 — ñandú.pdf")
    assert 'filename="document"' in content_disposition("attachment", "会议记录")


@pytest.mark.parametrize(
    "name",
    ["a\"; filename*=UTF-8''evil.html", "x\r\nSet-Cookie: a=b", "x\u2028y\u0085z", "x\x00y", "\u202egpj.exe"],
)
def test_no_stored_name_can_break_the_header_or_hide_its_ending(name):
    header = content_disposition("attachment", name)
    assert not any(character in header for character in "\r\n\x00\u2028\u0085\u202e")
    plain = header.split("filename=", 1)[1].split(";")[0]
    assert plain.count('"') == 2  # the quoted ASCII name holds no quote of its own
    assert document_service.clean_filename(name) == document_service.clean_filename(
        document_service.clean_filename(name)
    )


def test_a_file_is_saved_with_the_ending_of_what_it_is():
    assert download_name(Document(filename="informe.exe", content_type="application/pdf")) == "informe.exe.pdf"
    assert download_name(Document(filename="foto.JPEG", content_type="image/jpeg")) == "foto.JPEG"
    assert download_name(Document(filename="lista.csv", content_type="text/plain")) == "lista.csv"
    assert download_name(Document(filename="../../x", content_type="text/plain")) == "x.txt"


def test_a_file_admitted_by_the_allowlist_but_not_safe_to_show_is_only_downloaded(
    client, session, files, make_activity, manager
):
    """A deployment may accept HTML (its own choice): it is still downloaded, in a sandbox, never shown."""
    activity = make_activity()
    document = document_service.add_document(
        session, files, parent=document_service.of_activity(activity), filename="agenda.html",
        data=HTML_WITH_SCRIPT, values={"kind": "agenda"}, allowed=("text/html",), max_bytes=10**6,
        person_id=manager.id,
    )  # fmt: skip
    session.commit()
    served = client.get(f"/documents/{document.id}")
    assert served.headers["content-type"].startswith("text/html")
    assert served.headers["content-disposition"] == 'attachment; filename="agenda.html"'
    assert served.headers["content-security-policy"].startswith("sandbox;")


def test_a_file_missing_from_the_store_is_a_404_not_a_crash(client, session, files, make_activity):
    document = _upload_missing(client, session, files, make_activity())
    assert client.get(f"/documents/{document.id}").status_code == 404


def _upload_missing(client, session, files, activity) -> Document:
    response = client.post(f"/activities/{activity.id}/documents", data={"kind": "other"},
                           files={"file": ("a.pdf", pdf_bytes(), "application/pdf")})  # fmt: skip
    assert response.status_code == 200
    document = session.exec(select(Document)).one()
    path = files.root / document.sha256[:2] / document.sha256[2:]
    path.unlink()
    return document

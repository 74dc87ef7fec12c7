"""Uploading documents: a plain form without JavaScript, htmx in place, each file told by its content and
stored once by it, within the size limit, hostile names kept harmless."""

from contextlib import closing

import pytest
from sqlmodel import select

from tests.conftest import SLUG, count_rows, signed_in
from tests.documents.conftest import (
    HTML_WITH_SCRIPT,
    SVG_WITH_ONLOAD,
    docx_bytes,
    odt_bytes,
    pdf_bytes,
    png_bytes,
    xlsx_bytes,
    zip_bytes,
)
from tracker.app import create_app
from tracker.models import Document, StoredFile
from tracker.storage import LocalFileStore, sha256_of

HTMX = {"HX-Request": "true"}


def upload(client, url, data=None, name="agenda.pdf", content=None, claimed="application/pdf", **kwargs):
    content = pdf_bytes() if content is None else content
    files = {"file": (name, content, claimed)}
    return client.post(url, data=data or {}, files=files, follow_redirects=False, **kwargs)


def documents(session) -> list[Document]:
    session.expire_all()
    return list(session.exec(select(Document).order_by(Document.id)))


def test_it_attaches_an_agenda_to_an_activity_with_a_plain_form(client, session, make_activity, files):
    activity = make_activity()
    data = {"kind": "agenda", "title": "Agenda del taller", "language": "es", "note": "Versión final"}
    response = upload(client, f"/activities/{activity.id}/documents", data, name="Agenda_técnica.pdf")
    assert response.status_code == 303
    assert response.headers["location"] == f"/activities/{activity.id}?document=added#documents"
    [document] = documents(session)
    assert (document.kind, document.title, document.language, document.note) == ("agenda", "Agenda del taller",
                                                                                   "es", "Versión final")  # fmt: skip
    assert (document.filename, document.content_type, document.revision) == (
        "Agenda_técnica.pdf",
        "application/pdf",
        None,
    )
    assert document.activity_id == activity.id and document.deliverable_id is None and document.uploaded_by
    page = client.get(response.headers["location"])
    section = page.text[page.text.index('id="documents"') :]
    assert "The document is added." in section
    assert f'<a href="/documents/{document.id}" lang="es">Agenda del taller</a>' in section  # in its own language
    assert "Agenda_técnica.pdf" in section and "PDF ·" in section
    assert files.read(document.sha256) == client.get(f"/documents/{document.id}").content


def test_an_htmx_upload_gets_the_list_back_in_place_and_a_plain_one_the_whole_page(client, make_activity):
    activity = make_activity()
    url = f"/activities/{activity.id}/documents"
    fragment = upload(client, url, {"kind": "photo"}, name="foto.png", content=png_bytes(), headers=HTMX)
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith('<section id="documents"') and "<html" not in fragment.text
    assert "The document is added." in fragment.text and ">foto</a>" in fragment.text
    refused = upload(client, url, {"kind": ""}, name="foto.png", content=png_bytes(), headers=HTMX)
    assert refused.status_code == 422 and refused.text.lstrip().startswith('<section id="documents"')
    assert 'id="kind-error"' in refused.text
    # The same refusal without JavaScript is a page of its own with the form, and the list is unchanged.
    page = upload(client, url, {"kind": ""}, name="foto.png", content=png_bytes())
    assert page.status_code == 422 and "<html" in page.text and 'id="kind-error"' in page.text
    assert "<h1>Add a document</h1>" in page.text
    full = client.get(f"/activities/{activity.id}")
    assert "<html" in full.text and full.text.count(">foto</a>") == 1


def test_the_same_bytes_uploaded_twice_are_stored_once(client, session, engine, make_activity, make_deliverable, files):
    activity, deliverable = make_activity(), make_deliverable()
    content = pdf_bytes("Lista de asistencia")
    assert (
        upload(client, f"/activities/{activity.id}/documents", {"kind": "sign_in_sheet"}, content=content).status_code
        == 303
    )
    assert (
        upload(client, f"/activities/{activity.id}/documents", {"kind": "minutes"}, content=content).status_code == 303
    )
    assert upload(client, f"/deliverables/{deliverable.id}/documents", content=content).status_code == 303
    rows = documents(session)
    assert len(rows) == 3 and {row.sha256 for row in rows} == {sha256_of(content)}
    assert count_rows(engine, StoredFile) == 1
    assert [path for path in files.root.rglob("*") if path.is_file()] == [files.root / sha256_of(content)[:2] /
                                                                           sha256_of(content)[2:]]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "content", "detected"),
    [
        ("agenda.pdf", HTML_WITH_SCRIPT, "“HTML page” (text/html)"),
        ("logo.png", SVG_WITH_ONLOAD, "“SVG image” (image/svg+xml)"),
        ("acta.docx", b"MZ\x90\x00" + b"\x00" * 100, "“Windows program” (application/x-dosexec)"),
        ("fotos.pdf", zip_bytes(), "“ZIP archive” (application/zip)"),
        (
            "informe.pdf",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500,
            "“unrecognized data” (application/octet-stream)",
        ),
        ("minutes.pdf", b"#!/bin/sh\nrm -rf /\n", "“shell script” (text/x-shellscript)"),
    ],
    ids=["html-named-pdf", "svg-named-png", "program", "zip", "unknown", "script"],
)
def test_a_file_is_refused_by_its_content_whatever_its_name(
    client, engine, make_activity, files, name, content, detected
):
    activity = make_activity()
    response = upload(client, f"/activities/{activity.id}/documents", {"kind": "agenda", "title": "Agenda"}, name=name,
                      content=content)  # fmt: skip
    assert response.status_code == 422 and 'id="file-error"' in response.text
    assert f"Refused: the content of this file is {detected}" in response.text.replace("&#34;", '"')
    assert "Accepted: PDF, PNG, JPEG, GIF, WebP, Word (.docx)" in response.text
    assert 'value="Agenda"' in response.text  # what was typed is kept
    assert count_rows(engine, Document) == count_rows(engine, StoredFile) == 0
    assert not files.root.exists()  # nothing written, not even half


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("asistencia.xlsx", xlsx_bytes(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("acta.docx", docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("acta.odt", odt_bytes(), "application/vnd.oasis.opendocument.text"),
        ("foto.png", png_bytes(), "image/png"),
        ("lista.csv", "Nombre;Organización\r\nJosé;MiAMBIENTE\r\n".encode("cp1252"), "text/plain"),
        ("notas.txt", b"Minutes\n#include the next steps\n", "text/plain"),  # libmagic reads "C source"
    ],
    ids=["xlsx", "docx", "odt", "png", "csv-cp1252", "text-like-code"],
)
def test_office_opendocument_images_and_text_are_kept_as_their_content_says(
    client, session, make_activity, name, content, content_type
):
    activity = make_activity()
    response = upload(client, f"/activities/{activity.id}/documents", {"kind": "other"}, name=name, content=content,
                      claimed="text/html")  # fmt: skip
    assert response.status_code == 303, response.text
    [document] = documents(session)
    assert document.content_type == content_type  # detected, never the browser's claim
    assert client.get(f"/documents/{document.id}").headers["content-type"].startswith(content_type)


def test_every_problem_of_the_form_shows_at_once_and_nothing_is_stored(client, engine, mou, files):
    response = client.post(f"/partnerships/{SLUG}/documents", data={"kind": "signed_text", "title": "x" * 201},
                           follow_redirects=False)  # fmt: skip
    assert response.status_code == 422
    assert "Please correct the 3 fields marked below." in response.text
    assert "Say which language this text is in." in response.text
    assert "Choose a file to upload." in response.text and "At most 200 characters." in response.text
    wrong = client.post(f"/partnerships/{SLUG}/documents", data={"kind": "agenda", "language": "fr"},
                        files={"file": ("x.pdf", b"", "application/pdf")})  # fmt: skip
    assert wrong.status_code == 422 and "Choose what this document is, from the list." in wrong.text
    assert "Say which language this text is in." in wrong.text
    assert count_rows(engine, Document) == 0


def test_the_signed_mou_texts_are_kept_with_their_language(client, session, mou):
    for language in ("es", "en"):
        data = {"kind": "signed_text", "language": language}
        assert upload(client, f"/partnerships/{SLUG}/documents", data, name=f"MdE-{language}.pdf").status_code == 303
    page = client.get(f"/partnerships/{SLUG}/documents")
    assert page.status_code == 200 and "Signed MOU text" in page.text
    assert page.text.count('class="lang-tag"') == 2
    assert [(d.kind, d.language, d.activity_id, d.deliverable_id) for d in documents(session)] == [
        ("signed_text", "es", None, None),
        ("signed_text", "en", None, None),
    ]


HOSTILE_NAMES = [
    ('"><img src=x onerror=alert(1)>.pdf', "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;.pdf"),
    ('"><script>alert(1)</script>.pdf', "script&gt;.pdf"),  # the last part of a path: what follows "/"
    ("informe\r\nSet-Cookie: stolen=1.pdf", "informeSet-Cookie: stolen=1.pdf"),
    ("../../etc/passwd", "passwd"),
    ("..\\..\\Windows\\system.ini", "system.ini"),
    ("\u202eFDP.exe", "FDP.exe"),  # a right-to-left override would show it as "exe.PDF"
]


@pytest.mark.parametrize(
    ("name", "shown"), HOSTILE_NAMES, ids=["markup", "script", "crlf", "path", "windows-path", "bidi"]
)
def test_a_hostile_file_name_is_shown_as_text_and_cannot_break_a_header(client, session, make_activity, name, shown):
    activity = make_activity()
    response = upload(client, f"/activities/{activity.id}/documents", {"kind": "other"}, name=name)
    assert response.status_code == 303
    [document] = documents(session)
    assert "\r" not in document.filename and "\n" not in document.filename and "/" not in document.filename
    page = client.get(f"/activities/{activity.id}").text
    assert shown in page and "<script>alert(1)" not in page and "<img src=x" not in page
    served = client.get(f"/documents/{document.id}/download")
    disposition = served.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="') and "\r" not in disposition and "\n" not in disposition
    assert disposition.count('"') == 2 and "set-cookie" not in {k.lower() for k in served.headers}
    assert disposition.split('"')[1].endswith(".pdf")  # saved as what it is, whatever it was called


def test_a_file_over_the_size_limit_is_refused_without_being_kept(settings, session, engine, manager, make_activity,
                                                                  tmp_path):  # fmt: skip
    small = create_app(settings.model_copy(update={"max_upload_mb": 1}))
    small.state.file_store = store = LocalFileStore(tmp_path / "small")
    activity = make_activity()
    with closing(signed_in(small, session, manager)) as client:
        exactly = b"%PDF-1.4\n" + b"0" * (1024 * 1024 - 9)
        over = exactly + b"0"
        refused = upload(client, f"/activities/{activity.id}/documents", {"kind": "photo", "title": "Fotos"},
                         content=over)  # fmt: skip
        assert refused.status_code == 422 and "The file is larger than 1 MB, so it was not stored." in refused.text
        assert 'value="Fotos"' in refused.text
        # Far larger than the limit: only the fields before the file are read, and the answer is the same.
        huge = upload(client, f"/activities/{activity.id}/documents", {"kind": "photo"}, content=over * 5,
                      headers=HTMX)  # fmt: skip
        assert huge.status_code == 422 and "larger than 1 MB" in huge.text
        assert count_rows(engine, Document) == 0 and not store.root.exists()
        assert upload(client, f"/activities/{activity.id}/documents", {"kind": "photo"},
                      content=exactly).status_code == 303  # fmt: skip
        api = client.post(f"/api/v1/activities/{activity.id}/documents", data={"kind": "photo"},
                          files={"file": ("big.pdf", over, "application/pdf")})  # fmt: skip
        assert api.status_code == 422
        assert api.json()["detail"][0]["loc"] == ["body", "file"]
        assert api.json()["detail"][0]["msg"].startswith("The file is larger than 1 MB")
    small.state.engine.dispose()


def test_the_limit_is_kept_while_reading_not_after(settings):
    """The body of an upload stops at the limit and the form around it: the rest is never read."""
    import asyncio

    from tracker.documents.uploads import FORM_OVERHEAD, TOO_LARGE, UploadLimit

    chunk, chunks, asked = b"x" * 65536, 1000, []  # 64 MB announced, none of it length-declared
    seen = []

    async def receive():
        asked.append(1)
        return {"type": "http.request", "body": chunk, "more_body": len(asked) < chunks}

    async def app(scope, receive_, send):
        while True:
            message = await receive_()
            seen.append(message["body"])
            if not message["more_body"]:
                break

    scope = {"type": "http", "method": "POST", "path": "/activities/1/documents", "state": {},
             "headers": [(b"content-type", b"multipart/form-data; boundary=XyZ")]}  # fmt: skip
    asyncio.run(UploadLimit(app, max_bytes=1024 * 1024)(scope, receive, None))
    received = sum(len(body) for body in seen)
    assert received <= 1024 * 1024 + FORM_OVERHEAD + len(b"\r\n--XyZ--\r\n") and seen[-1].endswith(b"--XyZ--\r\n")
    assert len(asked) < 20 and scope["state"][TOO_LARGE] is True


def test_only_a_deliverables_next_revision_is_added_and_numbers_never_repeat(client, session, make_deliverable):
    deliverable = make_deliverable()
    url = f"/deliverables/{deliverable.id}/documents"
    for text in ("v1", "v2"):
        assert (
            upload(client, url, {"kind": "agenda"}, name=f"informe-{text}.pdf", content=pdf_bytes(text)).status_code
            == 303
        )
    first, second = documents(session)
    assert (first.revision, second.revision, first.kind, second.kind) == (1, 2, "deliverable", "deliverable")
    assert client.post(f"/documents/{second.id}/delete", follow_redirects=False).status_code == 303
    assert upload(client, url, content=pdf_bytes("v3")).status_code == 303
    assert [d.revision for d in documents(session)] == [1, 2, 3]  # the deleted number is not given again


def test_a_form_sent_without_javascript_carries_its_csrf_token_in_the_form(app, session, manager, make_activity):
    activity = make_activity()
    with closing(signed_in(app, session, manager)) as client:
        token = client.headers.pop("X-CSRF-Token")
        refused = upload(client, f"/activities/{activity.id}/documents", {"kind": "agenda"})
        assert refused.status_code == 403
        sent = upload(client, f"/activities/{activity.id}/documents", {"csrf_token": token, "kind": "agenda"})
        assert sent.status_code == 303

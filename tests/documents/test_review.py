"""A deliverable's review revision by revision: submitted with its document (or a link), sent back with a
reason, accepted as a numbered revision, all of it in the deliverable's history."""

import re

from sqlmodel import select

from tests.documents.conftest import pdf_bytes
from tracker.models import Deliverable, Document

HTMX = {"HX-Request": "true"}


def upload_revision(client, session, deliverable, text: str) -> Document:
    files = {"file": (f"Hoja_de_ruta_MRV_{text}.pdf", pdf_bytes(f"Hoja de ruta MRV, {text}"), "application/pdf")}
    response = client.post(f"/deliverables/{deliverable.id}/documents", files=files, follow_redirects=False)
    assert response.status_code == 303, response.text
    return revisions_of(session, deliverable)[-1]


def revisions_of(session, deliverable) -> list[Document]:
    session.expire_all()
    return list(session.exec(select(Document).where(Document.deliverable_id == deliverable.id).order_by(Document.id)))


def state(session, deliverable) -> tuple:
    session.expire_all()
    found = session.get(Deliverable, deliverable.id)
    return found.status.value, found.accepted_revision


def post(client, url: str, **data):
    return client.post(url, data=data, follow_redirects=False)


def history_of(page: str) -> str:
    return page[page.index('id="history-title"') :]


def test_v1_is_sent_back_with_a_reason_then_v2_is_accepted_and_the_history_tells_it(client, session, make_deliverable):
    deliverable = make_deliverable()
    v1 = upload_revision(client, session, deliverable, "v1")
    assert v1.revision == 1 and v1.review is None
    assert post(client, f"/documents/{v1.id}/submit").status_code == 303
    assert state(session, deliverable) == ("submitted", None)
    assert revisions_of(session, deliverable)[0].review == "submitted"
    # Sending back asks why: without JavaScript on a page of its own, which posts it once confirmed.
    asking = client.get(f"/documents/{v1.id}/send-back?reason=Faltan+los+anexos")
    assert asking.status_code == 200 and "Send revision 1 of “MRV roadmap” back?" in asking.text
    assert ">Faltan los anexos</textarea>" in asking.text
    reason = "Faltan los anexos del inventario (tablas 3 y 4)."
    assert post(client, f"/documents/{v1.id}/send-back", reason=reason).status_code == 303
    assert state(session, deliverable) == ("in_progress", None)
    sent_back = revisions_of(session, deliverable)[0]
    assert sent_back.review == "sent_back" and sent_back.reviewed_by is not None and sent_back.reviewed_at
    v2 = upload_revision(client, session, deliverable, "v2")
    assert v2.revision == 2
    assert post(client, f"/documents/{v2.id}/submit").status_code == 303
    assert state(session, deliverable) == ("submitted", None)
    assert post(client, f"/documents/{v2.id}/accept").status_code == 303
    assert state(session, deliverable) == ("accepted", 2)
    assert client.get(f"/api/v1/deliverables/{deliverable.id}").json()["accepted_revision"] == 2
    assert [(r.revision, r.review) for r in revisions_of(session, deliverable)] == [(1, "sent_back"), (2, "accepted")]
    session.expire_all()
    assert session.get(Deliverable, deliverable.id).completed_on is not None

    page = client.get(f"/deliverables/{deliverable.id}").text
    documents = page[page.index('id="documents"') : page.index('id="history-title"')]
    assert "Revision 2" in documents and "Accepted" in documents and "Sent back" in documents
    assert "Upload revision 3" in documents and "no revision can be added" in documents  # accepted: closed
    history = history_of(page)
    # Newest first: the acceptance (the deliverable's status and revision 2's review), …, the upload of v1.
    assert history.index("Accepted revision") < history.index(reason) < history.index("Hoja_de_ruta_MRV_v1.pdf")
    assert history.count(f'<a href="/documents/{v2.id}">Document #{v2.id}</a>: Hoja_de_ruta_MRV_v2, revision 2') >= 3
    assert history.count(f"<q>{reason}</q>") == 2  # with the status change and with the revision's review
    assert re.search(r"Review</span>: <del>Submitted for review</del> → <ins>Sent back</ins>", history)
    assert re.search(r"Status</span>: <del>Submitted</del> → <ins>Accepted</ins>", history)
    assert "File type</span>: <ins>PDF</ins>" in history


def test_submitting_a_deliverable_asks_for_its_document_or_a_link(client, session, make_deliverable, bearer, manager):
    deliverable = make_deliverable()
    form = post(client, f"/deliverables/{deliverable.id}/status", status="submitted")
    assert form.status_code == 422
    assert 'id="status-error"' in form.text and "submitted with its document or a link to it" in form.text
    fragment = client.post(f"/deliverables/{deliverable.id}/status", data={"status": "submitted"}, headers=HTMX)
    assert fragment.status_code == 422 and 'id="status-error"' in fragment.text and "<html" not in fragment.text
    api = client.post(f"/api/v1/deliverables/{deliverable.id}/status", json={"status": "submitted"},
                      headers=bearer(manager))  # fmt: skip
    assert api.status_code == 422
    [error] = api.json()["detail"]
    assert error["loc"] == ["body", "status"] and error["type"] == "evidence_missing"
    assert state(session, deliverable) == ("not_started", None)
    # A link is enough, and so is a document.
    linked = make_deliverable(title_en="Linked", evidence_url="https://example.org/informe.pdf")
    assert post(client, f"/deliverables/{linked.id}/status", status="submitted").status_code == 303
    upload_revision(client, session, deliverable, "v1")
    assert post(client, f"/deliverables/{deliverable.id}/status", status="submitted").status_code == 303
    assert state(session, deliverable) == ("submitted", None)
    assert revisions_of(session, deliverable)[0].review == "submitted"  # the status change submitted it


def test_after_a_send_back_only_a_new_revision_or_a_link_lets_it_be_submitted_again(client, session, make_deliverable):
    deliverable = make_deliverable()
    v1 = upload_revision(client, session, deliverable, "v1")
    post(client, f"/documents/{v1.id}/submit")
    post(client, f"/documents/{v1.id}/send-back", reason="Incompleto")
    again = post(client, f"/deliverables/{deliverable.id}/status", status="submitted")
    assert again.status_code == 422 and "Revision 1 was sent back: upload a new revision" in again.text
    assert post(client, f"/documents/{v1.id}/submit").status_code == 409  # the sent-back one cannot go again


def test_the_status_panel_and_the_review_buttons_keep_the_revisions_in_step(client, session, make_deliverable):
    deliverable = make_deliverable()
    v1 = upload_revision(client, session, deliverable, "v1")
    post(client, f"/deliverables/{deliverable.id}/status", status="submitted")
    post(client, f"/deliverables/{deliverable.id}/status", status="accepted")
    assert state(session, deliverable) == ("accepted", 1)
    assert revisions_of(session, deliverable)[0].review == "accepted"
    # Acceptance withdrawn: the revision is under review again, and the deliverable names none.
    post(client, f"/deliverables/{deliverable.id}/status", status="submitted")
    assert state(session, deliverable) == ("submitted", None)
    assert revisions_of(session, deliverable)[0].review == "submitted"
    post(client, f"/deliverables/{deliverable.id}/status", status="in_progress")
    assert revisions_of(session, deliverable)[0].review == "sent_back"
    v2 = upload_revision(client, session, deliverable, "v2")
    post(client, f"/documents/{v2.id}/submit")
    post(client, f"/deliverables/{deliverable.id}/status", status="cancelled")
    assert [r.review for r in revisions_of(session, deliverable)] == ["sent_back", None]  # withdrawn
    assert v1.id != v2.id


def test_a_review_needs_the_revision_under_review_and_a_reason(client, session, make_deliverable):
    deliverable = make_deliverable()
    v1 = upload_revision(client, session, deliverable, "v1")
    assert post(client, f"/documents/{v1.id}/accept").status_code == 409  # not submitted yet
    assert client.get(f"/documents/{v1.id}/send-back").status_code == 409
    post(client, f"/documents/{v1.id}/submit")
    blank = post(client, f"/documents/{v1.id}/send-back", reason="  ")
    assert blank.status_code == 422 and 'id="reason-error"' in blank.text and "This field is required." in blank.text
    in_place = client.post(f"/documents/{v1.id}/send-back", data={"reason": ""}, headers=HTMX)
    assert in_place.status_code == 422 and in_place.text.lstrip().startswith('<section id="documents"')
    assert f'id="send-back-{v1.id}-reason-error"' in in_place.text
    assert state(session, deliverable) == ("submitted", None)
    # With htmx a success reloads the page: the status panel and the history changed too.
    done = client.post(f"/documents/{v1.id}/send-back", data={"reason": "Falta la firma"}, headers=HTMX)
    assert done.status_code == 200 and done.headers["HX-Redirect"] == f"/deliverables/{deliverable.id}#documents"


def test_a_revision_under_review_or_accepted_cannot_be_deleted(client, session, make_deliverable):
    deliverable = make_deliverable()
    v1 = upload_revision(client, session, deliverable, "v1")
    post(client, f"/documents/{v1.id}/submit")
    refused = post(client, f"/documents/{v1.id}/delete")
    assert refused.status_code == 409 and "Revision 1 is under review" in refused.text
    post(client, f"/documents/{v1.id}/accept")
    assert post(client, f"/documents/{v1.id}/delete").status_code == 409
    assert revisions_of(session, deliverable)[0].deleted_at is None


def test_an_accepted_deliverable_takes_no_new_revision(client, session, make_deliverable, engine):
    deliverable = make_deliverable()
    v1 = upload_revision(client, session, deliverable, "v1")
    post(client, f"/documents/{v1.id}/submit")
    post(client, f"/documents/{v1.id}/accept")
    files = {"file": ("v2.pdf", pdf_bytes("v2"), "application/pdf")}
    refused = client.post(f"/deliverables/{deliverable.id}/documents", files=files, follow_redirects=False)
    assert refused.status_code == 422 and "no revision can be added" in refused.text
    assert len(revisions_of(session, deliverable)) == 1

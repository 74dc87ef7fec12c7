"""A moved due date says why; deleting a deliverable asks first."""

import re

from sqlmodel import select

from tracker.models import AuditEvent, Deliverable

HX = {"HX-Request": "true"}


def _form(deliverable, **changes) -> dict:
    return {
        "area_id": deliverable.area_id,
        "title_en": "MRV roadmap",
        "due_on": "2026-06-30",
        "version": deliverable.version,
    } | changes


def _reasons(session, deliverable) -> list:
    session.expire_all()
    query = select(AuditEvent.reason).where(AuditEvent.entity == "deliverable", AuditEvent.entity_id == deliverable.id)
    return list(session.exec(query.order_by(AuditEvent.id)))


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _consequences(html: str) -> list[str]:
    block = html[html.index('class="consequences"') :].split("</ul>")[0]
    return [re.sub(r"\s+", " ", item).strip() for item in re.findall(r"<li>(.*?)</li>", block, re.S)]


def test_the_edit_form_asks_why_when_the_due_date_moves(client, make_deliverable, session):
    deliverable = make_deliverable()
    form = client.get(f"/deliverables/{deliverable.id}/edit").text
    assert 'name="reason"' in form and "Why the due date moves" in form
    for headers in ({}, HX):
        refused = client.post(f"/deliverables/{deliverable.id}/edit", data=_form(deliverable, due_on="2026-09-30"),
                              headers=headers)  # fmt: skip
        assert refused.status_code == 422
        assert 'id="reason-error">This field is required.<' in refused.text
        assert 'value="2026-09-30"' in refused.text  # what was typed is kept
    session.expire_all()
    assert str(session.get(Deliverable, deliverable.id).due_on) == "2026-06-30"
    saved = client.post(
        f"/deliverables/{deliverable.id}/edit",
        data=_form(deliverable, due_on="2026-09-30", reason="The inventory data arrive in August."),
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert _reasons(session, deliverable) == [None, "The inventory data arrive in August."]


def test_other_changes_need_no_reason(client, make_deliverable, session):
    deliverable = make_deliverable()
    saved = client.post(
        f"/deliverables/{deliverable.id}/edit", data=_form(deliverable, title_en="MRV roadmap, v2"),
        follow_redirects=False,
    )  # fmt: skip
    assert saved.status_code == 303
    answer = client.patch(f"/api/v1/deliverables/{deliverable.id}", json={"title_es": "Hoja de ruta", "version": 2})
    assert answer.status_code == 200 and _reasons(session, deliverable) == [None, None, None]


def test_the_api_refuses_a_moved_due_date_without_a_reason(client, make_deliverable, session):
    deliverable = make_deliverable()
    url = f"/api/v1/deliverables/{deliverable.id}"
    for reason in (None, "", "  "):
        body = {"due_on": "2026-09-30", "version": 1} | ({} if reason is None else {"reason": reason})
        refused = client.patch(url, json=body)
        assert refused.status_code == 422
        assert refused.json()["detail"] == [
            {"loc": ["body", "reason"], "type": "blank", "msg": "This field is required."}
        ]
    moved = client.patch(url, json={"due_on": "2026-09-30", "version": 1, "reason": "Waiting for data"})
    assert moved.status_code == 200 and moved.json()["due_on"] == "2026-09-30" and "reason" not in moved.json()
    assert _reasons(session, deliverable)[-1] == "Waiting for data"
    # Read back, a deliverable carries no reason of its own: the next change says its own, or none.
    assert client.patch(url, json={"title_en": "MRV plan", "version": 2}).status_code == 200
    assert _reasons(session, deliverable)[-1] is None


def test_a_reason_and_a_refused_date_are_reported_together(client, make_deliverable):
    deliverable = make_deliverable()
    refused = client.patch(f"/api/v1/deliverables/{deliverable.id}", json={"due_on": "2031-01-01", "version": 1})
    assert {tuple(e["loc"]) for e in refused.json()["detail"]} == {("body", "due_on"), ("body", "reason")}


def test_a_deliverable_is_deleted_after_its_confirmation_page(client, make_deliverable, session):
    deliverable = make_deliverable()
    page = client.get(f"/deliverables/{deliverable.id}").text
    form = re.search(r'<form method="get" action="/deliverables/\d+/delete"[^>]*>', page).group(0)
    assert "hx-post=" in form and "hx-confirm=" in form
    asked = client.get(f"/deliverables/{deliverable.id}/delete")
    assert asked.status_code == 200 and "Delete the deliverable “MRV roadmap”?" in asked.text
    assert _consequences(asked.text) == [
        "The deliverable will be removed.",
        "Its pending reminders are dropped; those already sent stay in its history.",
        "Its history stays in the audit trail; this cannot be undone.",
    ]
    assert session.get(Deliverable, deliverable.id) is not None  # nothing changed yet
    token = _csrf(asked.text)
    client.headers.pop("X-CSRF-Token")  # as a plain form posts: the token in the form only
    assert client.post(f"/deliverables/{deliverable.id}/delete").status_code == 403
    done = client.post(f"/deliverables/{deliverable.id}/delete", data={"csrf_token": token}, follow_redirects=False)
    assert done.status_code == 303
    session.expire_all()
    assert session.exec(select(Deliverable)).all() == []


def test_with_htmx_the_delete_button_posts_at_once(client, make_deliverable):
    deliverable = make_deliverable()
    done = client.post(f"/deliverables/{deliverable.id}/delete", headers=HX)
    assert done.status_code == 200 and done.headers["HX-Redirect"].endswith("/deliverables")

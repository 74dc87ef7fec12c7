"""Deletion requests: the managers concerned hear of one in their language, and anonymise the person
(names gone everywhere, counts kept, the link dead) or decline with a reason; nobody else may see it."""

import re
from contextlib import closing

from fastapi.testclient import TestClient
from sqlmodel import select

from tests.conftest import SLUG
from tests.mail.test_pipeline import csrf_of, tracker_with
from tests.own_data.conftest import token_for
from tracker.i18n import gettext_for
from tracker.models import (
    AuditEvent,
    Certificate,
    DataRequest,
    Enrollment,
    ImportBatch,
    OutboxMessage,
    Participant,
    Person,
)

NAMES = ("María", "Rodríguez", "maria@miambiente.gob.pa", "Analista", "Maria Jose")


def _request(anon, settings, record, kind="participant", note="Ya no trabajo en el ministerio."):
    path = f"/my-data/{token_for(settings, record, kind)}"
    confirm = anon.get(f"{path}/delete")
    assert confirm.status_code == 200 and 'method="post"' in confirm.text
    response = anon.post(f"{path}/delete", data={"note": note, "csrf_token": csrf_of(confirm.text)},
                         follow_redirects=False)  # fmt: skip
    assert response.status_code == 303 and response.headers["location"] == f"{path}?requested=1"
    return path


def _manager(make_user, session, email, language, partnership):
    person = make_user("manager", email=email, name=email.split("@")[0].title(), partnership=partnership)
    person.language = language
    session.add(person)
    session.commit()
    return person


def test_a_request_tells_the_managers_of_its_partnership_in_their_language(
    mail_settings, smtp, session, make_user, mou, sonora, training, maria
):
    _manager(make_user, session, "ines@miambiente.gob.pa", "es", mou)
    _manager(make_user, session, "sam@arb.ca.gov", "en", mou)
    _manager(make_user, session, "otro@sonora.gob.mx", "es", sonora["partnership"])
    with tracker_with(mail_settings) as app, closing(TestClient(app)) as anon:
        path = _request(anon, mail_settings, maria)
        # A second one while the first is open adds nothing (the page no longer offers it; a resent form).
        again = anon.post(f"{path}/delete", data={"note": "Otra vez", "csrf_token": csrf_of(anon.get(path).text)})
        assert again.status_code == 200
        app.state.courier.wait()
    assert len(session.exec(select(DataRequest)).all()) == 1
    assert sorted(address for address, _ in ((m["To"].addresses[0].addr_spec, m) for _, m in smtp.inbox.messages)) == [
        "ines@miambiente.gob.pa", "sam@arb.ca.gov"
    ]  # fmt: skip
    for address, language in (("ines@miambiente.gob.pa", "es"), ("sam@arb.ca.gov", "en")):
        (message,) = smtp.inbox.to(address)
        subject = " ".join(str(message["Subject"]).split())  # a long encoded subject comes back folded
        assert subject == gettext_for(language)("A participant asks to be deleted from the MOU tracker")
        text = message.get_body(("plain",)).get_content()
        assert "http://testserver/data-requests" in text
        assert "María" not in text and "Ya no trabajo" not in text  # the notice outlives the name: it names nobody
    assert smtp.inbox.to("ines@miambiente.gob.pa")[0].get_body(("plain",)).get_content().startswith("Hola, Ines:")
    assert {m.kind for m in session.exec(select(OutboxMessage))} == {"data_request"}


def _words_in(text: str) -> list[str]:
    return [name for name in NAMES if name.casefold() in text.casefold()]


def test_anonymising_erases_her_everywhere_and_keeps_the_counts(
    settings, anon, session, client, manager, login, make_user, training, maria, tmp_path, app
):
    from tracker.storage import LocalFileStore

    app.state.file_store = LocalFileStore(tmp_path / "files")
    assert client.post(f"/api/v1/activities/{training.id}/held", json={"outcomes_en": "Done."}).status_code == 200
    assert client.post(f"/activities/{training.id}/certificates/issue").status_code == 200
    # She corrected her name once through her link (the trail names her as she was then), then asks.
    path = f"/my-data/{token_for(settings, maria)}"
    form = {
        "given_names": "Maria Jose",
        "surnames": "Rodríguez Batista",
        "organization": "MiAMBIENTE",
        "position": "Analista",
        "country": "PA",
        "language": "es",
        "csrf_token": csrf_of(anon.get(path).text),
    }
    assert anon.post(path, data=form, follow_redirects=False).status_code == 303  # fmt: skip
    _request(anon, settings, maria)
    indicators = f"/api/v1/partnerships/{SLUG}/indicators?lang=en"
    before = client.get(indicators).json()
    evaluation_before = client.get(f"/activities/{training.id}/roster").text.count("%")
    # The manager's list names her; the confirmation page says what will happen.
    listing = client.get("/data-requests")
    assert "Maria Jose Rodríguez Batista" in listing.text and "Ya no trabajo en el ministerio." in listing.text
    (request,) = session.exec(select(DataRequest)).all()
    confirm = client.get(f"/data-requests/{request.id}/anonymise")
    assert confirm.status_code == 200 and "Anonymise Maria Jose Rodríguez Batista?" in confirm.text
    sheet = {"person": {"given_names": "Maria Jose", "email": "maria@miambiente.gob.pa"}}
    session.add(ImportBatch(activity_id=training.id, filename="asistencia.csv", rows=[sheet]))
    session.commit()
    done = client.post(f"/data-requests/{request.id}/anonymise", follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/data-requests?done=anonymised"
    session.expire_all()
    # Her record: the marker, no contact, the aggregate dimensions kept.
    kept = session.get(Participant, maria.id)
    assert (kept.name, kept.given_names, kept.surnames, kept.email, kept.organization, kept.position) == (
        "[anonymised participant]", "", "", None, "", ""
    )  # fmt: skip
    assert (str(kept.sex), kept.country) == ("female", "PA")
    enrollment = session.exec(select(Enrollment).where(Enrollment.participant_id == maria.id)).one()
    assert (enrollment.status, enrollment.pre_score, enrollment.post_score, enrollment.satisfaction) == (
        "attended", 40, 80, 5
    )  # fmt: skip
    certificate = session.exec(select(Certificate).where(Certificate.enrollment_id == enrollment.id)).one()
    assert session.exec(select(ImportBatch)).first() is None  # the staged sheet that named her
    assert certificate.revoked_at is not None
    # Nowhere to be read: roster, its exports, the audit trail (page and stored), the report, the requests.
    admin = login(make_user("admin", email="admin@example.org"))
    for url in (f"/activities/{training.id}/roster", f"/activities/{training.id}/roster.csv",
                f"/activities/{training.id}/roster.csv?codes=1", f"/activities/{training.id}/certificates",
                f"/partnerships/{SLUG}/report.csv?from=2026-01-01&to=2026-12-31", "/data-requests"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200 and _words_in(response.text) == [], url
    assert "Anonymised participant" in client.get(f"/activities/{training.id}/roster?lang=en").text
    spanish_marker = gettext_for("es")("Anonymised participant")
    assert spanish_marker in client.get(f"/activities/{training.id}/roster?lang=es").text
    for language in ("en", "es"):
        trail = admin.get(f"/admin/audit?lang={language}")
        assert _words_in(trail.text) == [], language
    history = admin.get("/admin/audit?lang=en&entity=participant").text
    assert "anonymised" in history and "At the person&#39;s own request" in history
    stored = " ".join(str((e.actor_name, e.changes, e.reason)) for e in session.exec(select(AuditEvent)))
    assert _words_in(stored) == [], _words_in(stored)
    assert "Ya no trabajo" not in stored and session.get(DataRequest, request.id).note == ""
    assert (
        session.exec(select(OutboxMessage).where(OutboxMessage.to_address == "maria@miambiente.gob.pa")).first() is None
    )
    # Counts and indicators: the same, but for the breakdown by organization (she is "not recorded" there now).
    after = client.get(indicators).json()

    def without_organizations(result):
        for indicator in result["indicators"]:
            for period in indicator["periods"]:
                period["actual"] = [
                    a for a in period["actual"] if all(d["name"] != "organization" for d in a["dimensions"])
                ]
        return [i for i in result["indicators"] if i["code"] != "institutions_reached"]

    assert without_organizations(after) == without_organizations(before)
    assert client.get(f"/activities/{training.id}/roster").text.count("%") == evaluation_before
    # Her link is dead, the request closed, and who did it is recorded.
    assert anon.get(path).status_code == 404 and anon.get(f"{path}/delete").status_code == 404
    closed = session.get(DataRequest, request.id)
    assert (closed.outcome, closed.done_by) == ("anonymised", manager.id) and closed.done_at is not None
    verify = anon.get(f"/verify/{certificate.verify_token}?lang=en")
    assert "Anonymised participant" in verify.text and _words_in(verify.text) == []
    # Nothing left to do.
    assert client.post(f"/data-requests/{request.id}/anonymise").status_code == 409


def test_declining_needs_a_reason_and_keeps_it(settings, anon, session, client, training, maria):
    _request(anon, settings, maria)
    (request,) = session.exec(select(DataRequest)).all()
    page = client.get(f"/data-requests/{request.id}/decline")
    assert page.status_code == 200 and 'name="reason"' in page.text
    assert client.post(f"/data-requests/{request.id}/decline", data={"reason": "  "}).status_code == 422
    reason = "Her certificate must be kept until the audit of 2027 <b>ends</b>."
    response = client.post(f"/data-requests/{request.id}/decline", data={"reason": reason}, follow_redirects=False)
    assert response.status_code == 303
    session.expire_all()
    closed = session.get(DataRequest, request.id)
    assert closed.outcome == "declined" and session.get(Participant, maria.id).name == "María Rodríguez Batista"
    event = session.exec(
        select(AuditEvent).where(AuditEvent.entity == "data_request").order_by(AuditEvent.id.desc())
    ).first()
    assert event.reason == reason and event.changes["outcome"] == [None, "declined"]
    listing = client.get("/data-requests?lang=en").text
    assert "Declined" in listing and "<b>ends" not in listing
    # Her link still works: she may ask again.
    assert anon.get(f"/my-data/{token_for(settings, maria)}").status_code == 200


def test_a_manager_of_another_partnership_neither_sees_nor_acts_on_it(
    settings, anon, session, login, make_user, sonora, training, maria
):
    _request(anon, settings, maria)
    (request,) = session.exec(select(DataRequest)).all()
    other = login(make_user("manager", email="manager@sonora.gob.mx", partnership=sonora["partnership"]))
    assert "María" not in other.get("/data-requests").text
    for method, url in (("GET", "anonymise"), ("POST", "anonymise"), ("GET", "decline"), ("POST", "decline")):
        response = other.request(method, f"/data-requests/{request.id}/{url}", data={"reason": "No."})
        assert response.status_code == 404, (method, url)
    session.expire_all()
    assert session.get(DataRequest, request.id).done_at is None
    assert session.get(Participant, maria.id).name == "María Rodríguez Batista"
    # Sonora's own participant asks: Sonora's manager sees it, Panama's does not.
    _request(anon, settings, sonora["participant"])
    assert "Sonorense" in other.get("/data-requests").text
    panama = login(make_user("manager", email="panama@example.org"))
    assert "Sonorense" not in panama.get("/data-requests").text and "María" in panama.get("/data-requests").text


def test_a_person_without_an_account_is_anonymised_and_keeps_their_deliverables(
    settings, anon, session, client, make_person, make_deliverable, make_user, mou
):
    ana = make_person(name="Ana Pérez", email="ana@miambiente.gob.pa")
    deliverable = make_deliverable(owner_id=ana.id)
    _request(anon, settings, ana, "person")
    (request,) = session.exec(select(DataRequest)).all()
    assert client.post(f"/data-requests/{request.id}/anonymise", follow_redirects=False).status_code == 303
    session.expire_all()
    person = session.get(Person, ana.id)
    assert person.name == "[anonymised person]" and "ana@" not in person.email and not person.active
    assert deliverable.id and session.get(type(deliverable), deliverable.id).owner_id == ana.id
    stored = " ".join(str((e.actor_name, e.changes)) for e in session.exec(select(AuditEvent)))
    assert "Ana Pérez" not in stored and "ana@miambiente" not in stored
    assert "Ana Pérez" not in client.get(f"/deliverables/{deliverable.id}").text
    # Someone with an account is not anonymised from here: an administrator takes the access away first.
    user = make_user("partner", email="luis@miambiente.gob.pa", name="Luis Gómez")
    _request(anon, settings, user, "person")
    second = session.exec(select(DataRequest).where(DataRequest.person_id == user.id)).one()
    assert client.post(f"/data-requests/{second.id}/anonymise").status_code == 409
    session.expire_all()
    assert session.get(Person, user.id).name == "Luis Gómez"


def test_everything_works_without_javascript(settings, anon, training, maria):
    path = f"/my-data/{token_for(settings, maria)}"
    page = anon.get(path).text
    delete_link = re.search(r'<a class="button" href="([^"]+)">', page).group(1)
    assert delete_link == f"{path}/delete" and "hx-" not in page
    confirm = anon.get(delete_link).text
    assert re.search(rf'<form class="stacked" method="post" action="{re.escape(path)}/delete"', confirm)
    anon.post(f"{path}/delete", data={"note": "", "csrf_token": csrf_of(confirm)})
    assert "You asked us on" in anon.get(f"{path}?lang=en").text
    assert "Your request is open." in anon.get(f"{path}?lang=en").text
    assert "Send my request" not in anon.get(f"{path}/delete?lang=en").text

"""Each participant gets their certificate by email, in their language, with the PDF, through the outbox."""

from contextlib import closing
from io import BytesIO

from pypdf import PdfReader
from sqlmodel import select

from tests.certificates.conftest import certificates_of, issue
from tests.conftest import signed_in
from tests.mail.test_pipeline import tracker_with
from tracker.mail.render import render
from tracker.models import OutboxMessage


def _pdf_text(message) -> tuple[str, str]:
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    reader = PdfReader(BytesIO(attachment.get_content()))
    return attachment.get_filename(), " ".join(reader.pages[0].extract_text().split())


def test_each_participant_gets_their_certificate_over_smtp_in_their_language(
    mail_settings, smtp, session, manager, training, people, tmp_path
):
    settings = mail_settings.model_copy(update={"files_dir": tmp_path / "mail-files"})
    with tracker_with(settings) as app, closing(signed_in(app, session, manager)) as client:
        issue(client, training)
        response = client.post(f"/activities/{training.id}/certificates/send")
        app.state.courier.wait()
    assert "2 certificates are on their way by email." in response.text
    assert "No email address, so no email" in response.text and "Luis Gómez" in response.text
    numbers = {given: c.number for given, c in certificates_of(session).items()}
    ana, sam = smtp.inbox.to("ana@miambiente.gob.pa"), smtp.inbox.to("sam@arb.ca.gov")
    assert len(ana) == len(sam) == 1 and len(smtp.inbox.messages) == 2  # nobody else
    spanish, english = ana[0], sam[0]
    assert spanish["From"].addresses[0].display_name == "Seguimiento del MdE"  # signed in her language
    assert "Hola, Ana María Pérez Batista:" in spanish.get_body(("plain",)).get_content()
    assert "17–19 de noviembre de 2026" in spanish.get_body(("plain",)).get_content()
    assert english["Subject"] == "Your certificate: Carbon market design"
    body = english.get_body(("plain",)).get_content()
    assert numbers["Sam"] in body and "http://testserver/verify/" in body
    filename, text = _pdf_text(spanish)
    assert filename == f"{numbers['Ana María']}.pdf"
    assert "Ana María Pérez Batista" in text and "17–19 de noviembre de 2026" in text
    assert "Sam Lee" in _pdf_text(english)[1] and "November 17 – 19, 2026" in _pdf_text(english)[1]
    sent = session.exec(select(OutboxMessage)).all()
    assert {(m.kind, m.status, m.partnership_id, m.person_id) for m in sent} == {
        ("certificate", "sent", training.partnership_id, None)
    }
    assert sorted(m.language for m in sent) == ["en", "es"]


def test_sending_again_queues_nothing_new_unless_a_manager_resends_one(client, app, session, training, people):
    issue(client, training)
    client.post(f"/activities/{training.id}/certificates/send")
    again = client.post(f"/activities/{training.id}/certificates/send")
    assert "No email was sent." in again.text
    assert "2 certificates were emailed before and were not sent again" in again.text
    assert len(session.exec(select(OutboxMessage)).all()) == 2
    resent = client.post(f"/activities/{training.id}/certificates/{people['Sam'].id}/send")
    assert "1 certificate is on its way by email." in resent.text
    app.state.courier.wait()
    messages = session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert len(messages) == 3 and len({m.message_id for m in messages}) == 3
    assert [m.to_address for m in messages].count("sam@arb.ca.gov") == 2
    sam = certificates_of(session)["Sam"]
    assert sam.times_sent == 2 and sam.sent_at is not None
    assert "(2 times)" in client.get(f"/activities/{training.id}/certificates").text


def test_a_revoked_certificate_is_never_emailed(client, app, session, training, people):
    issue(client, training)
    page = client.get(f"/activities/{training.id}/certificates/{people['Sam'].id}/revoke")
    assert page.status_code == 200
    client.post(f"/activities/{training.id}/certificates/{people['Sam'].id}/revoke", data={"reason": "Mistake"})
    client.post(f"/activities/{training.id}/certificates/send")
    assert client.post(f"/activities/{training.id}/certificates/{people['Sam'].id}/send").status_code == 200
    app.state.courier.wait()
    assert [m.to_address for m in session.exec(select(OutboxMessage))] == ["ana@miambiente.gob.pa"]


def test_the_email_reads_as_its_recipient_reads(people):
    context = {"recipient": people["Sam"], "lang": "en", "base_url": "https://tracker.example.org",
               "title": "Carbon market design", "dates": "November 17 – 19, 2026", "number": "CM-2026-00002",
               "verify_url": "https://tracker.example.org/verify/abc"}  # fmt: skip
    email = render("certificate", context, "en")
    assert email.subject == "Your certificate: Carbon market design"
    assert email.text.startswith("Hello Sam Lee,\n\nAttached is your certificate of Carbon market design")
    assert (
        "https://tracker.example.org/verify/abc" in email.text
        and 'href="https://tracker.example.org/verify/abc"' in email.html
    )


def test_an_address_no_email_can_carry_is_reported_and_the_certificate_stays_unsent(
    client, app, session, training, people
):
    from sqlalchemy import update

    from tracker.models import Participant

    session.exec(update(Participant).where(Participant.id == people["Luis"].id).values(email="luis@"))  # by hand
    session.commit()
    issue(client, training)
    page = client.post(f"/activities/{training.id}/certificates/send").text
    assert "1 email address could not be used: correct it on the roster." in page
    assert "2 certificates are on their way by email." in page
    assert certificates_of(session)["Luis"].times_sent == 0
    app.state.courier.wait()

"""Every email leaves through the outbox and SMTP: queued with the change that causes it, sent right
after it commits, visible (and previewable) on the Outbox pages."""

import re
import subprocess
import sys
from contextlib import closing, contextmanager
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from tests.conftest import SLUG, signed_in
from tracker.accounts import service as account_service
from tracker.app import create_app
from tracker.models import OneTimeToken, OutboxMessage, Person, utcnow

PASSWORD = "nature based solutions for panama"


@contextmanager
def tracker_with(settings):
    """A second tracker on the same database, with these (mail) settings."""
    app = create_app(settings)
    try:
        yield app
    finally:
        app.state.courier.close()
        app.state.engine.dispose()


def link_in(message) -> str:
    body = message.get_body(("plain",)).get_content()
    return re.search(r"http://testserver(/password/set/\S+)", body).group(1)


def csrf_of(html: str) -> str:
    return html.split('name="csrf_token" value="')[1].split('"')[0]


INVITEE = {
    "name": "Luis Gómez",
    "email": "luis@miambiente.gob.pa",
    "role": "partner",
    "language": "es",
    "timezone": "America/Panama",
}


def test_an_invitation_arrives_at_the_smtp_server_at_once_with_a_working_link(
    mail_settings, smtp, session, make_user, mou
):
    with tracker_with(mail_settings) as app, closing(signed_in(app, session, make_user("admin"))) as admin:
        assert admin.post("/admin/users", data=INVITEE | {"partnership_id": mou.id}).status_code == 201
        app.state.courier.wait()  # no sweep runs: the courier sent it right after the commit
        ((recipients, invitation),) = smtp.inbox.messages
        assert recipients == ["luis@miambiente.gob.pa"]
        assert invitation["Subject"] == "Invitación al Seguimiento del MdE"  # in the invitee's language
        assert invitation["From"].addresses[0].display_name == "Seguimiento del MdE"  # signed in it too
        assert "Hola, Luis Gómez:" in invitation.get_body(("plain",)).get_content()
        with closing(TestClient(app)) as browser:
            path = link_in(invitation)
            page = browser.get(path)
            assert page.status_code == 200 and "Luis Gómez" in page.text
            data = {"password": PASSWORD, "password_again": PASSWORD, "csrf_token": csrf_of(page.text)}
            assert browser.post(path, data=data, follow_redirects=False).status_code == 303
            assert browser.get(path).status_code == 410  # used once
        sent = session.exec(select(OutboxMessage)).one()
        assert (sent.kind, sent.status, sent.partnership_id, sent.language) == ("invitation", "sent", mou.id, "es")


def test_a_password_reset_arrives_and_its_link_works_once(mail_settings, smtp, session, make_user):
    person = make_user("manager", email="sam@arb.ca.gov", name="Sam Lee", password="an old long passphrase here")
    with tracker_with(mail_settings) as app, closing(TestClient(app)) as browser:
        page = browser.get("/password/forgot")
        browser.post("/password/forgot", data={"email": "SAM@arb.ca.gov", "csrf_token": csrf_of(page.text)})
        app.state.courier.wait()
        ((recipients, reset),) = smtp.inbox.messages
        assert recipients == [person.email] and reset["Subject"] == "Reset your MOU tracker password"
        path = link_in(reset)
        form = browser.get(path)
        data = {"password": PASSWORD, "password_again": PASSWORD, "csrf_token": csrf_of(form.text)}
        assert browser.post(path, data=data, follow_redirects=False).status_code == 303
        assert browser.get(path).status_code == 410


def test_when_the_server_is_down_the_invitation_waits_for_the_sweep(mail_settings, smtp, session, make_user, engine):
    from tracker.reminders.sweep import sweep

    smtp.stop()
    with tracker_with(mail_settings) as app, closing(signed_in(app, session, make_user("admin"))) as admin:
        assert admin.post("/admin/users", data=INVITEE | {"role": "manager"}).status_code == 201
        app.state.courier.wait()
    waiting = session.exec(select(OutboxMessage)).one()
    assert waiting.status == "pending" and waiting.last_error  # the refused connection, said
    smtp.start()
    sweep(engine, mail_settings, now=waiting.next_attempt_at + timedelta(seconds=1))
    assert [recipients for recipients, _ in smtp.inbox.messages] == [["luis@miambiente.gob.pa"]]


def test_inviting_someone_who_has_an_account_says_so_and_issues_no_link(login, make_user, session, mou):
    admin = login(make_user("admin"))
    existing = make_user("partner", email="luis@miambiente.gob.pa")
    links = len(session.exec(select(OneTimeToken)).all())
    response = admin.post("/admin/users", data=INVITEE | {"partnership_id": mou.id})
    assert response.status_code == 409
    assert "luis@miambiente.gob.pa already has an account (Partner)" in response.text
    assert "Resend invitation" in response.text
    assert len(session.exec(select(OneTimeToken)).all()) == links
    assert session.exec(select(OutboxMessage)).all() == []
    assert session.get(Person, existing.id).role == "partner"


def test_an_admin_resends_an_invitation_and_only_the_new_link_works(login, make_user, app, anon, session):
    admin = login(make_user("admin"))
    admin.post("/admin/users", data=INVITEE | {"role": "manager"})
    person = session.exec(select(Person).where(Person.email == INVITEE["email"])).one()
    response = admin.post(f"/admin/users/{person.id}/invitation")
    assert response.status_code == 200 and "the earlier link no longer works" in response.text
    app.state.courier.wait()
    first, second = session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    from tracker.mail.outbox import parsed

    assert anon.get(link_in(parsed(first))).status_code == 410
    assert anon.get(link_in(parsed(second))).status_code == 200
    # Once the password is chosen, a new invitation is refused: "Forgot your password?" is the way.
    account_service.set_password(session, person=person, password=PASSWORD)
    session.commit()
    refused = admin.post(f"/admin/users/{person.id}/invitation")
    assert refused.status_code == 409 and "Forgot your password?" in refused.text


def test_the_outbox_page_lists_every_kind(login, make_user, app, session, mou, make_person, make_deliverable, engine):
    from tracker.reminders.sweep import sweep

    admin = login(make_user("admin"))
    admin.post("/admin/users", data=INVITEE | {"partnership_id": mou.id})
    owner = make_person(name="Ana", email="ana@miambiente.gob.pa", language="es")
    make_deliverable(owner_id=owner.id, due_on="2026-06-08")
    sweep(engine, app.state.settings, now=utcnow() + timedelta(days=400))  # long overdue: a digest
    app.state.courier.wait()
    page = admin.get("/admin/outbox")
    assert page.status_code == 200 and "Invitation" in page.text and "Daily digest" in page.text
    only = admin.get("/admin/outbox?kind=invitation")
    assert "Invitación al Seguimiento del MdE" in only.text and "Recordatorio" not in only.text


def test_managers_read_their_partnership_outbox_and_preview_a_message_without_its_secrets(
    login, make_user, app, session, mou
):
    admin = login(make_user("admin"))
    admin.post("/admin/users", data=INVITEE | {"partnership_id": mou.id})  # for this partnership
    admin.post("/admin/users", data=INVITEE | {"email": "chief@example.org", "role": "manager"})  # for admins only
    app.state.courier.wait()
    partner_invitation, manager_invitation = session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    manager = login(make_user("manager", email="m@example.org"))
    listing = manager.get(f"/partnerships/{SLUG}/outbox")
    assert listing.status_code == 200 and "luis@miambiente.gob.pa" in listing.text
    assert "chief@example.org" not in listing.text and "Retry" not in listing.text
    preview = manager.get(f"/outbox/{partner_invitation.id}")
    assert preview.status_code == 200 and "Invitación al Seguimiento del MdE" in preview.text
    assert "/password/set/•••" in preview.text
    token = re.search(r"/password/set/(\S+)", partner_invitation.raw.decode()).group(1)
    assert token not in preview.text
    body = manager.get(f"/outbox/{partner_invitation.id}/body.html")
    assert body.status_code == 200 and token not in body.text and "/password/set/•••" in body.text
    assert body.headers["content-security-policy"].startswith("sandbox")
    assert manager.get(f"/outbox/{manager_invitation.id}").status_code == 404
    assert login(make_user("partner")).get(f"/outbox/{partner_invitation.id}").status_code == 403
    assert admin.get(f"/outbox/{manager_invitation.id}").status_code == 200


def test_the_renderer_and_the_sweep_never_import_the_web_app():
    code = (
        "import sys, tracker.mail.render, tracker.reminders.sweep, tracker.reminders.scheduler;"
        "print(sorted(m for m in ('tracker.app', 'fastapi') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_mail_goes_over_tls_with_a_login_to_a_server_with_its_own_certificate_authority(
    security, settings, session, make_user, tmp_path
):
    import trustme

    from tests.smtp import SmtpServer

    authority = trustme.CA()
    server_context = __import__("ssl").create_default_context(__import__("ssl").Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1", "localhost").configure_cert(server_context)
    ca_file = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(ca_file))
    server = SmtpServer(tls=server_context, implicit_tls=security == "ssl", login=("tracker", "s3cret-relay"))
    server.start()
    try:
        tls_settings = settings.model_copy(
            update={"smtp_host": "127.0.0.1", "smtp_port": server.port, "smtp_security": security,
                    "smtp_username": "tracker", "smtp_password": "s3cret-relay", "smtp_ca_file": ca_file}
        )  # fmt: skip
        with tracker_with(tls_settings) as app, closing(signed_in(app, session, make_user("admin"))) as admin:
            admin.post("/admin/users", data=INVITEE | {"role": "manager"})
            app.state.courier.wait()
        assert [recipients for recipients, _ in server.inbox.messages] == [["luis@miambiente.gob.pa"]]
        # Without the authority, the certificate is refused: the message waits, with the reason.
        untrusted = tls_settings.model_copy(update={"smtp_ca_file": None})
        with tracker_with(untrusted) as app, closing(signed_in(app, session, make_user("admin"))) as admin:
            admin.post("/admin/users", data=INVITEE | {"role": "manager", "email": "other@example.org"})
            app.state.courier.wait()
        waiting = session.exec(select(OutboxMessage).where(OutboxMessage.to_address == "other@example.org")).one()
        assert waiting.status == "pending" and "CERTIFICATE_VERIFY_FAILED" in waiting.last_error
    finally:
        server.stop()

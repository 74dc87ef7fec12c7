"""`tracker mail test --to ADDRESS`: a test message through the SMTP settings, and the server's answer."""

import ssl

import pytest
from typer.testing import CliRunner

from tests.browser import free_port
from tests.smtp import SmtpServer
from tracker.cli import TEMPORARY_FAILURE, app

runner = CliRunner()


@pytest.fixture
def relay(smtp, monkeypatch):
    """The environment of a tracker that sends through `smtp` (plain SMTP on the loopback)."""
    for name, value in {
        "TRACKER_SMTP_HOST": "127.0.0.1",
        "TRACKER_SMTP_PORT": str(smtp.port),
        "TRACKER_SMTP_SECURITY": "none",
        "TRACKER_MAIL_FROM": "MOU tracker <tracker@arb.ca.gov>",
        "TRACKER_BASE_URL": "https://tracker.example.org",
        "TRACKER_SECRET_KEY": "not-the-development-one",
    }.items():
        monkeypatch.setenv(name, value)
    return smtp


def mail_test(*args: str):
    return runner.invoke(app, ["mail", "test", *args])


def test_it_prints_the_servers_answer_and_the_message_arrives_in_both_languages(relay):
    result = mail_test("--to", "Admin@MiAmbiente.gob.pa")
    assert result.exit_code == 0, result.output
    assert f"Sent to admin@miambiente.gob.pa through 127.0.0.1:{relay.port} (none)" in result.output
    assert "The server answered: 250 Message accepted" in result.output
    [(recipients, message)] = relay.inbox.messages
    assert recipients == ["admin@miambiente.gob.pa"]
    assert str(message["From"]) == "MOU tracker <tracker@arb.ca.gov>"
    assert str(message["To"]) == "admin@miambiente.gob.pa"
    assert str(message["Subject"]) == "MOU tracker: test message / Seguimiento del MdE: mensaje de prueba"
    assert message["Date"] and message["Message-ID"]
    body = message.get_body(("plain",)).get_content()
    assert "This is a test message from the MOU tracker at https://tracker.example.org." in body
    assert "Este es un mensaje de prueba del Seguimiento del MdE" in body


def test_a_recipient_the_server_refuses_is_reported_with_its_code_and_exit_1(relay):
    relay.inbox.unknown.add("nobody@miambiente.gob.pa")
    result = mail_test("--to", "nobody@miambiente.gob.pa")
    assert result.exit_code == 1
    assert f"Refused by 127.0.0.1:{relay.port} (none): 550 5.1.1 No such mailbox here" in result.output
    assert relay.inbox.messages == []


def test_a_busy_server_is_a_temporary_failure_with_its_answer(relay):
    relay.inbox.temporary_failures = 1
    result = mail_test("--to", "admin@miambiente.gob.pa")
    assert result.exit_code == TEMPORARY_FAILURE == 75
    assert "Temporary failure" in result.output and "451 4.3.0 Mail system busy, try again later" in result.output


def test_a_closed_port_is_a_temporary_failure(monkeypatch):
    monkeypatch.setenv("TRACKER_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("TRACKER_SMTP_PORT", str(free_port()))  # nothing listens there
    monkeypatch.setenv("TRACKER_SMTP_SECURITY", "none")
    result = mail_test("--to", "admin@miambiente.gob.pa")
    assert result.exit_code == TEMPORARY_FAILURE
    assert "Temporary failure" in result.output and "ConnectionRefusedError" in result.output


def test_without_an_smtp_host_it_says_so_and_exits_1(monkeypatch, tmp_path):
    monkeypatch.delenv("TRACKER_SMTP_HOST", raising=False)
    monkeypatch.setenv("TRACKER_MAIL_OUTBOX", str(tmp_path / "outbox"))
    result = mail_test("--to", "admin@miambiente.gob.pa")
    assert result.exit_code == 1
    assert "no SMTP server is configured (TRACKER_SMTP_HOST is not set)" in result.output
    assert str(tmp_path / "outbox") in result.output


@pytest.mark.parametrize("address", ["not an address", "josé@miambiente.gob.pa"])
def test_an_address_no_email_can_carry_is_refused_before_connecting(relay, address):
    result = mail_test("--to", address)
    assert result.exit_code == 2 and "not a valid email address" in result.output
    assert relay.inbox.attempts == 0 and relay.inbox.messages == []


def test_it_speaks_starttls_with_a_login_trusting_the_configured_authority(monkeypatch, tmp_path):
    import trustme

    authority = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    ca_file = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(ca_file))
    server = SmtpServer(tls=context, login=("tracker", "s3cret-relay"))
    server.start()
    try:
        for name, value in {
            "TRACKER_SMTP_HOST": "127.0.0.1",
            "TRACKER_SMTP_PORT": str(server.port),
            "TRACKER_SMTP_SECURITY": "starttls",
            "TRACKER_SMTP_USERNAME": "tracker",
            "TRACKER_SMTP_PASSWORD": "s3cret-relay",
            "TRACKER_SMTP_CA_FILE": str(ca_file),
        }.items():
            monkeypatch.setenv(name, value)
        result = mail_test("--to", "admin@miambiente.gob.pa")
        assert result.exit_code == 0, result.output
        assert "The server answered: 250 Message accepted" in result.output
        assert len(server.inbox.messages) == 1
        # Without the authority, the server's certificate is refused: nothing is sent, and it says why.
        monkeypatch.delenv("TRACKER_SMTP_CA_FILE")
        untrusted = mail_test("--to", "admin@miambiente.gob.pa")
        assert untrusted.exit_code == TEMPORARY_FAILURE and "CERTIFICATE_VERIFY_FAILED" in untrusted.output
        assert len(server.inbox.messages) == 1
    finally:
        server.stop()

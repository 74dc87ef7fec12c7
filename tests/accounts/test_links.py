from datetime import timedelta
from email import message_from_bytes, policy

import time_machine

from tracker.models import utcnow

PASSWORD = "nature based solutions for panama"


def _outbox(app):
    """The emails written so far, once the courier has sent what was queued (it works beside the request)."""
    app.state.courier.wait()
    folder = app.state.settings.mail_outbox
    messages = [message_from_bytes(p.read_bytes(), policy=policy.default) for p in folder.glob("*.eml")]
    return sorted(messages, key=lambda m: m["Date"])


def _link(message) -> str:
    body = message.get_body(("plain",)).get_content()
    return next(line for line in body.splitlines() if "/password/set/" in line).split("testserver")[1]


def _csrf(text: str) -> str:
    return text.split('name="csrf_token" value="')[1].split('"')[0]


def test_an_admin_invites_a_partner_who_sets_a_password_once(login, make_user, anon, settings, mou, app):
    for old in settings.mail_outbox.glob("*.eml"):
        old.unlink()
    admin = login(make_user("admin"))
    response = admin.post(
        "/admin/users",
        data={
            "name": "Luis Gómez",
            "email": "luis@miambiente.gob.pa",
            "role": "partner",
            "partnership_id": mou.id,
            "language": "es",
            "timezone": "America/Panama",
        },
    )
    assert response.status_code == 201 and "luis@miambiente.gob.pa" in response.text
    (invitation,) = _outbox(app)
    assert invitation["To"] == "Luis Gómez <luis@miambiente.gob.pa>"
    assert "MdE" in invitation["Subject"]  # in the invitee's language
    path = _link(invitation)
    page = anon.get(path)
    assert "Luis Gómez" in page.text
    data = {"password": PASSWORD, "password_again": PASSWORD, "csrf_token": _csrf(page.text)}
    assert anon.post(path, data=data, follow_redirects=False).status_code == 303
    assert "Luis Gómez" in anon.get("/").text  # signed in
    assert anon.get(path).status_code == 410  # used once


def test_a_partner_invitation_needs_a_partnership(login, make_user, engine):
    admin = login(make_user("admin"))
    response = admin.post("/admin/users", data={"name": "X", "email": "x@example.org", "role": "partner"})
    assert response.status_code == 422 and 'id="partnership_id-error"' in response.text


def test_an_invitation_expires_after_seven_days(make_user, anon, session):
    from tracker.accounts import service as account_service

    person = make_user("manager", email="late@example.org")
    token = account_service.issue_link(session, person=person, purpose="invitation", now=utcnow())
    session.commit()
    with time_machine.travel(timedelta(days=7, minutes=1)):
        assert anon.get(f"/password/set/{token}").status_code == 410


def test_a_password_reset_answers_alike_for_unknown_addresses_and_works_once(make_user, anon, settings, app):
    for old in settings.mail_outbox.glob("*.eml"):
        old.unlink()
    make_user("manager", email="ana@example.org", password="an old passphrase nobody guesses")
    answers = []
    for email in ("nobody@example.org", "ana@example.org"):
        page = anon.get("/password/forgot")
        answers.append(anon.post("/password/forgot", data={"email": email, "csrf_token": _csrf(page.text)}).text)
    assert answers[0].count("If an account exists") == answers[1].count("If an account exists") == 1
    (reset,) = _outbox(app)
    path = _link(reset)
    page = anon.get(path)
    data = {"password": PASSWORD, "password_again": PASSWORD, "csrf_token": _csrf(page.text)}
    assert anon.post(path, data=data, follow_redirects=False).status_code == 303
    data["csrf_token"] = _csrf(anon.get("/account").text)  # now signed in: the session's token
    assert anon.post(path, data=data, follow_redirects=False).status_code == 410


def test_the_first_admin_is_made_from_the_command_line(tmp_path, monkeypatch, mou, settings):
    from typer.testing import CliRunner

    from tracker.cli import app as cli

    monkeypatch.setenv("TRACKER_DATABASE_URL", settings.database_url)
    runner = CliRunner()
    refused = runner.invoke(
        cli,
        ["user", "create", "--email", "boss@example.org", "--role", "admin"],
        input="short\nshort\n" + PASSWORD + "\n" + PASSWORD + "\n",
    )
    assert refused.exit_code == 0 and "at least 12 characters" in refused.output
    linked = runner.invoke(cli, ["user", "create", "--email", "m@example.org", "--role", "manager", "--link"])
    assert linked.exit_code == 0 and "/password/set/" in linked.output
    bad = runner.invoke(cli, ["user", "create", "--email", "p@example.org", "--role", "partner"])
    assert bad.exit_code != 0 and "--partnership" in bad.output


def test_inviting_a_person_with_a_hostile_name_sends_a_harmless_invitation(login, make_user, settings, app):
    for old in settings.mail_outbox.glob("*.eml"):
        old.unlink()
    admin = login(make_user("admin"))
    name = "=?utf-8?q?Mallory=0D=0ABcc:_evil@evil.example?="
    response = admin.post(
        "/admin/users",
        data={"name": name, "email": "mallory@example.org", "role": "manager", "language": "en"},
    )
    assert response.status_code == 201
    (invitation,) = _outbox(app)
    (to,) = invitation["To"].addresses
    assert (to.display_name, to.addr_spec) == (name, "mallory@example.org")
    assert invitation["Bcc"] is None and "/password/set/" in _link(invitation)

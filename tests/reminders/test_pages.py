from datetime import UTC, datetime

import time_machine

from tracker.reminders.links import preferences_token
from tracker.reminders.sweep import sweep


def test_an_owner_without_a_login_changes_reminders_from_the_emailed_link(anon, settings, make_person, engine):
    person = make_person(email="owner@example.org", language="en", timezone="America/Panama")
    url = f"/reminders/{preferences_token(settings.secret_key, person.id)}"
    page = anon.get(url)
    assert page.status_code == 200 and "owner@example.org" in page.text
    csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    saved = anon.post(
        url, data={"reminder_mode": "each", "language": "es", "timezone": "America/Los_Angeles", "csrf_token": csrf}
    )
    assert saved.status_code == 200
    assert anon.get(url).text.count('value="each" selected') == 1
    forged = f"/reminders/{person.id}.{'0' * 32}"
    assert anon.get(forged).status_code == 404
    bad = anon.post(
        url, data={"reminder_mode": "hourly", "language": "fr", "timezone": "Mars/Base", "csrf_token": csrf}
    )
    assert bad.status_code == 422 and 'id="reminder_mode-error"' in bad.text and 'id="timezone-error"' in bad.text


def test_a_deliverable_page_shows_its_scheduled_and_sent_reminders(
    client, make_deliverable, make_person, engine, settings
):
    owner = make_person(email="owner@example.org", timezone="America/Panama")
    with time_machine.travel("2026-05-31T12:00:00Z", tick=False):
        deliverable = make_deliverable(owner_id=owner.id, due_on="2026-06-08")
    sweep(engine, settings, now=datetime(2026, 6, 1, 13, tzinfo=UTC))
    with time_machine.travel("2026-06-02T12:00:00Z", tick=False):
        page = client.get(f"/deliverables/{deliverable.id}").text
    section = page[page.index('id="reminders-title"') :]
    assert "Scheduled" in section and "Jun 7, 2026" in section and "Jun 8, 2026" in section
    assert "written to the outbox folder" in section  # the T-7 one, without an SMTP server


def test_admins_edit_the_rules_and_bad_values_are_refused(login, make_user, mou):
    admin = login(make_user("admin"))
    url = f"/admin/reminders/{mou.slug}"
    ok = admin.post(
        url, data={"deliverable_days": "10, 3", "activity_days": "2", "local_hour": "9", "on_due_date": "on"}
    )
    assert ok.status_code == 200 and 'value="10,3"' in ok.text
    bad = admin.post(url, data={"deliverable_days": "ten", "activity_days": "2", "local_hour": "25"})
    assert bad.status_code == 422 and f'id="deliverable_days-{mou.slug}-error"' in bad.text
    assert f'id="local_hour-{mou.slug}-error"' in bad.text


def test_rules_change_when_reminders_go_out(login, make_user, mou, make_deliverable, make_person, engine, settings):
    login(make_user("admin")).post(
        f"/admin/reminders/{mou.slug}", data={"deliverable_days": "3", "activity_days": "1", "local_hour": "10"}
    )
    owner = make_person(email="owner@example.org", timezone="America/Panama")
    with time_machine.travel("2026-05-31T12:00:00Z", tick=False):
        make_deliverable(owner_id=owner.id, due_on="2026-06-08")
    assert sweep(engine, settings, now=datetime(2026, 6, 5, 14, 59, tzinfo=UTC)).planned == 0
    assert sweep(engine, settings, now=datetime(2026, 6, 5, 15, 0, tzinfo=UTC)).planned == 1  # 10:00 in Panama


def test_remind_dry_run_prints_what_would_be_sent_and_sends_nothing(
    settings, monkeypatch, make_deliverable, make_person, session
):
    from typer.testing import CliRunner

    from tracker.cli import app as cli
    from tracker.models import Delivery

    owner = make_person(name="Ana", email="owner@example.org", timezone="America/Panama")
    with time_machine.travel("2026-05-31T12:00:00Z", tick=False):
        make_deliverable(owner_id=owner.id, due_on="2026-06-08")
    monkeypatch.setenv("TRACKER_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("TRACKER_MAIL_OUTBOX", str(settings.mail_outbox))
    result = CliRunner().invoke(cli, ["remind", "--dry-run", "--now", "2026-06-01T13:00:00Z"])
    assert result.exit_code == 0
    assert "2026-06-01T13:00:00+00:00  Ana <owner@example.org> [es, digest]  deliverable" in result.output
    assert session.exec(__import__("sqlmodel").select(Delivery)).all() == []
    ran = CliRunner().invoke(cli, ["remind", "--now", "2026-06-01T13:00:00Z"])
    assert ran.exit_code == 0 and "written 1" in ran.output
    assert CliRunner().invoke(cli, ["remind", "--now", "yesterday"]).exit_code != 0

"""Hostile titles and names reach the SMTP server harmless, and one recipient's problem stays theirs."""

from datetime import UTC, datetime

import pytest
import time_machine
from sqlmodel import select, update
from typer.testing import CliRunner

from tracker.cli import app as cli
from tracker.mail.headers import MAX_NAME, header_text
from tracker.mail.outbox import retry
from tracker.models import Deliverable, Delivery, OutboxMessage, Person
from tracker.reminders.sweep import sweep

REMIND_AT = datetime(2026, 6, 1, 13, 0, tzinfo=UTC)  # 08:00 in Panama, 7 days before the due date
# A reminder is multipart (text, HTML): these and no other headers at its top.
EXPECTED_HEADERS = sorted(["From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type"])
# (title of the deliverable, name of its owner), as a manager could type them.
HOSTILE = [
    ("=?utf-8?q?x=0D=0ABcc:_evil@evil.example?=", "Zoë <evil@evil.example>"),
    ("=?utf-8?q?x=0D=0AReply-To:_evil@evil.example?=", "=?utf-8?q?Mallory=0D=0A?="),
    ("=?utf-8?q?x=0D=0AContent-Type:_text/html?=", "=?utf-8?q?Mallory=0D=0ABcc:_evil@evil.example?="),
    ("Informe\u2028Bcc: evil@evil.example", "Zoë\u2028Bcc: evil@evil.example"),
    ("Informe\u2029Bcc: evil@evil.example", "Zoë\u2029Bcc: evil@evil.example"),
    ("Informe\x85Bcc: evil@evil.example", "Zoë\x85Bcc: evil@evil.example"),
    ('Hoja de ruta "MRV", fase <2>', 'Pérez, "Ana" <ana@evil.example>, evil@evil.example'),
    ("Medición " * 22, "Ñ" * 120),
]


def _owe(make_person, make_deliverable, *, name: str, email: str, title: str = "Hoja de ruta", session=None):
    """A person owing a deliverable due in a week. With `session`, the name and title are written as
    stored data (forms refuse line separators, but an older version or an SQL script may have left them)."""
    stored = session is not None
    owner = make_person(name="Placeholder" if stored else name, email=email, language="en", timezone="America/Panama")
    with time_machine.travel("2026-05-31T12:00:00Z", tick=False):
        deliverable = make_deliverable(
            owner_id=owner.id, due_on="2026-06-08", title_en="Placeholder" if stored else title
        )
    if stored:
        session.exec(update(Person).where(Person.id == owner.id).values(name=name))
        session.exec(update(Deliverable).where(Deliverable.id == deliverable.id).values(title_en=title))
        session.commit()
    return owner


@pytest.mark.parametrize("title, name", HOSTILE)
def test_a_reminder_carries_exactly_the_intended_headers_whatever_was_stored(
    engine, mail_settings, smtp, session, make_person, make_deliverable, title, name
):
    _owe(make_person, make_deliverable, name=name, email="zoe@example.org", title=title, session=session)
    assert sweep(engine, mail_settings, now=REMIND_AT).sent.sent == 1
    ((recipients, message),) = smtp.inbox.messages
    assert recipients == ["zoe@example.org"]  # the envelope: nobody else
    assert sorted(message.keys()) == EXPECTED_HEADERS
    (to,) = message["To"].addresses
    assert (to.display_name, to.addr_spec) == (header_text(name, MAX_NAME), "zoe@example.org")
    assert message["Subject"] == header_text(f"Reminder: {title}", 250)
    (sender,) = message["From"].addresses
    assert sender.addr_spec == "no-reply@localhost"


def test_one_poisoned_recipient_among_ten_fails_alone_and_says_why(
    engine, mail_settings, smtp, session, make_person, make_deliverable
):
    owners = [_owe(make_person, make_deliverable, name=f"Persona {n}", email=f"p{n}@example.org") for n in range(10)]
    # An address no header can carry, as an older version or a hand-written SQL update could leave it.
    session.exec(update(Person).where(Person.id == owners[3].id).values(email="mallory@@evil.example"))
    session.commit()
    report = sweep(engine, mail_settings, now=REMIND_AT)
    assert report.sent.sent == 9 and report.batched.failed == 1
    delivered = sorted(recipients[0] for recipients, _ in smtp.inbox.messages)
    assert delivered == sorted(f"p{n}@example.org" for n in range(10) if n != 3)
    failed = session.exec(select(OutboxMessage).where(OutboxMessage.status == "failed")).one()
    assert failed.person_id == owners[3].id and "mallory@@evil.example" in failed.last_error
    assert session.exec(select(Delivery.status).where(Delivery.person_id == owners[3].id)).all() == ["failed"]
    # The next sweep neither resends the nine nor stumbles on the tenth again.
    again = sweep(engine, mail_settings, now=REMIND_AT.replace(minute=5))
    assert again.sent.sent == 0 and again.batched.failed == 0 and len(smtp.inbox.messages) == 9


def test_the_outbox_page_shows_why_and_a_retry_after_the_fix_delivers(
    engine, mail_settings, smtp, session, make_person, make_deliverable, login, make_user
):
    owner = _owe(make_person, make_deliverable, name="Mallory", email="mallory@example.org")
    session.exec(update(Person).where(Person.id == owner.id).values(email="mallory at example"))
    session.commit()
    sweep(engine, mail_settings, now=REMIND_AT)
    page = login(make_user("admin")).get("/admin/outbox?status=failed")
    assert page.status_code == 200 and "mallory at example" in page.text and "is not an email address" in page.text
    failed = session.exec(select(OutboxMessage).where(OutboxMessage.status == "failed")).one()
    session.exec(update(Person).where(Person.id == owner.id).values(email="mallory@example.org"))
    assert retry(session, message_id=failed.id, now=REMIND_AT)
    session.commit()
    assert sweep(engine, mail_settings, now=REMIND_AT.replace(minute=10)).sent.sent == 1
    assert smtp.inbox.messages[0][0] == ["mallory@example.org"]


def test_an_international_domain_travels_as_the_dns_knows_it(
    engine, mail_settings, smtp, session, make_person, make_deliverable
):
    _owe(make_person, make_deliverable, name="Ana", email="ana@example.org")
    _owe(make_person, make_deliverable, name="Ana Ñ", email="ana@educación.pa")
    report = sweep(engine, mail_settings, now=REMIND_AT)
    # The domain travels as the DNS knows it (IDNA): both are delivered.
    assert report.sent.sent == 2
    assert sorted(r[0] for r, _ in smtp.inbox.messages) == ["ana@example.org", "ana@xn--educacin-13a.pa"]


def test_tracker_remind_succeeds_while_one_recipient_is_poisoned(
    settings, monkeypatch, session, make_person, make_deliverable
):
    good = _owe(make_person, make_deliverable, name="Ana", email="ana@example.org")
    bad = _owe(make_person, make_deliverable, name="Mallory", email="mallory@example.org")
    session.exec(update(Person).where(Person.id == bad.id).values(email="=?utf-8?q?Mallory=0D=0A?="))
    session.commit()
    monkeypatch.setenv("TRACKER_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("TRACKER_MAIL_OUTBOX", str(settings.mail_outbox))
    result = CliRunner().invoke(cli, ["remind", "--now", "2026-06-01T13:00:00Z"])
    assert result.exit_code == 0, result.output
    assert "written 1" in result.output and "failed 1" in result.output
    statuses = dict(session.exec(select(Delivery.person_id, Delivery.status)).all())
    assert statuses == {good.id: "written", bad.id: "failed"}

import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from icalendar import Calendar
from sqlmodel import select

from tracker.db import make_engine
from tracker.models import Delivery, OutboxMessage
from tracker.reminders.sweep import sweep


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC) if "+" not in text else datetime.fromisoformat(text)


@pytest.fixture
def owner(make_person):
    return make_person(name="Ana Pérez", email="ana@miambiente.gob.pa", language="es", timezone="America/Panama")


def _deliverable(make_deliverable, owner, due_on: str, created: str = "2026-05-31T12:00:00Z", **extra):
    """A deliverable logged at `created` (moments before it was logged are not reminded)."""
    extra.setdefault("title_es", extra.get("title_en", "Hoja de ruta MRV"))
    with time_machine.travel(created, tick=False):
        return make_deliverable(owner_id=owner.id, due_on=due_on, **extra)


def test_a_spanish_owner_in_panama_gets_one_spanish_email_at_8_panama_time(
    engine, mail_settings, smtp, make_deliverable, owner
):
    _deliverable(make_deliverable, owner, "2026-06-08")
    assert sweep(engine, mail_settings, now=at("2026-06-01T12:59:59")).sent.sent == 0
    report = sweep(engine, mail_settings, now=at("2026-06-01T13:00:00"))  # 08:00 in Panama
    assert report.sent.sent == 1
    (message,) = smtp.inbox.to("ana@miambiente.gob.pa")
    assert message["Date"] == "Mon, 01 Jun 2026 13:00:00 -0000"
    assert message["Subject"].startswith("Recordatorio")
    body = message.get_body(("plain",)).get_content()
    assert "Hola, Ana Pérez:" in body and "Hoja de ruta MRV" in body and "8 jun 2026" in body
    assert "http://testserver/deliverables/" in body and "http://testserver/reminders/" in body
    html = message.get_body(("html",)).get_content()
    assert "Hoja de ruta MRV" in html and '<a href="http://testserver/deliverables/' in html
    sweep(engine, mail_settings, now=at("2026-06-01T13:05:00"))
    assert len(smtp.inbox.to("ana@miambiente.gob.pa")) == 1


@pytest.mark.parametrize(
    "due_on, moment",
    [
        ("2026-03-14", "2026-03-07T16:00:00"),  # T-7 on the Saturday before spring forward: 08:00 PST
        ("2026-03-16", "2026-03-09T15:00:00"),  # T-7 on the Monday after: 08:00 PDT
        ("2026-11-07", "2026-10-31T15:00:00"),  # the Saturday before fall back: 08:00 PDT
        ("2026-11-09", "2026-11-02T16:00:00"),  # the Monday after: 08:00 PST
    ],
)
def test_a_california_owner_gets_it_at_8_pacific_on_both_sides_of_each_dst_change(
    engine, mail_settings, smtp, make_deliverable, make_person, due_on, moment
):
    owner = make_person(name="Sam", email="sam@arb.ca.gov", language="en", timezone="America/Los_Angeles")
    _deliverable(make_deliverable, owner, due_on, created=(at(moment) - timedelta(days=2)).isoformat())
    just_before = at(moment) - timedelta(seconds=1)
    assert sweep(engine, mail_settings, now=just_before).sent.sent == 0
    assert sweep(engine, mail_settings, now=at(moment)).sent.sent == 1
    assert smtp.inbox.to("sam@arb.ca.gov")[0]["Subject"].startswith("Reminder")


def test_repeated_restarted_and_concurrent_sweeps_send_each_reminder_once(
    database_url, engine, mail_settings, smtp, make_deliverable, make_person
):
    people = [make_person(name=f"P{i}", email=f"p{i}@example.org", timezone="America/Panama") for i in range(6)]
    for person in people:
        _deliverable(make_deliverable, person, "2026-06-08")
    now = at("2026-06-01T13:00:00")
    sweep(engine, mail_settings, now=now)
    sweep(engine, mail_settings, now=now + timedelta(minutes=1))
    restarted = make_engine(database_url)  # a new process's engine
    sweep(restarted, mail_settings, now=now + timedelta(minutes=2))
    restarted.dispose()
    # The next moment (T-1), swept by four threads at once.
    barrier = threading.Barrier(4)
    errors = []

    def run():
        try:
            barrier.wait()
            sweep(engine, mail_settings, now=at("2026-06-07T13:00:00"))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for person in people:
        assert len(smtp.inbox.to(person.email)) == 2  # T-7 and T-1, each once
    assert len(smtp.inbox.messages) == 12


def test_refusals_and_451s_are_retried_with_backoff_until_each_arrives_once(
    engine, mail_settings, smtp, make_deliverable, owner, client, session
):
    _deliverable(make_deliverable, owner, "2026-06-08")
    smtp.stop()  # connection refused
    now = at("2026-06-01T13:00:00")
    report = sweep(engine, mail_settings, now=now)
    assert report.sent.retrying == 1
    assert client.get("/").status_code == 200  # the pages do not care
    message = session.exec(select(OutboxMessage)).one()
    first_wait = message.next_attempt_at - now
    assert timedelta(seconds=30) <= first_wait <= timedelta(seconds=90) and "Connection" in message.last_error
    smtp.start()
    smtp.inbox.temporary_failures = 2
    waits = []
    moment = message.next_attempt_at
    for _ in range(3):
        sweep(engine, mail_settings, now=moment)
        session.refresh(message)
        if message.status != "pending":
            break
        waits.append(message.next_attempt_at - moment)
        moment = message.next_attempt_at
    assert message.status == "sent" and message.attempts == 4
    # Doubling waits (jitter ±50%): about 2 minutes, then 4.
    assert timedelta(minutes=1) <= waits[0] <= timedelta(minutes=3)
    assert timedelta(minutes=2) <= waits[1] <= timedelta(minutes=6)
    assert len(smtp.inbox.to(owner.email)) == 1


def test_after_48_hours_without_sweeps_each_person_gets_one_digest_with_everything(
    engine, mail_settings, smtp, make_deliverable, owner, make_person
):
    other = make_person(name="Luis", email="luis@example.org", timezone="America/Los_Angeles")
    for due_on in ("2026-06-08", "2026-06-09", "2026-06-02"):  # T-7, T-7 next day, T-1
        _deliverable(make_deliverable, owner, due_on, title_en=f"Report {due_on}")
    _deliverable(make_deliverable, other, "2026-06-09", title_en="Luis report")
    sweep(engine, mail_settings, now=at("2026-05-31T12:00:00"))  # the last sweep before the outage
    assert smtp.inbox.messages == []
    sweep(engine, mail_settings, now=at("2026-06-02T16:00:00"))  # 52 hours later
    (digest,) = smtp.inbox.to(owner.email)
    body = digest.get_body(("plain",)).get_content()
    assert all(f"Report {d}" in body for d in ("2026-06-08", "2026-06-09", "2026-06-02"))
    assert len(smtp.inbox.to("luis@example.org")) == 1
    sweep(engine, mail_settings, now=at("2026-06-02T16:30:00"))
    assert len(smtp.inbox.messages) == 2


def test_a_550_recipient_fails_after_one_attempt_and_shows_on_the_outbox_page(
    engine, mail_settings, smtp, make_deliverable, owner, login, make_user, session
):
    smtp.inbox.unknown.add(owner.email)
    _deliverable(make_deliverable, owner, "2026-06-08")
    report = sweep(engine, mail_settings, now=at("2026-06-01T13:00:00"))
    assert report.sent.failed == 1
    message = session.exec(select(OutboxMessage)).one()
    assert message.status == "failed" and message.attempts == 1 and message.last_error.startswith("550")
    sweep(engine, mail_settings, now=at("2026-06-02T13:00:00"))
    session.refresh(message)
    assert message.attempts == 1
    page = login(make_user("admin")).get("/admin/outbox").text
    assert "550 5.1.1 No such mailbox here" in page and owner.email in page


def test_accepting_before_the_reminder_sends_nothing_and_a_moved_date_moves_it(
    engine, mail_settings, smtp, make_deliverable, owner, client
):
    accepted = _deliverable(
        make_deliverable,
        owner,
        "2026-06-08",
        title_en="Accepted early",
        evidence_url="https://example.org/evidence.pdf",
    )
    moved = _deliverable(make_deliverable, owner, "2026-06-08", title_en="Moved")
    with time_machine.travel("2026-05-30T12:00:00Z", tick=False):
        for status in ("submitted", "accepted"):
            client.post(f"/api/v1/deliverables/{accepted.id}/status", json={"status": status})
        moving = {"due_on": "2026-06-20", "version": moved.version, "reason": "Waiting for data"}
        client.patch(f"/api/v1/deliverables/{moved.id}", json=moving)
    assert sweep(engine, mail_settings, now=at("2026-06-01T13:00:00")).sent.sent == 0  # neither T-7 of June 8
    sweep(engine, mail_settings, now=at("2026-06-06T13:00:00"))  # T-14 of the new date
    (message,) = smtp.inbox.to(owner.email)
    assert "Moved" in message.get_body(("plain",)).get_content()


def test_a_pending_reminder_is_dropped_in_the_same_transaction_as_the_acceptance(
    engine, settings, make_deliverable, owner, client, session
):
    smtp_down = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": 1, "smtp_security": "none"})
    deliverable = _deliverable(make_deliverable, owner, "2026-06-08")
    sweep(engine, smtp_down, now=at("2026-06-01T13:00:00"))  # queued, waiting for the server
    client.post(f"/api/v1/deliverables/{deliverable.id}/status", json={"status": "cancelled"})
    session.expire_all()
    assert [d.status for d in session.exec(select(Delivery))] == ["dropped"]
    assert session.exec(select(OutboxMessage.status)).one() == "dropped"


def test_activity_reminders_go_to_the_people_responsible_with_a_calendar_file(
    engine, mail_settings, smtp, make_activity, make_person
):
    facilitator = make_person(name="Sam", email="sam@arb.ca.gov", language="en", timezone="America/Los_Angeles")
    with time_machine.travel("2026-07-05T12:00:00Z", tick=False):
        activity = make_activity(
            start_local="2026-07-15T09:00", end_local="2026-07-15T17:00", responsible_ids=[facilitator.id]
        )
    sweep(engine, mail_settings, now=at("2026-07-08T15:00:00"))  # 08:00 PDT, 7 days before
    (message,) = smtp.inbox.to("sam@arb.ca.gov")
    body = message.get_body(("plain",)).get_content()
    assert "MRV workshop" in body and "7:00\u202fAM" in body and "PDT" in body and "Panama Time" in body
    (attachment,) = list(message.iter_attachments())
    calendar = Calendar.from_ical(attachment.get_content())
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"activity-{activity.id}@mou-tracker"
    assert event.decoded("DTSTART").tzinfo.key == "America/Panama" and calendar.walk("VTIMEZONE")
    assert calendar.walk("VALARM")


@pytest.mark.parametrize("mode, expected", [("digest", 1), ("each", 2), ("none", 0)])
def test_each_person_chooses_a_digest_one_email_each_or_none(
    engine, mail_settings, smtp, make_deliverable, make_person, mode, expected, session
):
    person = make_person(email="m@example.org", timezone="America/Panama")
    person.reminder_mode = mode
    session.add(person)
    session.commit()
    _deliverable(make_deliverable, person, "2026-06-08")
    _deliverable(make_deliverable, person, "2026-06-08", title_en="Second")
    sweep(engine, mail_settings, now=at("2026-06-01T13:00:00"))
    assert len(smtp.inbox.to("m@example.org")) == expected


def test_a_digest_goes_out_at_most_once_a_day(
    engine, mail_settings, smtp, make_deliverable, make_activity, owner, client
):
    _deliverable(make_deliverable, owner, "2026-06-08")
    with time_machine.travel("2026-06-01T10:00:00Z", tick=False):
        activity = make_activity(start_local="2026-06-08T09:00", end_local="2026-06-08T12:00")
    sweep(engine, mail_settings, now=at("2026-06-01T13:00:00"))
    assert len(smtp.inbox.to(owner.email)) == 1
    with time_machine.travel("2026-06-01T15:00:00Z", tick=False):  # made responsible later that day
        client.patch(f"/api/v1/activities/{activity.id}", json={"responsible_ids": [owner.id], "version": 1})
    sweep(engine, mail_settings, now=at("2026-06-01T16:00:00"))
    sweep(engine, mail_settings, now=at("2026-06-02T05:01:00"))  # 00:01 in Panama: not a sensible hour
    assert len(smtp.inbox.to(owner.email)) == 1
    sweep(engine, mail_settings, now=at("2026-06-02T13:00:00"))  # 08:00 the next day
    (_, second) = smtp.inbox.to(owner.email)
    assert "MRV workshop" in second.get_body(("plain",)).get_content()


def test_without_an_smtp_server_messages_are_written_as_eml_files(engine, settings, make_deliverable, owner, session):
    for old in settings.mail_outbox.glob("digest-*.eml"):
        old.unlink()
    _deliverable(make_deliverable, owner, "2026-06-08")
    assert sweep(engine, settings, now=at("2026-06-01T13:00:00")).sent.written == 1
    (written,) = settings.mail_outbox.glob("digest-*.eml")
    assert b"Hoja de ruta MRV" in written.read_bytes() or b"Hoja de ruta MRV" in written.read_bytes()
    assert session.exec(select(OutboxMessage.status)).one() == "written"


def test_the_message_id_is_derived_from_the_delivery_key(engine, mail_settings, smtp, make_deliverable, owner, session):
    _deliverable(make_deliverable, owner, "2026-06-08")
    sweep(engine, mail_settings, now=at("2026-06-01T13:00:00"))
    (message,) = smtp.inbox.to(owner.email)
    from tracker.reminders.emails import message_id_for

    assert message["Message-ID"] == message_id_for(list(session.exec(select(Delivery))))


def test_a_message_left_sending_by_a_crash_is_sent_after_its_lease_expires(
    engine, mail_settings, smtp, make_deliverable, owner, session
):
    _deliverable(make_deliverable, owner, "2026-06-08")
    smtp.stop()
    sweep(engine, mail_settings, now=at("2026-06-01T13:00:00"))  # queued; the server was down
    message = session.exec(select(OutboxMessage)).one()
    # A sender took the lease and died before finishing.
    message.status, message.lease_until = "sending", at("2026-06-01T13:10:00")
    session.commit()
    smtp.start()
    assert sweep(engine, mail_settings, now=at("2026-06-01T13:09:00")).sent.sent == 0  # lease still held
    assert sweep(engine, mail_settings, now=at("2026-06-01T13:10:01")).sent.sent == 1
    assert len(smtp.inbox.to(owner.email)) == 1

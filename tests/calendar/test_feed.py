from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from icalendar import Calendar
from sqlalchemy import update
from sqlmodel import select

from tests.calendar.readers import READERS, starts
from tests.conftest import SLUG
from tracker.calendar.feed import build_calendar
from tracker.models import Activity, Deliverable, DeliverableStatus
from tracker.reminders.emails import calendar_for as reminder_calendar
from tracker.reminders.sweep import sweep


def _share(login, make_user, session, mou) -> str:
    admin = login(make_user("admin"))
    assert admin.post(f"/admin/partnerships/{SLUG}/calendar", follow_redirects=False).status_code == 303
    session.refresh(mou)
    return mou.calendar_token


def test_the_feed_holds_activities_in_their_zone_and_deadlines_all_day(
    anon, login, make_user, session, mou, make_activity, make_deliverable
):
    activity = make_activity(start_local="2026-03-10T09:00", end_local="2026-03-10T17:00")
    deliverable = make_deliverable(due_on="2026-06-30")
    token = _share(login, make_user, session, mou)
    response = anon.get(f"/calendar/{token}.ics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    workshop = events[f"activity-{activity.id}@mou-tracker"]
    assert workshop.decoded("DTSTART").tzinfo.key == "America/Panama"
    assert workshop.decoded("DTSTART").hour == 9
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["America/Panama"]
    deadline = events[f"deliverable-{deliverable.id}@mou-tracker"]
    assert deadline["DTSTART"].params.get("VALUE") == "DATE" or not hasattr(deadline.decoded("DTSTART"), "hour")
    assert calendar.walk("VALARM")


def test_an_updated_activity_keeps_its_uid_with_a_higher_sequence(
    anon, client, login, make_user, session, mou, make_activity
):
    activity = make_activity()
    token = _share(login, make_user, session, mou)
    before = Calendar.from_ical(anon.get(f"/calendar/{token}.ics").content).walk("VEVENT")[0]
    client.post(f"/api/v1/activities/{activity.id}/confirm")
    after = Calendar.from_ical(anon.get(f"/calendar/{token}.ics").content).walk("VEVENT")[0]
    assert before["UID"] == after["UID"] and int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after["STATUS"] == "CONFIRMED"


def test_an_area_feed_holds_only_that_area(anon, login, make_user, session, mou, make_activity, area):
    make_activity(title_en="MRV only")
    token = _share(login, make_user, session, mou)
    other = next(a for a in mou.areas if a.id != area.id)
    assert len(Calendar.from_ical(anon.get(f"/calendar/{token}/areas/{area.slug}.ics").content).walk("VEVENT")) == 1
    assert Calendar.from_ical(anon.get(f"/calendar/{token}/areas/{other.slug}.ics").content).walk("VEVENT") == []


def test_a_replaced_or_revoked_address_stops_at_once(anon, login, make_user, session, mou):
    old = _share(login, make_user, session, mou)
    new = _share(login, make_user, session, mou)
    assert old != new and anon.get(f"/calendar/{old}.ics").status_code == 404
    login(make_user("admin", email="a2@example.org")).post(f"/admin/partnerships/{SLUG}/calendar/revoke")
    assert anon.get(f"/calendar/{new}.ics").status_code == 404
    assert anon.get("/calendar/.ics").status_code == 404


def test_the_month_view_shows_activities_and_deadlines(client, make_activity, make_deliverable):
    make_activity(title_en="March workshop", start_local="2026-03-10T09:00", end_local="2026-03-10T17:00")
    make_deliverable(title_en="March report", due_on="2026-03-31")
    page = client.get(f"/partnerships/{SLUG}/calendar?month=2026-03")
    assert page.status_code == 200 and "March 2026" in page.text
    assert "March workshop" in page.text and "Due: March report" in page.text
    assert 'href="?month=2026-02"' in page.text and 'href="?month=2026-04"' in page.text
    spanish = client.get(f"/partnerships/{SLUG}/calendar?month=2026-03&lang=es").text
    assert "marzo de 2026" in spanish
    assert client.get(f"/partnerships/{SLUG}/calendar?month=garbage").status_code == 200


DST_DAYS = [  # a day on each side of each change, and Los Angeles' offset from UTC that day
    ("2026-03-07", -8),
    ("2026-03-09", -7),  # the change was on Sunday 8 March 2026
    ("2026-10-31", -7),
    ("2026-11-02", -8),  # and back on Sunday 1 November
    ("2027-03-08", -8),
    ("2027-03-15", -7),  # Sunday 14 March 2027
    ("2027-11-06", -7),
    ("2027-11-08", -8),  # Sunday 7 November 2027
]


@pytest.fixture
def workshops(make_activity) -> dict[str, datetime]:
    """A 09:00 workshop in Los Angeles and one in Panama on each of those days: their UIDs and UTC starts."""
    expected = {}
    for day, offset in DST_DAYS:
        for zone, hours in (("America/Los_Angeles", offset), ("America/Panama", -5)):
            activity = make_activity(
                title_en=f"Workshop {day} {zone}",
                start_local=f"{day}T09:00",
                end_local=f"{day}T11:00",
                timezone=zone,
                confirm_outside_term=True,
            )
            start = datetime.fromisoformat(f"{day}T09:00").replace(tzinfo=UTC) - timedelta(hours=hours)
            expected[f"activity-{activity.id}@mou-tracker"] = start
    return expected


def _feed(kind, anon, login, make_user, session, mou, area, settings) -> bytes:
    if kind == "attachment":
        return reminder_calendar(list(session.exec(select(Activity))), settings)
    token = _share(login, make_user, session, mou)
    url = f"/calendar/{token}.ics" if kind == "partnership" else f"/calendar/{token}/areas/{area.slug}.ics"
    response = anon.get(url)
    assert response.status_code == 200
    return response.content


@pytest.mark.parametrize("kind", ["partnership", "area", "attachment"])
def test_every_reader_reads_each_workshop_at_its_utc_instant_on_both_sides_of_each_dst_change(
    kind, workshops, anon, login, make_user, session, mou, area, settings
):
    body = _feed(kind, anon, login, make_user, session, mou, area, settings)
    for reader in READERS:
        assert starts(body)[reader] == workshops, reader
    calendar = Calendar.from_ical(body)
    assert sorted(str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")) == ["America/Los_Angeles", "America/Panama"]
    assert b"RDATE" not in body
    by_uid = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    la = next(uid for uid, e in by_uid.items() if str(e["SUMMARY"]) == "Workshop 2027-03-15 America/Los_Angeles")
    assert workshops[la] == datetime(2027, 3, 15, 16, 0, tzinfo=UTC)


def test_the_reminder_attachment_is_the_feed_s_own_event_in_utf_8(
    engine, mail_settings, smtp, anon, login, make_user, session, mou, make_activity, make_person
):
    facilitator = make_person(name="Sam", email="sam@arb.ca.gov", language="es", timezone="America/Los_Angeles")
    with time_machine.travel("2027-03-01T12:00:00Z", tick=False):
        activity = make_activity(
            title_en="MRV workshop",
            title_es="Taller MRV en Panamá",
            start_local="2027-03-15T09:00",
            end_local="2027-03-15T17:00",
            timezone="America/Los_Angeles",
            responsible_ids=[facilitator.id],
        )
    sweep(engine, mail_settings, now=datetime(2027, 3, 8, 16, 0, tzinfo=UTC))  # 08:00 PST, 7 days before
    (message,) = smtp.inbox.to("sam@arb.ca.gov")
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("charset") == "utf-8" and attachment.get_param("method") == "PUBLISH"
    assert attachment.get_filename() == "activities.ics"
    body = attachment.get_content().encode()
    assert "Taller MRV en Panamá" in body.decode() and "MRV workshop" not in body.decode()  # the reader's language
    uid = f"activity-{activity.id}@mou-tracker"
    for reader in READERS:
        assert starts(body)[reader] == {uid: datetime(2027, 3, 15, 16, 0, tzinfo=UTC)}, reader
    (sent,) = Calendar.from_ical(body).walk("VEVENT")
    token = _share(login, make_user, session, mou)
    spanish = anon.get(f"/calendar/{token}.ics?lang=es").content
    feed = {str(e["UID"]): e for e in Calendar.from_ical(spanish).walk("VEVENT")}
    assert sent.to_ical() == feed[uid].to_ical()  # one builder: the same UID, SEQUENCE, alarm and all


def _events(anon, token) -> dict:
    return {str(e["UID"]): e for e in Calendar.from_ical(anon.get(f"/calendar/{token}.ics").content).walk("VEVENT")}


def test_an_accepted_deliverable_says_when_and_stops_alarming(
    anon, client, login, make_user, session, mou, make_deliverable
):
    accepted = make_deliverable(
        title_en="MRV roadmap", due_on="2026-06-30", evidence_url="https://example.org/evidence.pdf"
    )
    pending = make_deliverable(title_en="Registry design", due_on="2026-09-30")
    assert client.post(f"/api/v1/deliverables/{accepted.id}/status", json={"status": "submitted"}).status_code == 200
    response = client.post(
        f"/api/v1/deliverables/{accepted.id}/status", json={"status": "accepted", "completed_on": "2026-06-25"}
    )
    assert response.status_code == 200
    events = _events(anon, _share(login, make_user, session, mou))
    done = events[f"deliverable-{accepted.id}@mou-tracker"]
    assert str(done["SUMMARY"]) == "✓ Accepted: MRV roadmap"
    assert str(done["DESCRIPTION"]) == "Deliverable accepted on Jun 25, 2026."
    assert done.walk("VALARM") == [] and "STATUS" not in done
    due = events[f"deliverable-{pending.id}@mou-tracker"]
    assert str(due["SUMMARY"]) == "⏰ Registry design" and due.walk("VALARM")


def test_a_cancelled_deliverable_is_cancelled_without_an_alarm(
    anon, client, login, make_user, session, mou, make_deliverable
):
    cancelled = make_deliverable(title_en="MRV roadmap", due_on="2026-06-30")
    assert client.post(f"/api/v1/deliverables/{cancelled.id}/status", json={"status": "cancelled"}).status_code == 200
    event = _events(anon, _share(login, make_user, session, mou))[f"deliverable-{cancelled.id}@mou-tracker"]
    assert str(event["STATUS"]) == "CANCELLED" and event.walk("VALARM") == []
    assert str(event["SUMMARY"]) == "Cancelled: MRV roadmap"


def test_it_tells_a_spanish_reader_that_a_deliverable_was_accepted():
    deliverable = Deliverable(
        id=7,
        area_id=1,
        title_en="MRV roadmap",
        title_es="Hoja de ruta MRV",
        due_on=date(2026, 6, 30),
        status=DeliverableStatus.accepted,
        completed_on=date(2026, 6, 25),
        version=3,
        updated_at=datetime(2026, 6, 25, 15, 0, tzinfo=UTC),
    )
    body = build_calendar(activities=[], deliverables=[deliverable], base_url="http://testserver", language="es")
    (event,) = Calendar.from_ical(body).walk("VEVENT")
    assert str(event["SUMMARY"]) == "✓ Aceptado: Hoja de ruta MRV"
    assert str(event["DESCRIPTION"]) == "Entregable aceptado el 25 jun 2026."
    assert event.walk("VALARM") == []


def test_instants_stored_at_the_limits_of_time_leave_every_feed_answering(
    anon, login, make_user, engine, session, mou, area, settings, make_activity, make_deliverable
):
    sane = make_activity(title_en="Sane workshop")
    ancient = make_activity(title_en="Year one", timezone="America/Los_Angeles")
    doomsday = make_activity(title_en="Year 9999", timezone="Asia/Tokyo")
    nowhere = make_activity(title_en="Unknown zone")
    late = make_deliverable(title_en="Never due")
    early = make_deliverable(title_en="Long past")
    activity, deliverable = Activity.__table__, Deliverable.__table__
    with engine.begin() as conn:  # as SQL or an older version could have written them
        conn.execute(
            update(activity)
            .where(activity.c.id == ancient.id)
            .values(starts_at=datetime(1, 1, 1, tzinfo=UTC), ends_at=datetime(1, 1, 1, 2, 0, tzinfo=UTC))
        )
        conn.execute(
            update(activity)
            .where(activity.c.id == doomsday.id)
            .values(
                starts_at=datetime(9999, 12, 31, 22, 0, tzinfo=UTC), ends_at=datetime(9999, 12, 31, 23, 59, tzinfo=UTC)
            )
        )
        conn.execute(update(activity).where(activity.c.id == nowhere.id).values(timezone="Mars/Olympus"))
        conn.execute(update(deliverable).where(deliverable.c.id == late.id).values(due_on=date(9999, 12, 31)))
        conn.execute(update(deliverable).where(deliverable.c.id == early.id).values(due_on=date(1, 1, 1)))
    session.expire_all()
    token = _share(login, make_user, session, mou)
    bodies = [anon.get(f"/calendar/{token}.ics"), anon.get(f"/calendar/{token}/areas/{area.slug}.ics")]
    assert [response.status_code for response in bodies] == [200, 200]
    attachment = reminder_calendar(list(session.exec(select(Activity))), settings)
    for body in [response.content for response in bodies] + [attachment]:
        for reader in READERS:
            assert starts(body)[reader] == {
                f"activity-{sane.id}@mou-tracker": datetime(2026, 3, 10, 14, 0, tzinfo=UTC),
                # A zone this machine does not know: the instant itself, in UTC.
                f"activity-{nowhere.id}@mou-tracker": datetime(2026, 3, 10, 14, 0, tzinfo=UTC),
            }, reader
    summaries = [str(e["SUMMARY"]) for e in Calendar.from_ical(bodies[0].content).walk("VEVENT")]
    assert "⏰ Never due" not in summaries and "⏰ Long past" not in summaries and "⏰ MRV roadmap" not in summaries


@pytest.fixture
def bilingual(client, make_activity, make_deliverable):
    """An activity and two deadlines with titles in both languages, one of them accepted."""
    activity = make_activity(title_en="MRV workshop", title_es="Taller MRV")
    due = make_deliverable(title_en="MRV roadmap", title_es="Hoja de ruta MRV", due_on="2026-06-30")
    accepted = make_deliverable(
        title_en="Registry design",
        title_es="Diseño del registro",
        due_on="2026-05-29",
        evidence_url="https://example.org/evidence.pdf",
    )
    for body in ({"status": "submitted"}, {"status": "accepted", "completed_on": "2026-05-28"}):
        assert client.post(f"/api/v1/deliverables/{accepted.id}/status", json=body).status_code == 200
    return {"activity": activity, "due": due, "accepted": accepted}


def _feed_events(response) -> tuple[Calendar, dict]:
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return calendar, {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_it_answers_the_spanish_address_in_spanish(anon, login, make_user, session, mou, area, bilingual):
    token = _share(login, make_user, session, mou)
    response = anon.get(f"/calendar/{token}.ics?lang=es")
    calendar, events = _feed_events(response)
    assert str(calendar["X-WR-CALNAME"]) == mou.title_es and response.headers["content-language"] == "es"
    workshop = events[f"activity-{bilingual['activity'].id}@mou-tracker"]
    assert "Taller MRV" in str(workshop["SUMMARY"])
    assert [str(alarm["DESCRIPTION"]) for alarm in workshop.walk("VALARM")] == ["Taller MRV"]
    due = events[f"deliverable-{bilingual['due'].id}@mou-tracker"]
    assert str(due["SUMMARY"]) == "⏰ Hoja de ruta MRV"
    assert [str(alarm["DESCRIPTION"]) for alarm in due.walk("VALARM")] == ["Hoja de ruta MRV"]
    accepted = events[f"deliverable-{bilingual['accepted'].id}@mou-tracker"]
    assert str(accepted["SUMMARY"]) == "✓ Aceptado: Diseño del registro"
    assert str(accepted["DESCRIPTION"]) == "Entregable aceptado el 28 may 2026."
    area_calendar, _ = _feed_events(anon.get(f"/calendar/{token}/areas/{area.slug}.ics?lang=es"))
    assert str(area_calendar["X-WR-CALNAME"]) == f"{mou.title_es} — {area.name_es}"


def test_it_answers_the_english_address_in_english(anon, login, make_user, session, mou, area, bilingual):
    token = _share(login, make_user, session, mou)
    response = anon.get(f"/calendar/{token}.ics?lang=en")
    calendar, events = _feed_events(response)
    assert str(calendar["X-WR-CALNAME"]) == mou.title_en and response.headers["content-language"] == "en"
    workshop = events[f"activity-{bilingual['activity'].id}@mou-tracker"]
    assert "MRV workshop" in str(workshop["SUMMARY"])
    assert [str(alarm["DESCRIPTION"]) for alarm in workshop.walk("VALARM")] == ["MRV workshop"]
    assert str(events[f"deliverable-{bilingual['due'].id}@mou-tracker"]["SUMMARY"]) == "⏰ MRV roadmap"
    accepted = events[f"deliverable-{bilingual['accepted'].id}@mou-tracker"]
    assert str(accepted["SUMMARY"]) == "✓ Accepted: Registry design"
    area_calendar, _ = _feed_events(anon.get(f"/calendar/{token}/areas/{area.slug}.ics?lang=en"))
    assert str(area_calendar["X-WR-CALNAME"]) == f"{mou.title_en} — {area.name_en}"


def test_it_keeps_an_address_without_a_language_in_english_whatever_the_client_sends(
    anon, login, make_user, session, mou, bilingual
):
    token = _share(login, make_user, session, mou)
    english = anon.get(f"/calendar/{token}.ics?lang=en").content
    anon.get(f"/calendar/{token}.ics?lang=es")  # leaves a Spanish cookie in this client
    bare = anon.get(f"/calendar/{token}.ics", headers={"Accept-Language": "es-PA,es;q=0.9"})
    assert bare.content == english  # addresses handed out before keep their language
    assert anon.get(f"/calendar/{token}.ics?lang=fr").content == english


def test_it_shows_an_english_and_a_spanish_address_of_each_feed(login, make_user, session, mou):
    token = _share(login, make_user, session, mou)
    addresses = [f"http://testserver/calendar/{token}.ics?lang={code}" for code in ("en", "es")]
    admin_page = login(make_user("admin")).get("/admin?lang=es").text
    assert all(address in admin_page for address in addresses)
    assert '<span lang="en">English</span>' in admin_page and '<span lang="es">Español</span>' in admin_page
    month = login(make_user("manager")).get(f"/partnerships/{SLUG}/calendar?lang=es").text
    assert all(address in month for address in addresses)
    assert "Suscríbase en Outlook o Google Calendar con la dirección en su idioma" in month

from icalendar import Calendar

from tests.conftest import SLUG


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

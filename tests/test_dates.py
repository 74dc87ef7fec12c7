"""Dates: every input keeps to one window (2000-01-01 to 2100-12-31), and any stored instant renders.

The property tests send dates across years 1 to 9999, the window's edges and garbage, from viewers in
Panama, Los Angeles, Kiritimati (UTC+14) and UTC, in English and Spanish. Examples per operation: EXAMPLES.
"""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import update
from sqlmodel import Session, select

from tests.conftest import SLUG, activity_input, count_rows
from tracker.models import Activity, Deliverable, DeliverableStatus, IndicatorTarget, Participant, Partnership

ZONES = ("America/Panama", "America/Los_Angeles", "Pacific/Kiritimati", "UTC")
WINDOW = {
    "en": "Enter a date between Jan 1, 2000 and Dec 31, 2100.",
    "es": "Ingrese una fecha entre 1 ene 2000 y 31 dic 2100.",
}
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)
EXAMPLES = 30
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Inputs --------------------------------------------------------------------------------------------


def _stamp(moment: datetime) -> str:
    return f"{moment.year:04d}-{moment:%m-%dT%H:%M}"


def _day(day: date) -> str:
    return f"{day.year:04d}-{day:%m-%d}"


MOMENT_EDGES = (
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "2000-01-01T00:00",
    "2100-12-31T23:59",
    "1999-12-31T23:59",
    "2101-01-01T00:00",
    "1900-01-01T09:00",
    "2026-03-10T09:00-05:00",
    "2100-12-31T23:59+14:00",
    "0001-01-01T00:00Z",
)
DAY_EDGES = ("0001-01-01", "9999-12-31", "2000-01-01", "2100-12-31", "1999-12-31", "2101-01-01", "1900-01-01")
GARBAGE = (
    "garbage",
    "2026-13-01T09:00",
    "2026-02-30",
    "10/03/2026 9am",
    "0000-01-01T00:00",
    "10000-01-01",
    "2026-03-10T25:00",
    "9999-99-99T99:99",
    "２０２６-03-10",
)
# NUL bytes are refused before any parsing (tests/test_nul.py), so random text leaves them out, and lone
# surrogates, which are not text at all (no client can send them).
TEXT = st.characters(exclude_characters="\x00", exclude_categories=("Cs",))
moment_texts = st.one_of(
    st.sampled_from(MOMENT_EDGES),
    st.datetimes(datetime(1, 1, 1), datetime(9999, 12, 31, 23, 59)).map(_stamp),
    st.datetimes(datetime(1998, 1, 1), datetime(2103, 12, 31)).map(_stamp),
    st.datetimes(datetime(2025, 5, 12), datetime(2027, 5, 11)).map(_stamp),  # the MOU term
    st.sampled_from(GARBAGE),
    st.text(TEXT, max_size=20),
)
day_texts = st.one_of(
    st.sampled_from(DAY_EDGES),
    st.dates(date(1, 1, 1), date(9999, 12, 31)).map(_day),
    st.dates(date(1998, 1, 1), date(2103, 12, 31)).map(_day),
    st.dates(date(2025, 5, 12), date(2027, 5, 11)).map(_day),
    st.sampled_from(GARBAGE),
    st.text(TEXT, max_size=12),
)
month_texts = st.one_of(
    st.sampled_from(("0001-01", "9999-12", "2000-01", "2100-12", "1999-12", "2101-01", "2026-13", "2026-1", "x")),
    st.dates(date(1, 1, 1), date(9999, 12, 31)).map(lambda d: _day(d)[:7]),
    st.text(TEXT, max_size=10),
)
viewers = st.tuples(st.sampled_from(ZONES), st.sampled_from(("en", "es")))
_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})?)?$")


def _kind(text: str, blank: str = "bad") -> str | None:
    """'in' or 'out' of the window, 'bad' for garbage we chose, None for random text (no expectation)."""
    if text == "":
        return blank
    if text in GARBAGE:
        return "bad"
    if not _SHAPE.match(text):
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return "bad"
    return "in" if EARLIEST <= moment.date() <= LATEST else "out"


def _as(client, zone: str, language: str):
    client.cookies.set("tz", zone)
    client.cookies.set("lang", language)
    return client


# What a person notices ---------------------------------------------------------------------------


def _api_errors(response) -> dict[str, str]:
    return (
        {str(item["loc"][-1]): item["type"] for item in response.json()["detail"]}
        if response.status_code == 422
        else {}
    )


def _check_api(response, fields: dict[str, str], language: str, success: int, blank: str = "bad") -> bool:
    """Never a 5xx; out-of-window dates get the window message; in-window ones only a real rule. Refused?"""
    assert response.status_code < 500, response.text
    kinds = {name: _kind(text, blank) for name, text in fields.items()}
    event(f"{sorted(set(map(str, kinds.values())))} -> {response.status_code}")
    errors = _api_errors(response)
    out = [name for name, kind in kinds.items() if kind == "out"]
    if out:
        assert response.status_code == 422
        shown = {str(item["loc"][-1]): item["msg"] for item in response.json()["detail"]}
        assert all(errors.get(name) == "date_range" and shown[name] == WINDOW[language] for name in out), shown
    elif "bad" in kinds.values():
        assert response.status_code == 422
    elif all(kind == "in" for kind in kinds.values()):
        assert response.status_code in (success, 409, 422)
        assert not [kind for kind in errors.values() if kind.startswith("date") or kind == "missing"], errors
    return response.status_code != success


def _check_page(response, fields: dict[str, str], language: str, success: int, blank: str = "bad") -> bool:
    """The same for a form or a filtered page: the message sits under the field that was out of the window."""
    assert response.status_code < 500, response.text
    kinds = {name: _kind(text, blank) for name, text in fields.items()}
    event(f"{sorted(set(map(str, kinds.values())))} -> {response.status_code}")
    out = [name for name, kind in kinds.items() if kind == "out"]
    if out:
        assert response.status_code == 422
        assert all(f'id="{name}-error">{WINDOW[language]}' in response.text for name in out)
    elif "bad" in kinds.values():
        assert response.status_code == 422
    elif all(kind == "in" for kind in kinds.values()):
        assert response.status_code in (success, 409, 422)
        assert WINDOW[language] not in response.text
    return response.status_code != success


def _row(engine, model, record_id: int):
    with Session(engine) as session:
        return session.get(model, record_id)


# Activities ----------------------------------------------------------------------------------------


@st.composite
def spans(draw):
    """A start and an end as typed: often the end a few hours after the start, sometimes anything."""
    start = draw(moment_texts)
    if _kind(start) in ("in", "out") and draw(st.booleans()):
        try:
            return start, _stamp(datetime.fromisoformat(start) + timedelta(hours=draw(st.integers(1, 72))))
        except OverflowError:
            return start, start
    return start, draw(moment_texts)


event_zones = st.sampled_from(("America/Panama", "America/Los_Angeles"))


@SETTINGS
@given(span=spans(), zone=event_zones, confirm=st.booleans(), viewer=viewers)
def test_it_keeps_new_activities_on_the_api_inside_the_window(client, area, engine, span, zone, confirm, viewer):
    before = count_rows(engine, Activity)
    body = activity_input([area.id], start_local=span[0], end_local=span[1], timezone=zone)
    response = _as(client, *viewer).post(
        f"/api/v1/partnerships/{SLUG}/activities", json=body | {"confirm_outside_term": confirm}
    )
    refused = _check_api(response, {"start_local": span[0], "end_local": span[1]}, viewer[1], 201)
    assert count_rows(engine, Activity) == before + (0 if refused else 1)
    if not refused and _kind(span[0]) == "in" and len(span[0]) == 16:
        assert response.json()["start_local"].startswith(span[0])


@SETTINGS
@given(span=spans(), zone=event_zones, confirm=st.booleans(), viewer=viewers)
def test_it_keeps_new_activities_on_the_form_inside_the_window(client, area, engine, span, zone, confirm, viewer):
    before = count_rows(engine, Activity)
    form = activity_input([area.id], start_local=span[0], end_local=span[1], timezone=zone)
    form |= {"confirm_outside_term": "on"} if confirm else {}
    response = _as(client, *viewer).post(f"/partnerships/{SLUG}/activities", data=form, follow_redirects=False)
    refused = _check_page(response, {"start_local": span[0], "end_local": span[1]}, viewer[1], 303)
    assert count_rows(engine, Activity) == before + (0 if refused else 1)


@SETTINGS
@given(span=spans(), confirm=st.booleans(), viewer=viewers)
def test_it_keeps_edited_activities_inside_the_window(client, make_activity, engine, span, confirm, viewer):
    activity = make_activity(timezone="America/Los_Angeles")
    form = activity_input(
        [a.id for a in activity.areas], start_local=span[0], end_local=span[1], timezone="America/Los_Angeles"
    )
    form |= {"version": activity.version} | ({"confirm_outside_term": "on"} if confirm else {})
    response = _as(client, *viewer).post(f"/activities/{activity.id}/edit", data=form, follow_redirects=False)
    refused = _check_page(response, {"start_local": span[0], "end_local": span[1]}, viewer[1], 303)
    if refused:
        assert _row(engine, Activity, activity.id).starts_at == activity.starts_at


@SETTINGS
@given(span=spans(), only_start=st.booleans(), confirm=st.booleans(), viewer=viewers)
def test_it_keeps_patched_activities_inside_the_window(
    client, make_activity, engine, span, only_start, confirm, viewer
):
    activity = make_activity()
    fields = {"start_local": span[0]} if only_start else {"start_local": span[0], "end_local": span[1]}
    patch = fields | {"version": activity.version, "confirm_outside_term": confirm}
    response = _as(client, *viewer).patch(f"/api/v1/activities/{activity.id}", json=patch)
    if _check_api(response, fields, viewer[1], 200):
        assert _row(engine, Activity, activity.id).starts_at == activity.starts_at


@SETTINGS
@given(span=spans(), confirm=st.booleans(), viewer=viewers, on_api=st.booleans())
def test_it_keeps_postponed_dates_inside_the_window(client, make_activity, engine, span, confirm, viewer, on_api):
    activity = make_activity(timezone="America/Los_Angeles")
    body = {"start_local": span[0], "end_local": span[1]}
    fields = dict(body)
    body["reason"] = "New dates agreed"
    _as(client, *viewer)
    if on_api:
        response = client.post(
            f"/api/v1/activities/{activity.id}/postpone", json=body | {"confirm_outside_term": confirm}
        )
        refused = _check_api(response, fields, viewer[1], 200)
    else:
        body |= {"confirm_outside_term": "on"} if confirm else {}
        response = client.post(f"/activities/{activity.id}/postpone", data=body, follow_redirects=False)
        refused = _check_page(response, fields, viewer[1], 303)
    if refused:
        assert _row(engine, Activity, activity.id).starts_at == activity.starts_at


# Deliverables, targets and the term ------------------------------------------------------------------


@SETTINGS
@given(due=day_texts, confirm=st.booleans(), viewer=viewers, on_api=st.booleans())
def test_it_keeps_new_deliverables_inside_the_window(client, area, engine, due, confirm, viewer, on_api):
    before = count_rows(engine, Deliverable)
    body = {"area_id": area.id, "title_en": "MRV roadmap", "due_on": due}
    _as(client, *viewer)
    if on_api:
        response = client.post(
            f"/api/v1/partnerships/{SLUG}/deliverables", json=body | {"confirm_outside_term": confirm}
        )
        refused = _check_api(response, {"due_on": due}, viewer[1], 201)
    else:
        body |= {"confirm_outside_term": "on"} if confirm else {}
        response = client.post(f"/partnerships/{SLUG}/deliverables", data=body, follow_redirects=False)
        refused = _check_page(response, {"due_on": due}, viewer[1], 303)
    assert count_rows(engine, Deliverable) == before + (0 if refused else 1)


@SETTINGS
@given(due=day_texts, confirm=st.booleans(), viewer=viewers, on_api=st.booleans())
def test_it_keeps_edited_deliverables_inside_the_window(client, make_deliverable, engine, due, confirm, viewer, on_api):
    deliverable = make_deliverable()
    _as(client, *viewer)
    if on_api:
        patch = {"version": deliverable.version, "due_on": due, "confirm_outside_term": confirm, "reason": "Moved"}
        refused = _check_api(
            client.patch(f"/api/v1/deliverables/{deliverable.id}", json=patch), {"due_on": due}, viewer[1], 200
        )
    else:
        form = {
            "area_id": deliverable.area_id,
            "title_en": "MRV roadmap",
            "due_on": due,
            "version": deliverable.version,
            "reason": "Moved",
        }
        form |= {"confirm_outside_term": "on"} if confirm else {}
        response = client.post(f"/deliverables/{deliverable.id}/edit", data=form, follow_redirects=False)
        refused = _check_page(response, {"due_on": due}, viewer[1], 303)
    if refused:
        assert _row(engine, Deliverable, deliverable.id).due_on == deliverable.due_on


@SETTINGS
@given(done=day_texts, viewer=viewers, on_api=st.booleans())
def test_it_keeps_completion_dates_inside_the_window(client, make_deliverable, engine, done, viewer, on_api):
    deliverable = make_deliverable(evidence_url="https://example.org/evidence.pdf")
    client.post(f"/api/v1/deliverables/{deliverable.id}/status", json={"status": "submitted"})
    _as(client, *viewer)
    body = {"status": "accepted", "completed_on": done}
    if on_api:
        response = client.post(f"/api/v1/deliverables/{deliverable.id}/status", json=body)
        refused = _check_api(response, {"completed_on": done}, viewer[1], 200, blank="in")
    else:
        response = client.post(f"/deliverables/{deliverable.id}/status", data=body, follow_redirects=False)
        refused = _check_page(response, {"completed_on": done}, viewer[1], 303, blank="in")
    if refused:
        assert _row(engine, Deliverable, deliverable.id).status == DeliverableStatus.submitted


@pytest.fixture
def admin(login, make_user):
    return login(make_user("admin", email="admin@example.org"))


@SETTINGS
@given(start=day_texts, end=day_texts, value=st.integers(1, 10**6), viewer=viewers)
def test_it_keeps_indicator_targets_inside_the_window(admin, mou, engine, start, end, value, viewer):
    before = count_rows(engine, IndicatorTarget)
    form = {"indicator": "people_trained", "period_start": start, "period_end": end, "value": str(value)}
    response = _as(admin, *viewer).post(f"/admin/indicators/{SLUG}", data=form, follow_redirects=False)
    refused = _check_page(response, {"period_start": start, "period_end": end}, viewer[1], 303)
    assert count_rows(engine, IndicatorTarget) == before + (0 if refused else 1)


@SETTINGS
@given(field=st.sampled_from(("signed_on", "starts_on", "ends_on")), day=day_texts, viewer=viewers)
def test_it_keeps_the_mou_term_inside_the_window(admin, mou, engine, field, day, viewer):
    version = _row(engine, Partnership, mou.id).version
    response = _as(admin, *viewer).patch(f"/api/v1/partnerships/{SLUG}", json={"version": version, field: day})
    if _check_api(response, {field: day}, viewer[1], 200):
        assert _row(engine, Partnership, mou.id).version == version


# Query strings: a filter out of the window is ignored, and said so ------------------------------------


@SETTINGS
@given(start=day_texts, end=day_texts, viewer=viewers)
def test_it_filters_the_activity_list_inside_the_window(client, make_activity, start, end, viewer):
    make_activity()
    response = _as(client, *viewer).get(f"/partnerships/{SLUG}/activities", params={"date_from": start, "date_to": end})
    _check_page(response, {"date_from": start, "date_to": end}, viewer[1], 200, blank="in")
    # The API reads a blank parameter as a date that could not be read, as it did before the window.
    api = client.get("/api/v1/activities", params={"from": start, "to": end})
    _check_api(api, {"from": start, "to": end}, viewer[1], 200)


@SETTINGS
@given(start=day_texts, end=day_texts, viewer=viewers)
def test_it_filters_the_audit_trail_inside_the_window(admin, make_activity, start, end, viewer):
    response = _as(admin, *viewer).get("/admin/audit", params={"date_from": start, "date_to": end})
    _check_page(response, {"date_from": start, "date_to": end}, viewer[1], 200, blank="in")


@SETTINGS
@given(start=day_texts, end=day_texts, viewer=viewers)
def test_it_measures_indicators_inside_the_window(client, mou, start, end, viewer):
    response = _as(client, *viewer).get(f"/partnerships/{SLUG}/indicators", params={"from": start, "to": end})
    _check_page(response, {"from": start, "to": end}, viewer[1], 200, blank="in")
    api = client.get(f"/api/v1/partnerships/{SLUG}/indicators", params={"from": start, "to": end})
    _check_api(api, {"from": start, "to": end}, viewer[1], 200)


@SETTINGS
@given(start=day_texts, end=day_texts, viewer=viewers)
def test_it_reports_on_periods_inside_the_window(client, make_activity, start, end, viewer):
    make_activity()
    params = {"from": start, "to": end}
    page = _as(client, *viewer).get(f"/partnerships/{SLUG}/report", params=params)
    csv = client.get(f"/partnerships/{SLUG}/report.csv", params=params)
    assert page.status_code < 500 and csv.status_code < 500
    kinds = {_kind(start), _kind(end)}
    if kinds & {"out", "bad"}:
        assert page.status_code == csv.status_code == 422 and 'id="period-error"' in page.text
    if "out" in kinds:
        assert WINDOW[viewer[1]] in csv.text
    if kinds == {"in"} and date.fromisoformat(start) <= date.fromisoformat(end) <= date.fromisoformat(
        start
    ) + timedelta(days=365):
        assert page.status_code == csv.status_code == 200


@SETTINGS
@given(month=month_texts, viewer=viewers)
def test_it_shows_calendar_months_inside_the_window(client, make_activity, month, viewer):
    response = _as(client, *viewer).get(f"/partnerships/{SLUG}/calendar", params={"month": month})
    assert response.status_code < 500
    # A month that cannot be read shows this month, as it always did; one read outside the window is said so.
    kind = _kind(f"{month}-01") if re.fullmatch(r"\d{4}-\d{2}", month) else "bad"
    assert response.status_code == (422 if kind == "out" else 200)


@SETTINGS
@given(text=day_texts, overdue=st.booleans(), viewer=viewers)
def test_it_lists_deliverables_for_every_viewer_zone(client, make_deliverable, text, overdue, viewer):
    make_deliverable()
    params = {"q": text, "overdue": str(overdue).lower()}
    assert _as(client, *viewer).get(f"/partnerships/{SLUG}/deliverables", params=params).status_code in (200, 422)
    assert client.get("/api/v1/deliverables", params=params).status_code in (200, 422)


def test_it_names_the_window_in_the_viewers_language(client, area):
    body = activity_input([area.id], start_local="1900-01-01T09:00", end_local="1900-01-01T17:00")
    for language, text in WINDOW.items():
        response = _as(client, "UTC", language).post(f"/api/v1/partnerships/{SLUG}/activities", json=body)
        assert response.status_code == 422
        assert {"loc": ["body", "start_local"], "type": "date_range", "msg": text} in response.json()["detail"]


@pytest.mark.parametrize("zone", ("America", "a" * 300, "America/Panama/", "../../etc/passwd"))
def test_it_ignores_a_time_zone_cookie_that_names_no_zone(client, make_activity, zone):
    make_activity()
    client.cookies.set("tz", zone)
    assert client.get(f"/partnerships/{SLUG}/activities").status_code == 200


def test_it_refuses_a_folder_of_the_zone_database_as_an_event_zone(client, area, engine):
    response = client.post(
        f"/api/v1/partnerships/{SLUG}/activities", json=activity_input([area.id], timezone="America")
    )
    assert response.status_code == 422 and _api_errors(response) == {"timezone": "timezone"}
    assert count_rows(engine, Activity) == 0


# Stored values no form would accept: written by an older version, or straight into the database ------

FIRST = datetime(1, 1, 1, tzinfo=UTC)
LAST = datetime(9999, 12, 31, 23, 59, tzinfo=UTC)


@pytest.fixture
def extremes(engine, session, mou, area, make_activity, make_deliverable, make_person, client):
    """Activities in year 1, in 9999 and spanning both; deliverables due and done in both (validation bypassed)."""
    spans = {
        "America/Los_Angeles": (FIRST, FIRST.replace(hour=8)),
        "Pacific/Kiritimati": (LAST.replace(hour=15), LAST),
        "America/Panama": (FIRST, LAST),
    }
    people = [
        make_person(name=f"Person {zone}", email=f"{i}@example.org", timezone=zone) for i, zone in enumerate(ZONES)
    ]
    responsible = [person.id for person in people]
    activities = [
        make_activity(title_en=f"Extreme {zone}", timezone=zone, responsible_ids=responsible) for zone in spans
    ]
    # Owners get reminders; a due date in year 1 with an owner is the case left to the reminder schedule.
    deliverables = [
        make_deliverable(title_en=f"Extreme {day}", owner_id=person.id if day == "last" else None)
        for day in ("first", "last")
        for person in people
    ]
    client.post(
        f"/activities/{activities[2].id}/roster",
        data={"given_names": "Ana", "surnames": "Pérez", "sex": "female", "language": "es", "status": "attended"},
    )
    with engine.begin() as conn:
        for activity, (start, end) in zip(activities, spans.values(), strict=True):
            conn.execute(update(Activity).where(Activity.id == activity.id).values(starts_at=start, ends_at=end))
        for index, deliverable in enumerate(deliverables):
            day = (date.min, date.max)[index // len(ZONES)]
            status = tuple(DeliverableStatus)[index % len(DeliverableStatus)]
            done = day if status == DeliverableStatus.accepted else None
            conn.execute(
                update(Deliverable)
                .where(Deliverable.id == deliverable.id)
                .values(due_on=day, completed_on=done, status=status)
            )
    participant = session.exec(select(Participant)).one()
    return activities, deliverables, participant


def _pages(area, activities, deliverables, participant) -> list[str]:
    pages = [
        f"/partnerships/{SLUG}",
        f"/partnerships/{SLUG}/areas/{area.slug}",
        f"/partnerships/{SLUG}/activities",
        f"/partnerships/{SLUG}/deliverables",
        f"/partnerships/{SLUG}/calendar",
        f"/partnerships/{SLUG}/report",
        f"/partnerships/{SLUG}/report.csv",
        f"/partnerships/{SLUG}/indicators",
        "/admin/audit",
        "/api/v1/activities",
        "/api/v1/deliverables",
    ]
    for activity in activities:
        pages += [f"/activities/{activity.id}", f"/activities/{activity.id}/edit", f"/activities/{activity.id}/roster"]
        pages += [f"/api/v1/activities/{activity.id}"]
    pages.append(f"/activities/{activities[2].id}/certificates/{participant.id}")
    for deliverable in deliverables:
        pages += [f"/deliverables/{deliverable.id}", f"/deliverables/{deliverable.id}/edit"]
    return pages


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("language", ("en", "es"))
def test_it_renders_every_page_for_instants_in_year_1_and_9999(admin, area, extremes, zone, language):
    _as(admin, zone, language)
    failures = {page: admin.get(page).status_code for page in _pages(area, *extremes)}
    assert {page: status for page, status in failures.items() if status != 200} == {}
    listed = admin.get(f"/partnerships/{SLUG}/activities").text
    assert all(f"Extreme {zone}" in listed for zone in ("America/Los_Angeles", "Pacific/Kiritimati", "America/Panama"))


def test_it_renders_a_deliverable_due_in_year_1_that_has_an_owner(client, engine, make_deliverable, make_person):
    deliverable = make_deliverable(owner_id=make_person().id)
    with engine.begin() as conn:
        conn.execute(update(Deliverable).where(Deliverable.id == deliverable.id).values(due_on=date.min))
    assert client.get(f"/deliverables/{deliverable.id}").status_code == 200

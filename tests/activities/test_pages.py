import time_machine
from sqlmodel import select

from tests.conftest import SLUG, activity_input
from tracker.models import Activity

HX = {"HX-Request": "true"}


def _form(area_id, **overrides) -> dict:
    return {k: ("" if v is None else v) for k, v in activity_input([area_id], **overrides).items()}


def test_a_manager_logs_a_workshop_without_javascript(client, area, session):
    response = client.post(f"/partnerships/{SLUG}/activities", data=_form(area.id), follow_redirects=False)
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    assert "MRV workshop" in page.text and "Planned" in page.text
    assert session.exec(select(Activity)).one().starts_at.isoformat() == "2026-03-10T14:00:00+00:00"


def test_with_htmx_a_saved_form_redirects_and_a_bad_one_comes_back_as_a_fragment(client, area):
    saved = client.post(f"/partnerships/{SLUG}/activities", data=_form(area.id), headers=HX)
    assert saved.status_code == 200 and saved.headers["HX-Redirect"].startswith("/activities/")
    refused = client.post(f"/partnerships/{SLUG}/activities", data=_form(area.id, title_en=""), headers=HX)
    assert refused.status_code == 422
    assert refused.text.lstrip().startswith('<form id="activity-form"') and "<html" not in refused.text
    assert 'id="title_en-error"' in refused.text


def test_editing_keeps_the_event_clock(client, make_activity):
    activity = make_activity()
    form = client.get(f"/activities/{activity.id}/edit").text
    assert 'value="2026-03-10T09:00"' in form
    data = _form(activity.areas[0].id, title_en="MRV workshop, day 1") | {"version": activity.version}
    assert client.post(f"/activities/{activity.id}/edit", data=data, follow_redirects=False).status_code == 303
    assert "MRV workshop, day 1" in client.get(f"/activities/{activity.id}").text


def test_the_status_actions_work_as_plain_forms(client, make_activity):
    activity = make_activity()
    page = f"/activities/{activity.id}"
    assert client.post(f"{page}/confirm", follow_redirects=False).status_code == 303
    assert "Confirmed" in client.get(page).text
    postponed = client.post(
        f"{page}/postpone",
        data={"start_local": "2026-04-14T09:00", "end_local": "2026-04-14T17:00", "reason": "The venue is booked."},
    )
    assert postponed.status_code == 200 and "Postponed" in postponed.text
    with time_machine.travel("2026-04-14T20:00Z", tick=False):
        held = client.post(f"{page}/held", data={"outcomes_en": "Ten agencies agreed on an MRV roadmap."})
    assert "Held" in held.text and "Ten agencies agreed" in held.text
    assert f'action="/activities/{activity.id}/cancel"' not in held.text


def test_the_status_actions_answer_htmx_with_the_status_panel(client, make_activity):
    activity = make_activity()
    response = client.post(f"/activities/{activity.id}/confirm", headers=HX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<aside id="activity-status"') and "<html" not in response.text
    assert "Confirmed" in response.text
    cancelled = client.post(f"/activities/{activity.id}/cancel", data={"reason": "No trainers"}, headers=HX)
    assert "Cancelled" in cancelled.text


def test_a_bad_postponement_reopens_its_form_with_the_message(client, make_activity):
    activity = make_activity()
    response = client.post(
        f"/activities/{activity.id}/postpone",
        data={"start_local": "2026-04-14T09:00", "end_local": "2026-04-13T09:00", "reason": "The venue is booked."},
    )
    assert response.status_code == 422
    assert 'id="end_local-error"' in response.text and "<details open>" in response.text.replace(" open", " open")
    assert client.get(f"/api/v1/activities/{activity.id}").json()["status"] == "planned"


def test_an_action_the_status_forbids_is_a_409_page(client, make_activity):
    activity = make_activity()
    client.post(f"/activities/{activity.id}/cancel", data={"reason": "No trainers"})
    response = client.post(f"/activities/{activity.id}/confirm")
    assert response.status_code == 409 and "Cancelled" in response.text


def test_the_list_filters_as_a_page_and_as_a_fragment(client, make_activity):
    make_activity(title_en="Forest standard webinar", kind="webinar", format="virtual", venue=None)
    make_activity(title_en="Inventory training", kind="technical_training")
    url = f"/partnerships/{SLUG}/activities?kind=webinar"
    full = client.get(url)
    assert "<html" in full.text and "Forest standard webinar" in full.text
    assert "Inventory training" not in full.text
    fragment = client.get(url, headers=HX)
    assert "<html" not in fragment.text and "Forest standard webinar" in fragment.text
    assert "Inventory training" not in fragment.text


def test_user_text_is_escaped_everywhere_it_is_shown(client, make_activity):
    activity = make_activity(
        title_en='<script>alert("x")</script>',
        venue='<img src=x onerror="alert(1)">',
        start_local="2026-12-15T09:00",
        end_local="2026-12-15T12:00",
    )
    for url in ("/", f"/activities/{activity.id}", f"/partnerships/{SLUG}/activities"):
        with time_machine.travel("2026-12-01T12:00Z", tick=False):
            html = client.get(url).text
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;" in html


def test_times_follow_the_viewer_zone_across_daylight_saving(client, make_activity):
    july = make_activity(start_local="2026-07-15T09:00", end_local="2026-07-15T17:00")
    january = make_activity(start_local="2027-01-14T09:00", end_local="2027-01-14T17:00")
    client.post("/preferences", data={"language": "en", "timezone": "America/Los_Angeles", "next": "/"})
    summer = client.get(f"/activities/{july.id}").text
    winter = client.get(f"/activities/{january.id}").text
    assert "7:00\u202fAM – 3:00\u202fPM PDT" in summer and "9:00\u202fAM – 5:00\u202fPM Panama Time" in summer
    assert "6:00\u202fAM – 2:00\u202fPM PST" in winter and "9:00\u202fAM – 5:00\u202fPM Panama Time" in winter


def test_long_lists_are_paged_with_links_that_work_without_javascript(client, make_activity):
    for day in range(1, 28):
        make_activity(
            title_en=f"Session {day:02d}", start_local=f"2026-04-{day:02d}T09:00", end_local=f"2026-04-{day:02d}T10:00"
        )
    first = client.get(f"/partnerships/{SLUG}/activities").text
    assert "Session 25" in first and "Session 26" not in first and "Page 1 of 2" in first
    assert f'href="/partnerships/{SLUG}/activities?page=2"' in first
    second = client.get(f"/partnerships/{SLUG}/activities?page=2", headers=HX).text
    assert "Session 26" in second and "Session 27" in second and "<html" not in second


def test_a_new_activity_starts_in_the_trackers_default_time_zone(app, client, mou, settings):
    # The app's state keeps its values in a dict of its own: set and put back by hand, not by monkeypatch.
    app.state.settings = settings.model_copy(update={"default_timezone": "Asia/Tokyo"})
    try:
        form = client.get(f"/partnerships/{SLUG}/activities/new", headers=HX).text
    finally:
        app.state.settings = settings
    assert '<option value="Asia/Tokyo" selected>' in form

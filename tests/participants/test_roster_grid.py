"""The roster as a grid for data entry: a labeled column per field, the whole grid saved at once without
JavaScript, each row saved in place with it; people's details edited; everyone marked attended."""

import re

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from tests.test_browser import browser, live, open_page  # noqa: F401 - the real-browser fixtures
from tracker.models import AuditEvent, Enrollment, Participant

FIELDS = ("status", "days_attended", "pre_score", "post_score", "satisfaction")


@pytest.fixture
def roster(client, make_activity, session):
    """A three-day training with three people registered: (activity, {given name: enrollment})."""
    activity = make_activity(kind="technical_training", start_local="2026-03-10T09:00", end_local="2026-03-12T17:00")
    for given, surnames in (("Marisol", "Ríos Batista"), ("José", "Pérez"), ("Iván", "Ortega")):
        data = {"given_names": given, "surnames": surnames, "organization": "MiAMBIENTE", "status": "registered"}
        assert client.post(f"/activities/{activity.id}/roster", data=data).status_code == 200
    rows = session.exec(select(Participant.given_names, Enrollment).join(Enrollment)).all()
    return activity, {given: enrollment for given, enrollment in rows}


def _grid(rows: dict, **changes) -> dict:
    """The grid form as the browser sends it: every row's inputs, with `changes` {"José": {...}}."""
    data = {}
    for given, e in rows.items():
        values = {"status": e.status.value, "days_attended": "", "pre_score": "", "post_score": "", "satisfaction": ""}
        values |= changes.get(given, {})
        data |= {f"{name}-{e.id}": value for name, value in values.items()}
    return data


def test_each_field_has_its_own_labeled_column(client, roster):
    activity, rows = roster
    page = client.get(f"/activities/{activity.id}/roster").text
    header = page.split("<thead>")[1].split("</thead>")[0]
    for label in ("Attendance", "Days attended", "Pre-test (0–100)", "Post-test (0–100)", "Satisfaction (1–5)"):
        assert f">{label}</th>" in header
    jose = rows["José"].id
    for name in FIELDS:  # each box is named by its column and its person for screen readers
        assert f'aria-labelledby="col-{name} person-{jose}"' in page
    assert page.index("Iván Ortega") < page.index("José Pérez") < page.index("Marisol Ríos Batista")  # by surname


def test_without_javascript_the_whole_grid_is_saved_at_once(client, roster, session):
    activity, rows = roster
    data = _grid(
        rows,
        **{
            "José": {"status": "attended", "days_attended": "3", "pre_score": "40", "post_score": "85"},
            "Marisol": {"status": "absent"},
        },
    )
    answer = client.post(f"/activities/{activity.id}/roster/grid", data=data, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].endswith("?saved=1")
    session.expire_all()
    jose, marisol, ivan = (session.get(Enrollment, rows[n].id) for n in ("José", "Marisol", "Iván"))
    assert (jose.status, jose.days_attended, jose.pre_score, jose.post_score) == ("attended", 3, 40, 85)
    assert marisol.status == "absent" and ivan.status == "registered"
    changed = session.exec(
        select(AuditEvent.entity_id).where(AuditEvent.entity == "enrollment", AuditEvent.action == "status")
    )
    assert sorted(changed) == sorted([jose.id, marisol.id])  # unchanged rows write nothing to the trail
    assert "The roster was saved." in client.get(answer.headers["location"]).text


def test_one_bad_cell_saves_nothing_and_keeps_what_was_typed(client, roster, session):
    activity, rows = roster
    data = _grid(rows, **{"José": {"status": "attended", "post_score": "850"}, "Iván": {"pre_score": "55"}})
    answer = client.post(f"/activities/{activity.id}/roster/grid", data=data)
    assert answer.status_code == 422
    jose, ivan = rows["José"].id, rows["Iván"].id
    assert f'id="post_score-{jose}-error"' in answer.text and 'value="850"' in answer.text
    assert re.search(rf'id="pre_score-{ivan}"[^>]*value="55"', answer.text)  # the other rows' input is kept
    session.expire_all()
    assert session.get(Enrollment, ivan).pre_score is None and session.get(Enrollment, jose).status == "registered"


def test_with_htmx_a_row_saves_in_place(client, roster, session):
    _activity, rows = roster
    jose = rows["José"].id
    data = {f"status-{jose}": "attended", f"pre_score-{jose}": "40", f"post_score-{jose}": "90"}
    fragment = client.post(f"/enrollments/{jose}", data=data, headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and fragment.text.lstrip().startswith(f'<tr id="enrollment-{jose}"')
    assert 'role="status">Saved<' in fragment.text
    session.expire_all()
    assert session.get(Enrollment, jose).post_score == 90


def test_everyone_registered_is_marked_attended_and_absences_stay(client, roster, session):
    activity, rows = roster
    client.post(f"/activities/{activity.id}/roster/grid", data=_grid(rows, Marisol={"status": "absent"}))
    answer = client.post(f"/activities/{activity.id}/roster/attended", follow_redirects=False)
    assert answer.status_code == 303
    assert "2 participants marked attended." in client.get(answer.headers["location"]).text
    session.expire_all()
    statuses = {n: session.get(Enrollment, e.id).status for n, e in rows.items()}
    assert statuses == {"José": "attended", "Iván": "attended", "Marisol": "absent"}


def test_a_participants_details_are_edited_and_checked(client, roster, session):
    activity, rows = roster
    jose = rows["José"]
    form = client.get(f"/enrollments/{jose.id}/person").text
    assert 'value="José"' in form and 'value="Pérez"' in form
    version = re.search(r'name="version" value="(\d+)"', form).group(1)
    data = {
        "given_names": "José Luis",
        "surnames": "Pérez de la Cruz",
        "organization": "MiAMBIENTE",
        "email": "jl@miambiente.gob.pa",
        "sex": "male",
        "country": "PA",
        "language": "es",
        "version": version,
    }
    answer = client.post(f"/enrollments/{jose.id}/person", data=data, follow_redirects=False)
    assert answer.status_code == 303
    session.expire_all()
    person = session.get(Participant, jose.participant_id)
    assert (person.name, person.email, person.sex) == ("José Luis Pérez de la Cruz", "jl@miambiente.gob.pa", "male")
    other = rows["Iván"]
    taken = client.post(f"/enrollments/{other.id}/person", data=data | {"given_names": "Iván", "version": "1"})
    assert taken.status_code == 422 and 'id="email-error"' in taken.text
    stale = client.post(f"/enrollments/{jose.id}/person", data=data | {"given_names": "Pepe"})
    assert stale.status_code == 409
    blank = client.post(
        f"/enrollments/{jose.id}/person", data=data | {"given_names": "", "version": str(person.version)}
    )
    assert blank.status_code == 422 and 'id="given_names-error"' in blank.text


def test_partners_read_the_roster_of_their_own_partnership_only_and_change_nothing(login, make_user, roster, sonora):
    activity, rows = roster
    partner = login(make_user("partner"))
    assert "José Pérez" in partner.get(f"/activities/{activity.id}/roster").text
    assert 'id="roster-grid"' not in partner.get(f"/activities/{activity.id}/roster").text
    assert partner.get(f"/activities/{sonora['activity'].id}/roster").status_code == 404
    jose = rows["José"].id
    assert partner.post(f"/activities/{activity.id}/roster/grid", data=_grid(rows)).status_code == 403
    assert partner.get(f"/enrollments/{jose}/person").status_code == 403
    assert partner.post(f"/activities/{activity.id}/roster/attended").status_code == 403


@pytest.mark.browser
def test_in_a_browser_rows_save_as_they_change_and_without_javascript_the_grid_saves(
    open_page,  # noqa: F811
    live,  # noqa: F811
    roster,
    session,
):
    activity, rows = roster
    jose, ivan = rows["José"].id, rows["Iván"].id
    page = open_page()
    page.goto(f"{live.url}/activities/{activity.id}/roster")
    page.get_by_role("spinbutton", name=re.compile("^Post-test .* José Pérez")).fill("88")  # named by column and row
    page.keyboard.press("Tab")  # the change event: the row saves itself
    expect(page.locator(f"#enrollment-{jose} .saved")).to_have_text("Saved")
    session.expire_all()
    assert session.get(Enrollment, jose).post_score == 88

    page = open_page(javascript=False)
    page.goto(f"{live.url}/activities/{activity.id}/roster")
    page.select_option(f"#status-{ivan}", "attended")
    page.fill(f"#days_attended-{ivan}", "3")
    page.get_by_role("button", name="Save the roster").click()
    expect(page.get_by_text("The roster was saved.")).to_be_visible()
    session.expire_all()
    saved = session.get(Enrollment, ivan)
    assert (saved.status, saved.days_attended) == ("attended", 3)
    assert session.get(Enrollment, jose).post_score == 88  # the other rows are saved as they were shown


def test_removing_someone_asks_first_and_is_kept_in_the_history(client, roster, session):
    activity, rows = roster
    jose, person_id = rows["José"].id, rows["José"].participant_id
    page = client.get(f"/enrollments/{jose}/delete")
    assert page.status_code == 200 and "Take José Pérez off this roster?" in page.text
    assert "The person stays, with their other activities and their details." in page.text
    assert session.get(Enrollment, jose) is not None  # asking changes nothing
    client.headers.pop("X-CSRF-Token")
    assert client.post(f"/enrollments/{jose}/delete").status_code == 403
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    answer = client.post(f"/enrollments/{jose}/delete", data={"csrf_token": token}, follow_redirects=False)
    assert answer.status_code == 303
    session.expire_all()
    assert session.get(Enrollment, jose) is None
    assert session.get(Participant, person_id) is not None
    removal = session.exec(
        select(AuditEvent).where(AuditEvent.entity == "enrollment", AuditEvent.action == "delete")
    ).one()
    assert removal.entity_id == jose and removal.actor_name == "Manager User"


def test_merging_two_people_asks_first_then_keeps_one(client, make_activity, session):
    first, second = make_activity(), make_activity(title_en="Second")
    for activity, org in ((first, "MiAMBIENTE"), (second, "Ministerio de Ambiente")):
        data = {"given_names": "ANA", "surnames": "PEREZ" if org == "MiAMBIENTE" else "Pérez", "organization": org}
        client.post(f"/activities/{activity.id}/roster", data=data | {"status": "attended"})
    keep, duplicate = session.exec(select(Participant).order_by(Participant.id)).all()
    listing = client.get("/participants/duplicates").text
    assert f'href="/participants/{keep.id}/merge?into={duplicate.id}"' in listing and "hx-confirm" in listing
    page = client.get(f"/participants/{duplicate.id}/merge?into={keep.id}")
    assert page.status_code == 200 and "This cannot be undone." in page.text
    assert len(session.exec(select(Participant)).all()) == 2
    assert client.get(f"/participants/{duplicate.id}/merge?into={duplicate.id}").status_code == 404
    assert client.post(f"/participants/{duplicate.id}/merge", data={"into": keep.id}).status_code == 200
    session.expire_all()
    (person,) = session.exec(select(Participant)).all()
    assert person.name == "ANA Pérez"  # the accented spelling of the surname is kept
    assert len(session.exec(select(Enrollment)).all()) == 2


@pytest.mark.browser
def test_remove_goes_through_a_confirmation_page_without_javascript_and_a_dialog_with_it(
    open_page,  # noqa: F811
    live,  # noqa: F811
    roster,
    session,
):
    activity, rows = roster
    jose, ivan = rows["José"].id, rows["Iván"].id
    page = open_page(javascript=False)
    page.goto(f"{live.url}/activities/{activity.id}/roster")
    page.locator(f"#enrollment-{jose}").get_by_role("link", name="Remove").click()
    expect(page.get_by_role("heading", name="Take José Pérez off this roster?")).to_be_visible()
    session.expire_all()
    assert session.get(Enrollment, jose) is not None  # one click did nothing yet
    page.get_by_role("button", name="Remove from the roster").click()
    expect(page.get_by_text("The participant was taken off the roster.")).to_be_visible()
    expect(page.locator(f"#enrollment-{jose}")).to_have_count(0)

    page = open_page()
    page.goto(f"{live.url}/activities/{activity.id}/roster")
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.locator(f"#enrollment-{ivan}").get_by_role("link", name="Remove").click()
    expect(page.locator(f"#enrollment-{ivan}")).to_have_count(0)
    assert asked == ["Take Iván Ortega off this roster?"]
    session.expire_all()
    assert session.get(Enrollment, ivan) is None

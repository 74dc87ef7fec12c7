import csv
import io

import time_machine
from sqlmodel import select

from tracker.models import Enrollment, Participant

PERSON = {
    "given_names": "Ana",
    "surnames": "Pérez",
    "organization": "MiAMBIENTE",
    "sex": "female",
    "country": "PA",
    "language": "es",
}


def _add(client, activity, **fields):
    if "name" in fields:  # a name in one piece: all of it given, no surnames
        fields |= {"given_names": fields.pop("name"), "surnames": ""}
    data = PERSON | {"status": "attended"} | fields
    return client.post(f"/activities/{activity.id}/roster", data=data, follow_redirects=False)


def _three_day_training(make_activity):
    return make_activity(kind="technical_training", start_local="2026-03-10T09:00", end_local="2026-03-12T17:00")


def test_a_manager_builds_a_roster_and_the_same_person_is_not_added_twice(client, make_activity, session):
    activity = _three_day_training(make_activity)
    assert _add(client, activity).status_code == 303
    assert _add(client, activity, name="ANA PEREZ", organization="miambiente").status_code == 303  # same person
    assert session.exec(select(Enrollment)).all().__len__() == 1
    page = client.get(f"/activities/{activity.id}/roster").text
    assert "Ana Pérez" in page and "This activity lasts 3 days." in page


def test_one_person_across_activities_is_one_participant(client, make_activity, session):
    first = _three_day_training(make_activity)
    second = make_activity(title_en="Second", start_local="2026-04-10T09:00", end_local="2026-04-10T17:00")
    _add(client, first, email="ana@miambiente.gob.pa")
    _add(client, second, email="ANA@miambiente.gob.pa", name="Ana M. Pérez")
    assert len(session.exec(select(Participant)).all()) == 1
    assert len(session.exec(select(Enrollment)).all()) == 2


def test_completion_follows_the_days_attended_and_the_threshold(client, make_activity):
    activity = _three_day_training(make_activity)
    _add(client, activity, name="Two days", days_attended="2")
    _add(client, activity, name="Three days", days_attended="3")
    _add(client, activity, name="Absent", status="absent")
    page = client.get(f"/activities/{activity.id}/roster").text
    rows = {name: page[page.index(name) :].split("</tr>")[0] for name in ("Two days", "Three days", "Absent")}
    assert "certificate" not in rows["Two days"]  # 2 of 3 days is 67%, under 80%
    assert "certificate" in rows["Three days"] and "certificate" not in rows["Absent"]


def test_bad_roster_input_gets_field_messages_and_stores_nothing(client, make_activity, session):
    activity = _three_day_training(make_activity)
    response = _add(client, activity, name="", email="nope", country="ZZ", days_attended="5", pre_score="150")
    assert response.status_code == 422
    for field in ("given_names", "email", "country", "pre_score"):
        assert f'id="{field}-error"' in response.text
    assert session.exec(select(Enrollment)).all() == []
    too_many_days = _add(client, activity, days_attended="5")
    assert too_many_days.status_code == 422 and "This activity lasts 3 days." in too_many_days.text


def test_scores_are_edited_inline_and_the_evaluation_follows(client, make_activity, session):
    activity = _three_day_training(make_activity)
    _add(client, activity)
    _add(client, activity, name="Luis", sex="male")
    ana, luis = session.exec(select(Enrollment).order_by(Enrollment.id)).all()
    fragment = client.post(
        f"/enrollments/{ana.id}",
        data={"status": "attended", "pre_score": "40", "post_score": "80", "satisfaction": "5"},
        headers={"HX-Request": "true"},
    )
    assert fragment.status_code == 200 and fragment.text.lstrip().startswith(f'<tr id="enrollment-{ana.id}"')
    client.post(f"/enrollments/{luis.id}", data={"status": "attended", "pre_score": "50", "post_score": "60"})
    page = client.get(f"/activities/{activity.id}/roster").text
    facts = page[page.index('class="facts"') :].split("</dl>")[0]
    assert "25" in facts  # average gain of 40 and 10
    assert "50%" in facts  # one of two reached mastery (70)
    assert "100%" in facts  # response rate
    bad = client.post(
        f"/enrollments/{luis.id}", data={"status": "attended", "satisfaction": "9"}, headers={"HX-Request": "true"}
    )
    assert bad.status_code == 422 and f'id="satisfaction-{luis.id}-error"' in bad.text


def test_the_csv_export_neutralises_formulas(client, make_activity):
    activity = _three_day_training(make_activity)
    _add(client, activity, name='=HYPERLINK("http://evil.example","x")', organization="+SUM(A1:A9)")
    _add(client, activity, name="Tab", organization="@cmd", position="-2+3")
    response = client.get(f"/activities/{activity.id}/roster.csv")
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert rows[0][:4] == ["Full name", "Given names", "Surnames", "Organization"]
    cells = [cell for row in rows[1:] for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert '\'=HYPERLINK("http://evil.example","x")' in cells and "'+SUM(A1:A9)" in cells and "'-2+3" in cells


def test_a_certificate_in_the_participants_language_only_for_those_who_completed(client, make_activity, session):
    activity = _three_day_training(make_activity)
    _add(client, activity)
    _add(client, activity, name="Sam", language="en", status="absent")
    ana, sam = session.exec(select(Participant).order_by(Participant.id)).all()
    page = client.get(f"/activities/{activity.id}/certificates/{ana.id}")
    assert page.status_code == 200 and '<html lang="es">' in page.text and "Ana Pérez" in page.text
    assert "certificate.css" in page.text
    assert client.get(f"/activities/{activity.id}/certificates/{ana.id}?lang=en").text.count('<html lang="en">') == 1
    assert client.get(f"/activities/{activity.id}/certificates/{sam.id}").status_code == 404


def test_duplicates_are_merged_without_losing_attendance(client, make_activity, session):
    first, second = _three_day_training(make_activity), make_activity(title_en="Second")
    _add(client, first, organization="MiAMBIENTE")
    _add(client, second, organization="Ministerio de Ambiente", email="ana@example.org")
    keep, duplicate = session.exec(select(Participant).order_by(Participant.id)).all()
    page = client.get("/participants/duplicates").text
    assert "Ministerio de Ambiente" in page
    client.post(f"/participants/{duplicate.id}/merge", data={"into": keep.id})
    session.expire_all()
    (person,) = session.exec(select(Participant)).all()
    assert person.id == keep.id and person.email == "ana@example.org"
    assert len(session.exec(select(Enrollment).where(Enrollment.participant_id == keep.id)).all()) == 2


def test_names_and_scores_are_for_signed_in_people_only(anon, login, make_user, make_activity, client):
    activity = _three_day_training(make_activity)
    _add(client, activity)
    for url in (
        f"/activities/{activity.id}/roster",
        f"/activities/{activity.id}/roster.csv",
        f"/activities/{activity.id}/certificates/1",
        "/participants/duplicates",
    ):
        response = anon.get(url, follow_redirects=False)
        assert response.status_code == 303 and "Ana" not in response.text
    partner = login(make_user("partner"))
    assert "Ana Pérez" in partner.get(f"/activities/{activity.id}/roster").text  # partners see names
    assert partner.post(f"/activities/{activity.id}/roster", data=PERSON).status_code == 403
    with time_machine.travel("2026-12-01T12:00:00Z"):
        public = anon.get("/").text
    assert "Ana" not in public


def test_blank_numbers_on_a_roster_row_mean_not_recorded(client, make_activity, session):
    activity = _three_day_training(make_activity)
    _add(client, activity)
    (row,) = session.exec(select(Enrollment)).all()
    blank = {"status": "attended", "days_attended": "", "pre_score": "", "post_score": "", "satisfaction": ""}
    assert client.post(f"/enrollments/{row.id}", data=blank, follow_redirects=False).status_code == 303
    session.refresh(row)
    assert (row.days_attended, row.pre_score, row.post_score, row.satisfaction) == (None, None, None, None)

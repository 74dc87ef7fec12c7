"""The public survey form, and the managers' page of test questions."""

import time_machine
from sqlmodel import select

from tests.surveys.conftest import links_in
from tracker.models import ActivityStatus, Enrollment, SurveyInvitation, SurveyQuestion
from tracker.surveys import service as survey_service


def _invite(session, activity, run_sweep, moment="2026-03-11T13:00:00", held=True):
    if held:
        activity.status = ActivityStatus.held
        session.add(activity)
        session.commit()
    run_sweep(moment)
    return links_in(session.get_bind(), "survey_evaluation" if held else "survey_pretest")[-1]


def _csrf(client, link) -> str:
    client.get(link)
    return client.cookies.get("tracker_csrf")


def test_a_forged_token_is_a_404_and_an_expired_link_a_clear_page(session, anon, workshop, enroll, run_sweep):
    enroll(workshop)
    link = _invite(session, workshop, run_sweep)
    assert anon.get("/survey/forged-token").status_code == 404
    assert anon.get(link[:-1] + ("A" if link[-1] != "A" else "B")).status_code == 404
    with time_machine.travel("2026-03-12T13:00:00Z", tick=False):
        _csrf(anon, link)
    with time_machine.travel("2026-04-10T13:00:01Z", tick=False):
        page = anon.get(link)
        assert page.status_code == 410 and "Esta encuesta se ha cerrado" in page.text
        assert "Enviar mis respuestas" not in page.text
        refused = anon.post(link, data={"csrf_token": anon.cookies.get("tracker_csrf"), "satisfaction": "5"})
        assert refused.status_code == 410
    assert session.exec(select(SurveyInvitation)).one().answered_at is None


def test_an_incomplete_answer_is_shown_again_with_each_message_tied_to_its_group(
    session, anon, workshop, enroll, questions, run_sweep
):
    questions(workshop)
    enroll(workshop)
    link = _invite(session, workshop, run_sweep)
    with time_machine.travel("2026-03-12T13:00:00Z", tick=False):
        response = anon.post(link, data={"csrf_token": _csrf(anon, link), "relevance": "3", "apply": "Lo típico"})
    assert response.status_code == 422
    html = response.text
    assert 'aria-describedby="satisfaction-error"' in html and 'id="satisfaction-error"' in html
    assert "Elija una opción." in html and "Elija una respuesta." in html
    assert 'value="3" checked' in html and "Lo típico" in html  # what was typed stays
    assert '<a href="#satisfaction">' in html and "<legend>" in html
    assert session.exec(select(SurveyInvitation)).one().answered_at is None


def test_hostile_text_is_shown_as_text(session, anon, make_activity, enroll, run_sweep):
    activity = make_activity(title_es="<script>alert(1)</script> Taller", title_en="<img src=x onerror=alert(2)>")
    question = SurveyQuestion(activity_id=activity.id, position=1, text_es="<b>¿Qué?</b>", correct=0,
                              choices=[{"es": "<i>Sí</i>"}, {"es": "No"}])  # fmt: skip
    session.add(question)
    session.commit()
    enroll(activity)
    link = _invite(session, activity, run_sweep)
    with time_machine.travel("2026-03-12T13:00:00Z", tick=False):
        html = anon.get(link).text
        data = {"csrf_token": _csrf(anon, link), "satisfaction": "4", "relevance": "4",
                "comments": "<script>x</script>", f"q{question.id}": "0"}  # fmt: skip
        assert anon.post(link, data=data, follow_redirects=False).status_code == 303
        thanks = anon.get(link).text
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>¿Qué?</b>" not in html and "&lt;b&gt;¿Qué?&lt;/b&gt;" in html and "<i>Sí</i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in thanks
    assert session.exec(select(SurveyInvitation)).one().answers["comments"] == "<script>x</script>"  # stored as typed


def test_the_page_speaks_the_participant_s_language_and_switches_on_request(session, anon, workshop, enroll, run_sweep):
    enroll(workshop, name="John Smith", email="john@arb.ca.gov", language="en")
    link = _invite(session, workshop, run_sweep)
    with time_machine.travel("2026-03-12T13:00:00Z", tick=False):
        english = anon.get(link, headers={"Accept-Language": "es"})
        assert 'lang="en"' in english.text and "Your evaluation" in english.text
        assert f'href="{link}?lang=es"' in english.text  # the language switch
        spanish = anon.get(link + "?lang=es")
        assert "Su evaluación" in spanish.text and "Taller de mercados de carbono" in spanish.text


def test_the_pretest_is_scored_into_the_roster_s_pre_test(session, anon, workshop, enroll, questions, run_sweep):
    first, second = questions(workshop)
    enrollment = enroll(workshop, status="registered")
    link = _invite(session, workshop, run_sweep, moment="2026-03-08T13:00:00", held=False)
    with time_machine.travel("2026-03-09T13:00:00Z", tick=False):
        page = anon.get(link)
        assert "Antes de la actividad" in page.text and "satisfaction" not in page.text
        data = {"csrf_token": anon.cookies.get("tracker_csrf"), f"q{first.id}": "1", f"q{second.id}": "0"}
        assert anon.post(link, data=data, follow_redirects=False).status_code == 303
    session.expire_all()
    assert session.get(Enrollment, enrollment.id).pre_score == 100
    assert session.exec(select(SurveyInvitation)).one().score == 100


def test_a_manager_writes_reorders_and_removes_test_questions(client, session, workshop):
    url = f"/activities/{workshop.id}/surveys"
    assert "Tests and evaluations" in client.get(f"/activities/{workshop.id}").text
    refused = client.post(f"{url}/questions", data={"text_es": "Sin respuestas", "choice_0_es": "Una"})
    assert refused.status_code == 422 and "Write at least two answers." in refused.text
    assert "Sin respuestas" in refused.text
    for text in ("Primera", "Segunda"):
        data = {"text_es": text, "choice_0_es": "A", "choice_2_es": "B", "choice_2_en": "B", "correct": "2"}
        assert client.post(f"{url}/questions", data=data, follow_redirects=False).status_code == 303
    first, second = survey_service.questions_of(session, activity_id=workshop.id)
    assert first.text_es == "Primera" and first.correct == 1 and first.choices[1] == {"en": "B", "es": "B"}
    client.post(f"{url}/questions/{second.id}/move", data={"direction": "up"})
    session.expire_all()
    assert [q.text_es for q in survey_service.questions_of(session, activity_id=workshop.id)] == ["Segunda", "Primera"]
    edited = {"text_es": "Primera", "text_en": "First", "choice_0_es": "A", "choice_1_es": "B", "correct": "0"}
    assert client.post(f"{url}/questions/{first.id}", data=edited, follow_redirects=False).status_code == 303
    assert "Remove this question?" in client.get(f"{url}/questions/{first.id}/delete").text
    assert client.post(f"{url}/questions/{first.id}/delete", follow_redirects=False).status_code == 303
    session.expire_all()
    assert [q.text_en for q in survey_service.questions_of(session, activity_id=workshop.id)] == [None]
    page = client.get(url)
    assert page.status_code == 200 and "Response rates" in page.text and "Segunda" in page.text


def test_another_partnership_s_manager_cannot_reach_the_questions(session, login, sonora, workshop):
    from tracker.accounts import service as account_service

    outsider = account_service.grant_login(
        session, email="manager@sonora.gob.mx", name="Sonora Manager", role="manager",
        partnership_id=sonora["partnership"].id, timezone="America/Hermosillo",
    )  # fmt: skip
    session.commit()
    other = login(outsider)
    assert other.get(f"/activities/{workshop.id}/surveys").status_code == 404
    assert other.post(f"/activities/{workshop.id}/surveys/questions", data={}).status_code == 404


def test_the_activity_page_shows_the_response_rates(client, session, workshop, enroll, run_sweep, anon):
    enroll(workshop)
    enroll(workshop, name="Otra Persona", email="otra@example.org")
    link = _invite(session, workshop, run_sweep)
    with time_machine.travel("2026-03-12T13:00:00Z", tick=False):
        data = {"csrf_token": _csrf(anon, link), "satisfaction": "4", "relevance": "5"}
        anon.post(link, data=data)
    page = client.get(f"/activities/{workshop.id}")
    section = page.text.split('id="surveys-title"')[1].split("</section>")[0]
    assert "Evaluation after it" in section and "50%" in section

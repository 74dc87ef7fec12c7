"""Done when: an attendee who registered in Spanish answers the evaluation in Spanish, and 90 days later (on an
injected clock) the follow-up; the indicators page shows the response rate and the share applying."""

import time_machine
from sqlmodel import select

from tests.conftest import SLUG
from tests.surveys.conftest import links_in
from tracker.models import Enrollment, OutboxMessage, SurveyInvitation


def test_it_evaluates_in_spanish_then_follows_up_90_days_later_and_the_indicators_follow(
    session, engine, client, anon, workshop, enroll, questions, run_sweep
):
    questions(workshop)
    enrollment = enroll(workshop)
    enroll(workshop, name="Absent Person", email="absent@example.org", status="absent")
    enroll(workshop, name="No Email", email=None)
    # Marked held through the API: the sweep finds it whatever path marked it.
    response = client.post(f"/api/v1/activities/{workshop.id}/held", json={"outcomes_es": "Se formaron 20 técnicos."})
    assert response.status_code == 200

    assert run_sweep("2026-03-10T21:59:00").surveys.invited == 0  # before the end (17:00 in Panama)
    report = run_sweep("2026-03-10T22:30:00")
    assert report.surveys.invited == 1  # only the attendee with an email
    assert run_sweep("2026-03-10T22:31:00").surveys.invited == 0
    (email,) = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "survey_evaluation")).all()
    assert email.to_address == "mjquintero@miambiente.gob.pa" and email.language == "es"
    assert "Taller de mercados de carbono" in email.subject
    (link,) = links_in(engine, "survey_evaluation")

    with time_machine.travel("2026-03-12T15:00:00Z", tick=False):
        page = anon.get(link)
        assert page.status_code == 200 and 'lang="es"' in page.text
        assert "Su evaluación" in page.text and "¿Qué es un crédito de carbono?" in page.text
        assert page.headers["cache-control"] == "no-store" and page.headers["referrer-policy"] == "no-referrer"
        token = anon.cookies.get("tracker_csrf")
        answers = {"csrf_token": token, "satisfaction": "5", "relevance": "4", "apply": "El registro de MRV.",
                   "comments": "Muy útil", "q" + str(questions_ids(session, workshop)[0]): "1",
                   "q" + str(questions_ids(session, workshop)[1]): "1"}  # fmt: skip
        answered = anon.post(link, data=answers, follow_redirects=False)
        assert answered.status_code == 303
        thanks = anon.get(link)
        assert thanks.status_code == 200 and "Gracias" in thanks.text and "Enviar mis respuestas" not in thanks.text
        # A second submission changes nothing.
        again = anon.post(link, data=answers | {"satisfaction": "1"}, follow_redirects=False)
        assert again.status_code == 200
    session.expire_all()
    row = session.get(Enrollment, enrollment.id)
    assert (row.satisfaction, row.post_score) == (5, 50)  # one of two right
    evaluation = session.exec(select(SurveyInvitation).where(SurveyInvitation.kind == "evaluation")).one()
    assert evaluation.relevance == 4 and evaluation.answers["apply"] == "El registro de MRV."

    # No reminder for someone who answered; no follow-up before 90 days.
    assert run_sweep("2026-03-20T13:00:00").surveys.reminded == 0
    assert run_sweep("2026-06-08T21:00:00").surveys.invited == 0
    assert run_sweep("2026-06-08T22:30:00").surveys.invited == 1  # 90 days after the end
    (followup,) = links_in(engine, "survey_followup")
    with time_machine.travel("2026-06-09T15:00:00Z", tick=False):
        page = anon.get(followup)
        assert "¿Ha aplicado lo que aprendió?" in page.text and "crédito de carbono" not in page.text
        uses = ["inventory", "colleagues"]
        answers = {"csrf_token": anon.cookies.get("tracker_csrf"), "applied": "partly", "uses": uses,
                   "how": "En el inventario nacional.", "result": "Un informe."}  # fmt: skip
        assert anon.post(followup, data=answers, follow_redirects=False).status_code == 303
    done = session.exec(select(SurveyInvitation).where(SurveyInvitation.kind == "followup")).one()
    session.refresh(done)
    assert done.applied == "partly" and done.answers["uses"] == ["inventory", "colleagues"]

    page = client.get(f"/partnerships/{SLUG}/indicators?lang=es")
    assert page.status_code == 200
    section = page.text.split('id="surveys-indicators-title"')[1]
    assert "Evaluación" in section and "100" in section  # 1 of 1 answered
    assert "Aplican lo aprendido" in section
    api = client.get(f"/api/v1/partnerships/{SLUG}/indicators").json()
    applying = next(i for i in api["surveys"] if i["code"] == "applying_at_followup")
    assert applying["periods"][0]["actual"][0] == {"value": 100.0, "dimensions": []}
    assert {"value": 100.0, "dimensions": [{"name": "sex", "value": "female"}]} in applying["periods"][0]["actual"]


def questions_ids(session, activity) -> list[int]:
    from tracker.surveys.service import questions_of

    return [q.id for q in questions_of(session, activity_id=activity.id)]

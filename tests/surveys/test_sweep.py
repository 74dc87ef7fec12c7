"""The sweep: who is invited when, the one reminder, exactly once, cheap when nothing is due, real SMTP."""

import threading

import time_machine
from sqlalchemy import event
from sqlmodel import Session, select

from tests.surveys.conftest import at, links_in
from tracker.models import ActivityStatus, OutboxMessage, SurveyInvitation
from tracker.reminders.sweep import sweep
from tracker.surveys import sweep as survey_sweep


def _held(session, activity):
    activity.status = ActivityStatus.held
    session.add(activity)
    session.commit()


def _kinds(session) -> list[str]:
    session.expire_all()
    return [m.kind for m in session.exec(select(OutboxMessage).order_by(OutboxMessage.id))]


def test_it_sends_the_pretest_three_days_before_the_start_to_registered_people_when_there_are_questions(
    session, workshop, enroll, questions, run_sweep
):
    enroll(workshop, status="registered")
    assert run_sweep("2026-03-07T13:00:00").surveys.invited == 0  # no questions yet
    questions(workshop)
    assert run_sweep("2026-03-07T13:59:00").surveys.invited == 0  # 3 days before 14:00 UTC is not yet
    assert run_sweep("2026-03-07T14:00:00").surveys.invited == 1
    assert run_sweep("2026-03-08T14:00:00").surveys.invited == 0
    invitation = session.exec(select(SurveyInvitation)).one()
    assert invitation.kind == "pretest" and invitation.expires_at == at("2026-03-10T14:00:00")
    # Registered later, still before the start: at once.
    enroll(workshop, name="Late Comer", email="late@example.org", status="registered")
    assert run_sweep("2026-03-10T13:00:00").surveys.invited == 1
    assert run_sweep("2026-03-10T14:00:00").surveys.invited == 0  # started: no more pre-tests
    assert _kinds(session) == ["survey_pretest", "survey_pretest"]


def test_it_reminds_those_who_have_not_answered_once_only(session, workshop, enroll, run_sweep):
    _held(session, workshop)
    enroll(workshop)
    assert run_sweep("2026-03-11T13:00:00").surveys.invited == 1
    assert run_sweep("2026-03-18T12:59:00").surveys.reminded == 0
    assert run_sweep("2026-03-18T13:00:00").surveys.reminded == 1
    for moment in ("2026-03-18T13:01:00", "2026-03-25T13:00:00", "2026-04-05T13:00:00"):
        assert run_sweep(moment).surveys.reminded == 0
    assert _kinds(session) == ["survey_evaluation", "survey_evaluation"]
    first, reminder = session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert reminder.subject.startswith("Recordatorio") and not first.subject.startswith("Recordatorio")
    # The reminder carries the same personal link.
    assert len(set(links_in(session.get_bind(), "survey_evaluation"))) == 1


def test_a_second_claim_of_the_same_invitation_loses(engine, session, workshop, enroll):
    _held(session, workshop)
    enrollment = enroll(workshop)
    now = at("2026-03-11T13:00:00")
    won = []
    for token in ("a", "b"):
        with Session(engine) as s:
            won.append(survey_sweep._claim(s, enrollment_id=enrollment.id, kind="evaluation", token=token,
                                           sent_at=now, expires_at=now))  # fmt: skip
            s.commit()
    assert won == [True, False]
    assert len(session.exec(select(SurveyInvitation)).all()) == 1


def test_two_sweeps_at_once_invite_each_person_once(engine, settings, session, workshop, enroll):
    _held(session, workshop)
    for i in range(5):
        enroll(workshop, name=f"Persona Número{i}", email=f"p{i}@example.org")
    start = threading.Barrier(2)
    reports = []

    def run():
        start.wait()
        reports.append(sweep(engine, settings, now=at("2026-03-11T13:00:00")).surveys.invited)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(reports) == 5
    assert _kinds(session) == ["survey_evaluation"] * 5


def test_it_never_invites_for_an_activity_held_long_ago_or_absent_people_or_people_without_email(
    session, make_activity, enroll, run_sweep
):
    old = make_activity(title_en="Old workshop", start_local="2025-06-10T09:00", end_local="2025-06-10T17:00")
    _held(session, old)
    enroll(old)
    current = make_activity()
    _held(session, current)
    enroll(current, name="Ausente Persona", email="ausente@example.org", status="absent")
    enroll(current, name="Sin Correo", email=None)
    assert run_sweep("2026-03-11T13:00:00").surveys.invited == 0


def test_it_is_cheap_when_nothing_is_due(engine, settings, session, workshop, enroll):
    enroll(workshop)  # planned, no questions: nothing to send
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        with Session(engine) as s:
            report = survey_sweep.run(s, settings, now=at("2026-03-11T13:00:00"))
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert report == survey_sweep.SurveyReport()
    assert len(statements) == 4 and all(sql.lstrip().upper().startswith("SELECT") for sql in statements)


def test_the_invitation_reaches_a_real_smtp_server_in_spanish_and_its_link_opens_the_form(
    engine, mail_settings, smtp, session, workshop, enroll, anon
):
    _held(session, workshop)
    enroll(workshop)
    report = sweep(engine, mail_settings, now=at("2026-03-11T13:00:00"))
    assert report.surveys.invited == 1 and report.sent.sent == 1
    (message,) = smtp.inbox.to("mjquintero@miambiente.gob.pa")
    assert message["Subject"] == "¿Qué le pareció «Taller de mercados de carbono»? Su evaluación"
    text = message.get_body(("plain",)).get_content()
    assert "Hola, María José Quintero:" in text and "Su enlace personal (funciona hasta 10 abr 2026):" in text
    html = message.get_body(("html",)).get_content()
    assert "Responder la evaluación" in html
    link = next(word for word in text.split() if "/survey/" in word).replace("http://testserver", "")
    with time_machine.travel("2026-03-12T12:00:00Z", tick=False):
        page = anon.get(link)
    assert page.status_code == 200 and "Su evaluación" in page.text
    # The outbox's preview never shows the personal link.
    preview = anon.get("/outbox/1")
    assert link not in preview.text

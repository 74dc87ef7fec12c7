"""Fixtures for the surveys: a workshop with attendees on its roster, a clock to inject, the sweep, and
the link a participant received."""

import re
from datetime import UTC, datetime
from email import message_from_bytes, policy

import pytest
from sqlmodel import Session, select

from tracker.models import Enrollment, OutboxMessage, Participant, SurveyQuestion
from tracker.reminders.sweep import sweep


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture
def workshop(make_activity):
    """A one-day workshop in Panama City on 10 March 2026, 09:00–17:00 (14:00–22:00 UTC)."""
    return make_activity(title_en="Carbon markets workshop", title_es="Taller de mercados de carbono")


@pytest.fixture
def enroll(session):
    def enroll(activity, *, name="María José Quintero", email="mjquintero@miambiente.gob.pa", language="es",
               status="attended", sex="female", organization="MiAMBIENTE"):  # fmt: skip
        participant = Participant(
            name=name, given_names=name.split()[0], surnames=name.split()[-1], email=email, language=language,
            sex=sex, organization=organization, match_key=f"{name.lower()}|{organization.lower()}",
        )  # fmt: skip
        session.add(participant)
        session.flush()
        enrollment = Enrollment(activity_id=activity.id, participant_id=participant.id, status=status)
        session.add(enrollment)
        session.commit()
        return enrollment

    return enroll


@pytest.fixture
def questions(session):
    """Two questions on the activity's topics, the right answers being the second and the first."""

    def add(activity):
        first = [{"es": "Un impuesto", "en": "A tax"}, {"es": "Una tonelada de CO2e reducida", "en": "A tonne"}]
        first.append({"es": "Un préstamo", "en": "A loan"})
        second = [{"es": "Medición, reporte y verificación", "en": "Measuring, reporting, verifying"}]
        second.append({"es": "Mercado regional voluntario", "en": "A regional voluntary market"})
        made = [
            SurveyQuestion(activity_id=activity.id, position=1, text_es="¿Qué es un crédito de carbono?",
                           text_en="What is a carbon credit?", correct=1, choices=first),
            SurveyQuestion(activity_id=activity.id, position=2, text_es="¿Qué significa MRV?", text_en="What is MRV?",
                           correct=0, choices=second),
        ]  # fmt: skip
        session.add_all(made)
        session.commit()
        return made

    return add


@pytest.fixture
def run_sweep(engine, settings):
    """One sweep at an injected instant (the outbox writes .eml files: no SMTP here)."""

    def run(moment: str, with_settings=None):
        return sweep(engine, with_settings or settings, now=at(moment))

    return run


LINK = re.compile(r"http://testserver(/survey/[A-Za-z0-9_-]+)")


def links_in(engine, kind: str) -> list[str]:
    """The survey addresses in the outbox's emails of one kind, oldest first."""
    with Session(engine) as session:
        rows = session.exec(select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)).all()
        bodies = [message_from_bytes(row.raw, policy=policy.default).get_body(("plain",)).get_content() for row in rows]
        return [LINK.search(body).group(1) for body in bodies]

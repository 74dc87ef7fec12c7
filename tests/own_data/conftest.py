"""Own data's fixtures: a training held in Panama with its roster, the day after it."""

import pytest
import time_machine
from sqlmodel import select

from tracker.models import Enrollment, Participant, utcnow
from tracker.own_data.links import own_data_token

ROSTER = [
    # (given names, surnames, email, language, sex, organization, position, status, pre, post, satisfaction)
    ("María", "Rodríguez Batista", "maria@miambiente.gob.pa", "es", "female", "MiAMBIENTE", "Analista", "attended",
     40, 80, 5),
    ("Sam", "Lee", "sam@arb.ca.gov", "en", "male", "CARB", "Engineer", "attended", 60, 90, 4),
    ("Luis", "Gómez", None, "es", "male", "MiAMBIENTE", "Técnico", "absent", None, None, None),
]  # fmt: skip


@pytest.fixture(autouse=True)
def after_the_training():
    """The day after the training (its certificates may be issued)."""
    with time_machine.travel("2026-11-20T15:00:00Z", tick=True):
        yield


@pytest.fixture
def training(session, make_activity):
    """A three-day training in Panama, 17–19 November 2026, and its roster."""
    activity = make_activity(
        kind="technical_training",
        title_en="Carbon market design",
        title_es="Diseño de mercados de carbono",
        start_local="2026-11-17T09:00",
        end_local="2026-11-19T17:00",
    )
    for given, surnames, email, language, sex, org, position, status, pre, post, satisfaction in ROSTER:
        participant = Participant(
            given_names=given, surnames=surnames, name=f"{given} {surnames}", email=email, language=language,
            sex=sex, country="PA", organization=org, position=position, match_key=f"{given} {surnames}|{org}".lower(),
        )  # fmt: skip
        session.add(participant)
        session.flush()
        session.add(
            Enrollment(activity_id=activity.id, participant_id=participant.id, status=status, pre_score=pre,
                       post_score=post, satisfaction=satisfaction)
        )  # fmt: skip
    session.commit()
    return activity


@pytest.fixture
def maria(session, training) -> Participant:
    return session.exec(select(Participant).where(Participant.given_names == "María")).one()


def token_for(settings, record, kind: str = "participant") -> str:
    """The token of someone's own-data link, as their emails carry it."""
    return own_data_token(settings.secret_key, kind, record.id, now=utcnow())

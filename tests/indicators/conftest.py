"""Roster factories for the indicator tests."""

from datetime import date

import pytest

from tracker.models import ActivityStatus, CooperationArea, Enrollment, Participant, Partnership
from tracker.participants.rules import match_key


@pytest.fixture
def held(session, make_activity):
    """An activity marked held (a one-day workshop in Panama City on 2026-03-10 unless told otherwise)."""

    def make(areas=None, **overrides):
        activity = make_activity(**overrides)
        activity.status = ActivityStatus.held
        if areas is not None:
            activity.areas = areas
        session.add(activity)
        session.commit()
        return activity

    return make


@pytest.fixture
def person(session):
    """A participant; match_key set as the roster would set it."""

    def make(name="Ana Pérez", organization="MiAMBIENTE", sex="female", country="PA", email=None):
        participant = Participant(
            given_names=name,
            name=name,
            organization=organization,
            sex=sex,
            country=country,
            email=email,
            match_key=match_key(name, "", organization),
        )
        session.add(participant)
        session.commit()
        return participant

    return make


@pytest.fixture
def enroll(session):
    """A roster row: attended every day unless told otherwise."""

    def make(activity, participant, status="attended", days=None, pre=None, post=None, satisfaction=None):
        row = Enrollment(
            activity_id=activity.id,
            participant_id=participant.id,
            status=status,
            days_attended=days,
            pre_score=pre,
            post_score=post,
            satisfaction=satisfaction,
        )
        session.add(row)
        session.commit()
        return row

    return make


@pytest.fixture
def trained(person, enroll):
    """n people who completed an activity, each of their own (sex, organization)."""

    def make(activity, n, sex="female", organization="MiAMBIENTE", **scores):
        people = [person(name=f"{sex} {organization} {i}", organization=organization, sex=sex) for i in range(n)]
        for p in people:
            enroll(activity, p, **scores)
        return people

    return make


@pytest.fixture
def other_partnership(session):
    """A second MOU, with one area of its own."""
    other = Partnership(
        slug="other-mou",
        title_en="Another MOU",
        title_es="Otro MOU",
        signed_on=date(2025, 1, 1),
        starts_on=date(2025, 1, 1),
        ends_on=date(2026, 12, 31),
    )
    session.add(other)
    session.flush()
    area = CooperationArea(partnership_id=other.id, number=1, slug="forests", name_en="Forests", name_es="Bosques")
    session.add(area)
    session.commit()
    return other, area

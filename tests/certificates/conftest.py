"""Certificates' fixtures: a file store of the test's own, a three-day training with people who completed
it and people who did not, and images (a real PNG and JPEG, made here)."""

from io import BytesIO

import pytest
import time_machine
from PIL import Image, ImageDraw
from sqlmodel import select

from tracker.models import Certificate, Enrollment, Participant
from tracker.storage import LocalFileStore

PEOPLE = [
    # (given names, surnames, email, language, status, days attended)
    ("Ana María", "Pérez Batista", "ana@miambiente.gob.pa", "es", "attended", None),
    ("Sam", "Lee", "sam@arb.ca.gov", "en", "attended", 3),
    ("Luis", "Gómez", None, "es", "attended", 3),
    ("Rosa", "Díaz", "rosa@example.org", "es", "attended", 1),  # 1 of 3 days: did not complete
    ("Juan", "Ortega", "juan@example.org", "es", "absent", None),
]


@pytest.fixture(autouse=True)
def files(app, tmp_path):
    """Uploaded images go to this test's folder, never to the repository's data/."""
    store = app.state.file_store = LocalFileStore(tmp_path / "files")
    yield store
    del app.state.file_store


@pytest.fixture
def training(session, make_activity):
    """A three-day technical training (17–19 November 2026 in Panama) and its roster."""
    activity = make_activity(
        kind="technical_training",
        title_en="Carbon market design",
        title_es="Diseño de mercados de carbono",
        start_local="2026-11-17T09:00",
        end_local="2026-11-19T17:00",
    )
    for given, surnames, email, language, status, days in PEOPLE:
        name = f"{given} {surnames}"
        participant = Participant(
            given_names=given,
            surnames=surnames,
            name=name,
            email=email,
            language=language,
            match_key=name.lower(),
            organization="MiAMBIENTE",
        )
        session.add(participant)
        session.flush()
        session.add(Enrollment(activity_id=activity.id, participant_id=participant.id, status=status,
                               days_attended=days))  # fmt: skip
    session.commit()
    return activity


@pytest.fixture
def people(session, training) -> dict[str, Participant]:
    """The training's participants by given names."""
    return {p.given_names: p for p in session.exec(select(Participant))}


def image_bytes(kind: str = "PNG", size=(240, 80), text: str = "Firma") -> bytes:
    """A small real image with a scribble on it."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    draw.line(
        [(10, size[1] - 20), (size[0] // 3, 15), (size[0] // 2, size[1] - 25), (size[0] - 15, 20)], fill="navy", width=4
    )
    draw.text((12, 8), text, fill="black")
    out = BytesIO()
    image.save(out, kind)
    return out.getvalue()


@pytest.fixture(autouse=True)
def after_the_training():
    """Every test here happens the day after the training (certificates are issued once it has begun)."""
    with time_machine.travel("2026-11-20T15:00:00Z", tick=True):
        yield


def issue(client, activity):
    """Issue the activity's certificates as a manager would, and the page that reports it."""
    response = client.post(f"/activities/{activity.id}/certificates/issue", follow_redirects=False)
    assert response.status_code == 303, response.text
    return client.get(response.headers["location"])


def certificates_of(session) -> dict[str, Certificate]:
    """The certificates issued so far, by their holder's given names."""
    session.expire_all()
    rows = session.exec(
        select(Participant.given_names, Certificate)
        .join(Enrollment, Enrollment.participant_id == Participant.id)
        .join(Certificate, Certificate.enrollment_id == Enrollment.id)
    ).all()
    return {given: certificate for given, certificate in rows}

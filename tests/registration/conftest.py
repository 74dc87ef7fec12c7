"""Fixtures of public registration: a partnership with its consent text, a workshop ahead, its open form,
and a visitor filling the form in."""

from email import message_from_bytes, policy

import pytest
from sqlmodel import select

from tracker.models import OutboxMessage, utcnow
from tracker.registration import service as registration_service

CONSENT_ES = "Acepto que MiAMBIENTE y CARB conserven mis datos para organizar la actividad (Ley 81 de 2019)."
CONSENT_EN = "I agree that MiAMBIENTE and CARB keep my details to organize the activity (Law 81 of 2019)."
PERSON = {
    "given_names": "María José",
    "surnames": "Rodríguez Batista",
    "organization": "MiAMBIENTE",
    "position": "Analista de mercados de carbono",
    "country": "PA",
    "email": "maria.rodriguez@miambiente.gob.pa",
    "sex": "female",
    "language": "es",
    "needs": "Interpretación al español",
    "consent": "on",
}


@pytest.fixture
def consent(session, mou):
    mou.consent_es, mou.consent_en = CONSENT_ES, CONSENT_EN
    session.add(mou)
    session.commit()
    return mou


@pytest.fixture
def workshop(make_activity, consent):
    """A workshop in Panama City ahead of today, taught in Spanish first."""
    return make_activity(
        title_en="Carbon markets workshop",
        title_es="Taller de mercados de carbono",
        start_local="2027-02-16T09:00",
        end_local="2027-02-16T17:00",
        languages=["es", "en"],
    )


@pytest.fixture
def open_form(session, workshop):
    """Open the workshop's form (with these settings); its public address's token."""

    def open_form(activity=workshop, capacity=None, needs_approval=False, closes_at=None) -> str:
        form = registration_service.open_form(
            session,
            activity=activity,
            capacity=capacity,
            closes_at=closes_at,
            needs_approval=needs_approval,
            by=None,
            now=utcnow(),
        )
        session.commit()
        return form.token

    return open_form


def csrf_of(html: str) -> str:
    return html.split('name="csrf_token" value="')[1].split('"')[0]


@pytest.fixture
def register(anon):
    """Fill in a form as a visitor: the page first (its CSRF token), then the answers."""

    def register(token: str, client=None, lang: str | None = None, **changes):
        client = client or anon
        suffix = f"?lang={lang}" if lang else ""
        page = client.get(f"/register/{token}{suffix}")
        data = {**PERSON, **changes, "csrf_token": csrf_of(page.text)}
        data = {key: value for key, value in data.items() if value is not None}
        return client.post(f"/register/{token}{suffix}", data=data, follow_redirects=False)

    return register


def outbox(session) -> list:
    """Every queued email, parsed, with its kind."""
    session.expire_all()
    rows = session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    return [(row.kind, message_from_bytes(row.raw, policy=policy.default)) for row in rows]


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def personal_link(message) -> str:
    import re

    return re.search(r"http://testserver(/my-registration/[A-Za-z0-9_-]+)", text_of(message)).group(1)

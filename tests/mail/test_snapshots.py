"""Every kind of email, in English and Spanish, against a reviewed copy under tests/mail/snapshots/:
a changed email is a visible diff in review. After a deliberate change, regenerate the copies with
`UPDATE_SNAPSHOTS=1 pytest tests/mail/test_snapshots.py`, read them, and commit them with the change."""

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tracker.accounts.emails import link_context
from tracker.config import Settings
from tracker.mail.render import render
from tracker.models import Person, ReminderMode
from tracker.reminders.emails import Item, reminder_context

SNAPSHOTS = Path(__file__).parent / "snapshots"
SETTINGS = Settings(base_url="https://tracker.example.org", secret_key="snapshot-secret")
NOW = datetime(2026, 6, 1, 13, 0, tzinfo=UTC)
PEOPLE = {
    "en": Person(id=7, name="Sam Lee", email="sam@arb.ca.gov", language="en", timezone="America/Los_Angeles",
                 role="manager", reminder_mode=ReminderMode.digest),
    "es": Person(id=8, name="Ana Pérez Batista", email="ana@miambiente.gob.pa", language="es",
                 timezone="America/Panama", role="partner", partnership_id=1, reminder_mode=ReminderMode.digest),
}  # fmt: skip
ITEMS = {
    "en": [
        Item("deliverable", "MRV roadmap", "May 29, 2026", None, "https://tracker.example.org/deliverables/3",
             "overdue", -3),
        Item("activity", "Carbon market workshop", "Mon, Jun 8, 2026, 7:00 – 3:00 PM PDT", "Panama City",
             "https://tracker.example.org/activities/5", "upcoming", 7),
    ],
    "es": [
        Item("deliverable", "Hoja de ruta MRV", "29 may 2026", None, "https://tracker.example.org/deliverables/3",
             "overdue", -3),
        Item("deliverable", "Inventario de GEI", "1 jun 2026", None, "https://tracker.example.org/deliverables/4",
             "today", 0),
        Item("activity", "Taller de mercado de carbono", "lun, 8 jun 2026, 9:00 – 17:00 hora de Panamá",
             "Ciudad de Panamá", "https://tracker.example.org/activities/5", "upcoming", 7),
    ],
}  # fmt: skip


def _context(kind: str, language: str) -> dict:
    person = PEOPLE[language]
    shared = {"recipient": person, "lang": language, "base_url": SETTINGS.base_url}
    if kind in ("invitation", "password_reset"):
        purpose = "invitation" if kind == "invitation" else "reset"
        return shared | link_context(SETTINGS, person=person, purpose=purpose, token="TOKEN-FOR-SNAPSHOTS")
    items = ITEMS[language][:1] if kind == "reminder" else ITEMS[language]
    return shared | reminder_context(SETTINGS, person=person, items=items, now=NOW)


def _written(kind: str, language: str) -> str:
    email = render(kind, _context(kind, language), language)
    return f"Subject: {email.subject}\n\n----- text -----\n{email.text}\n----- html -----\n{email.html}\n"


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("kind", ["invitation", "password_reset", "reminder", "digest"])
def test_each_email_reads_as_reviewed(kind, language):
    path = SNAPSHOTS / f"{kind}.{language}.txt"
    written = _written(kind, language)
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(written, encoding="utf-8")
    assert path.exists(), f"no reviewed copy of {path.name}: run with UPDATE_SNAPSHOTS=1, then read it"
    assert written == path.read_text(encoding="utf-8")

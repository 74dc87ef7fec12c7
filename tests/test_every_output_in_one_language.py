"""What keeps the tracker in one language: a Spanish reader finds no English and no internal value in
anything the tracker hands out (pages with their history and audit trail, the charts' SVG titles, CSV and
XLSX exports, calendar feeds, every kind of email), and an English reader no Spanish.

One set of records, written in both languages and taken through edits, a roster and a sweep, is read in
each language; every text a reader meets is checked by one function, `leftovers`.
"""

import csv
import io
import re
from contextlib import closing
from datetime import UTC, datetime
from email.message import EmailMessage

import pytest
import time_machine
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient
from icalendar import Calendar
from openpyxl import load_workbook
from sqlmodel import SQLModel, select

from tests.conftest import SLUG, signed_in
from tests.mail.test_pipeline import INVITEE, csrf_of, tracker_with
from tests.progress.test_pages import visible_text
from tracker import models
from tracker.accounts.service import grant_login
from tracker.i18n import LANGUAGES, catalog_path
from tracker.models import OutboxMessage, Person
from tracker.reminders.sweep import sweep

NOW = "2026-06-01T13:00Z"
ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?\b")
# Words that belong to one language only: a sentence in the other one carrying them was left untranslated.
# ("and" is missing: the Spanish name of area 1 keeps the English term "cap-and-trade", as the MOU does.)
ONLY_IN = {
    "en": {"the", "of", "due", "with", "activity", "activities", "deliverable", "deliverables", "workshop"},
    "es": {"el", "los", "las", "del", "y", "para", "actividad", "actividades", "entregable", "entregables", "taller"},
}
TEXTS = {  # every bilingual text, in both languages: whatever a reader sees of it is theirs
    "activity": {"title_en": "Carbon market workshop", "title_es": "Taller sobre el mercado de carbono",
                 "summary_en": "Two days on market design.", "summary_es": "Dos días sobre diseño de mercados."},
    "deliverable": {"title_en": "MRV roadmap", "title_es": "Hoja de ruta MRV",
                    "description_en": "A plan in phases.", "description_es": "Un plan por fases."},
}  # fmt: skip


def _catalog():
    with catalog_path("es").open("rb") as fp:
        return read_po(fp, locale="es")


def _interface_strings() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """For each reader, the interface's own strings, and those of the other language (where the two differ)."""
    own, other = {"en": set(), "es": set()}, {"en": set(), "es": set()}
    for entry in _catalog():
        if entry.id and isinstance(entry.id, str) and "%(" not in entry.id and "{" not in entry.id:
            own["en"].add(entry.id)
            own["es"].add(entry.string)
            if entry.string and entry.string != entry.id:
                other["es"].add(entry.id)
                other["en"].add(entry.string)
    return own, other


def _codes() -> tuple[set[str], set[str]]:
    """Stored codes a reader should never see as such: any standing alone ("en", "workshop"), and those
    that cannot be words (with an underscore) anywhere."""
    enums = {str(value) for name in dir(models) if isinstance(enum := getattr(models, name), type)
             and issubclass(enum, models.StrEnum) and enum is not models.StrEnum for value in enum}  # fmt: skip
    return enums, {code for code in enums if "_" in code}


def _field_names() -> set[str]:
    return {
        column.name for table in SQLModel.metadata.tables.values() for column in table.columns if "_" in column.name
    }


(OWN, OTHER_LANGUAGE), FIELD_NAMES = _interface_strings(), _field_names()
ALONE, CODES = _codes()


def leftovers(chunks, language: str) -> list[str]:
    """The texts a reader of `language` should not meet: the other language's interface strings or
    words, stored codes, field names, ISO dates and instants."""
    found = []
    for chunk in chunks:
        prose = re.sub(r"https?://\S+", "", chunk)  # addresses are not words
        words = set(re.findall(r"[^\W\d]+(?:_[^\W\d]+)*", prose.casefold()))
        if (
            chunk in OTHER_LANGUAGE[language]
            or (chunk in ALONE and chunk not in OWN[language])  # "held" is an English word too
            or words & ONLY_IN["en" if language == "es" else "es"]
            or words & CODES
            or words & FIELD_NAMES
            or ISO.search(prose)
        ):
            found.append(chunk)
    return found


@pytest.fixture
def records(client, make_activity, make_deliverable, make_person, session, mou, area):
    """A workshop held with a roster, a deliverable taken through its statuses, each edited once."""
    ana = make_person(name="Ana Pérez Batista", email="ana@miambiente.gob.pa")
    luis = make_person(name="Luis Gómez Núñez", email="luis.gomez@miambiente.gob.pa")
    ana.reminder_mode, luis.reminder_mode = "each", "digest"  # one email per item; all in one a day
    session.commit()
    with time_machine.travel("2026-03-01T12:00Z", tick=False):
        held = make_activity(**TEXTS["activity"], responsible_ids=[ana.id], kind="technical_training",
                             start_local="2026-03-10T09:00", end_local="2026-03-11T17:00")  # fmt: skip
        soon = make_activity(**TEXTS["activity"], responsible_ids=[luis.id],
                             start_local="2026-06-08T09:00", end_local="2026-06-08T17:00")  # fmt: skip
        deliverable = make_deliverable(**TEXTS["deliverable"], owner_id=ana.id, due_on="2026-05-29",
                                      evidence_url="https://example.org/evidence.pdf")  # fmt: skip
        due = make_deliverable(**TEXTS["deliverable"], owner_id=ana.id, due_on="2026-06-08")
    with time_machine.travel("2026-03-12T12:00Z", tick=False):
        patch = {"format": "hybrid", "meeting_url": "https://meet.example.org/x", "version": held.version}
        assert client.patch(f"/api/v1/activities/{held.id}", json=patch).status_code == 200
        outcomes = {"outcomes_en": "A draft registry design.", "outcomes_es": "Un borrador del diseño del registro."}
        assert client.post(f"/api/v1/activities/{held.id}/held", json=outcomes).status_code == 200
        for status in ("in_progress", "submitted"):
            assert (
                client.post(f"/api/v1/deliverables/{deliverable.id}/status", json={"status": status}).status_code == 200
            )
        person = {"given_names": "María", "surnames": "Rodríguez", "organization": "MiAMBIENTE", "sex": "female",
                  "country": "PA", "language": "es", "status": "attended"}  # fmt: skip
        assert client.post(f"/activities/{held.id}/roster", data=person, follow_redirects=False).status_code == 303
    return {"held": held, "soon": soon, "deliverable": deliverable, "due": due, "people": [ana, luis]}


def _page_paths(records) -> list[str]:
    held, deliverable = records["held"].id, records["deliverable"].id
    return [
        "/",
        f"/partnerships/{SLUG}/areas/mrv",
        f"/partnerships/{SLUG}/activities",
        f"/partnerships/{SLUG}/deliverables",
        f"/activities/{held}",
        f"/activities/{held}/edit",
        f"/partnerships/{SLUG}/activities/new",
        f"/activities/{held}/roster",
        f"/deliverables/{deliverable}",
        f"/partnerships/{SLUG}/report?from=2026-01-01&to=2026-06-30",
        f"/partnerships/{SLUG}/calendar?month=2026-06",
        f"/partnerships/{SLUG}/indicators",
        "/admin/audit",
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_with_its_history_audit_trail_and_chart_titles_is_in_one_language(
    records, login, make_user, language
):
    admin = login(make_user("admin", email="admin@arb.ca.gov"))  # the audit trail is theirs; pages too
    admin.cookies.set("lang", language)
    with time_machine.travel(NOW, tick=False):
        pages = {path: admin.get(path) for path in _page_paths(records)}
    for path, response in pages.items():
        assert response.status_code == 200, path
        assert leftovers(visible_text(response.text, language), language) == [], path
    # The charts' tooltips name each activity in the reader's language.
    titles = re.findall(r"<title>([^<]*)</title>", pages["/"].text.split("<svg", 1)[1])
    expected = TEXTS["activity"][f"title_{language}"]
    assert any(expected in title for title in titles), titles
    history = pages[f"/activities/{records['held'].id}"].text
    assert {"es": "Híbrido", "en": "Hybrid"}[language] in history  # the history, in words
    assert not [chunk for chunk in visible_text(history, language) if "America/" in chunk]  # zones by name


def _cells_of_csv(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row if cell]


def _cells_of_xlsx(content: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return [
        cell for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row if isinstance(cell, str)
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_export_is_in_one_language_and_scripts_still_get_codes(records, client, language):
    held = records["held"].id
    report = f"/partnerships/{SLUG}/report.{{}}?from=2026-01-01&to=2026-06-30&lang={language}"
    exports = {
        "roster.csv": _cells_of_csv(client.get(f"/activities/{held}/roster.csv?lang={language}").text),
        "roster.xlsx": _cells_of_xlsx(client.get(f"/activities/{held}/roster.xlsx?lang={language}").content),
        "report.csv": _cells_of_csv(client.get(report.format("csv")).text),
        "report.xlsx": _cells_of_xlsx(client.get(report.format("xlsx")).content),
    }
    for name, cells in exports.items():
        assert cells, name
        assert leftovers(cells, language) == [], name
    assert {"es": "Mujer", "en": "Female"}[language] in exports["roster.xlsx"]
    codes = _cells_of_csv(client.get(f"/activities/{held}/roster.csv?codes=1&lang={language}").text)
    assert "female" in codes and "attended" in codes  # the same in any language


def _feed_texts(content: bytes) -> list[str]:
    calendar = Calendar.from_ical(content)
    texts = [str(calendar["X-WR-CALNAME"])] if "X-WR-CALNAME" in calendar else []
    for component in calendar.walk():
        texts += [str(component[key]) for key in ("SUMMARY", "DESCRIPTION", "LOCATION") if key in component]
    return [line for text in texts for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_calendar_feed_is_in_its_own_language(records, login, make_user, session, mou, anon, area, language):
    admin = login(make_user("admin", email="admin@arb.ca.gov"))
    assert admin.post(f"/admin/partnerships/{SLUG}/calendar", follow_redirects=False).status_code == 303
    session.refresh(mou)
    for path in (f"/calendar/{mou.calendar_token}.ics", f"/calendar/{mou.calendar_token}/areas/{area.slug}.ics"):
        texts = _feed_texts(anon.get(f"{path}?lang={language}").content)
        assert TEXTS["activity"][f"title_{language}"] in " ".join(texts)
        assert leftovers(texts, language) == [], path


def _email_texts(message: EmailMessage, language: str) -> list[str]:
    texts = [str(message["Subject"]), message["From"].addresses[0].display_name]
    texts += [line.strip() for line in message.get_body(("plain",)).get_content().splitlines() if line.strip()]
    texts += visible_text(message.get_body(("html",)).get_content(), language)
    for part in message.iter_attachments():
        if part.get_content_type() == "text/calendar":
            texts += _feed_texts(part.get_content().encode())
    return texts


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_kind_of_email_is_in_its_recipients_language(
    records, mail_settings, smtp, session, make_user, mou, engine, language
):
    ana, luis = (session.get(Person, person.id) for person in records["people"])
    ana.language = luis.language = language
    session.commit()
    grant_login(session, email=ana.email, name=None, role="partner", partnership_id=mou.id, timezone=ana.timezone)
    session.commit()
    with tracker_with(mail_settings) as app, closing(signed_in(app, session, make_user("admin"))) as admin:
        invitee = INVITEE | {"language": language, "partnership_id": mou.id}
        assert admin.post("/admin/users", data=invitee).status_code == 201
        with closing(TestClient(app)) as stranger:  # someone asks for a new password: no session, no language
            page = stranger.get("/password/forgot")
            stranger.post("/password/forgot", data={"email": ana.email, "csrf_token": csrf_of(page.text)})
        app.state.courier.wait()
    sweep(engine, mail_settings, now=datetime(2026, 6, 1, 13, 0, tzinfo=UTC))  # 8:00 in Panama
    sent = {row.kind for row in session.exec(select(OutboxMessage).where(OutboxMessage.status == "sent"))}
    assert sent == {"invitation", "password_reset", "reminder", "digest"}
    for _recipients, message in smtp.inbox.messages:
        assert leftovers(_email_texts(message, language), language) == [], message["Subject"]

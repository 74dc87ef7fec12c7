"""History and the audit trail read in words, in the reader's language and on the reader's clock."""

import re
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from sqlmodel import select

from tests.conftest import SLUG, activity_input
from tests.progress.test_query_counts import counting
from tracker.audit.presenting import LONGEST, Reader, References, internal, kinds, present
from tracker.audit.trail import IGNORED, TRACKED
from tracker.labels import FIELDS
from tracker.models import AuditEvent, Person

ISO_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
# A stored code where a value stands (after "Field: " or an arrow).
RAW_CODES = re.compile(
    r"(?<=: |→ )(workshop|technical_training|webinar|in_person|hybrid|planned|confirmed|not_started|in_progress"
    r"|absent|excused|female|registered|not_stated|digest|es|en|PA|US)\b"
)
PANAMA, LOS_ANGELES = "America/Panama", "America/Los_Angeles"
VIEWERS = [("es", LOS_ANGELES), ("es", PANAMA), ("en", LOS_ANGELES), ("en", PANAMA)]
WORDS = {
    "es": {
        "activity": [
            "Tipo: Taller → Capacitación técnica",
            "Modalidad: Presencial → Híbrido",
            "Idiomas de impartición: español, inglés → español",
            "Umbral de aprobación (porcentaje de días): 80 → 90",
            "Personas responsables: Ana Pérez → Ana Pérez, Luis Gómez",
            "Áreas de cooperación: 2. Medición, notificación y verificación de emisiones (MRV) → "
            "2. Medición, notificación y verificación de emisiones (MRV), "
            "3. Inventarios nacionales y locales de gases de efecto invernadero (GEI)",
            "Organizaciones organizadoras: CARB → CARB, MiAMBIENTE",
            "Estado: Planificado → Confirmado",
            "Alianza: Memorando de Entendimiento entre CARB y el Ministerio de Ambiente de Panamá",
        ],
        "deliverable": [
            "Responsable: Ana Pérez → Luis Gómez",
            "Fecha de entrega: 30 jun 2026 → 30 sept 2026",
            "Área de cooperación: 2. Medición, notificación y verificación de emisiones (MRV) → "
            "3. Inventarios nacionales y locales de gases de efecto invernadero (GEI)",
            "Actividad relacionada: — → Taller de MRV",
            "Organización responsable: — → MiAMBIENTE",
            "Estado: No iniciado → En curso",
        ],
        "audit": [
            "Participante #",
            "Sexo: Mujer",
            "País: Panamá",
            "Cargo: Analista",
            "Idioma del certificado: español",
            "Organización: MiAMBIENTE",
            "Registro en la lista de participantes #",
            ": María Rodríguez, Taller de MRV",
            "Actividad: Taller de MRV",
            "Participante: María Rodríguez",
            "Asistencia: Ausente → Justificado",
            "Días de asistencia: — → 1",
            "Actividad #",
            ": Taller de MRV",
        ],
        "starts": ("Inicio", "15 dic 2026, {first}", "16 dic 2026, {second}"),
    },
    "en": {
        "activity": [
            "Kind: Workshop → Technical training",
            "Format: In person → Hybrid",
            "Languages of delivery: Spanish, English → Spanish",
            "Completion threshold (percent of days): 80 → 90",
            "People responsible: Ana Pérez → Ana Pérez, Luis Gómez",
            "Cooperation areas: 2. Measuring, reporting and verifying emissions (MRV) → "
            "2. Measuring, reporting and verifying emissions (MRV), 3. National and local greenhouse gas inventories",
            "Organizing organizations: CARB → CARB, MiAMBIENTE",
            "Status: Planned → Confirmed",
            "Partnership: Memorandum of Understanding between CARB and Panama's Ministry of Environment",
        ],
        "deliverable": [
            "Owner: Ana Pérez → Luis Gómez",
            "Due date: Jun 30, 2026 → Sep 30, 2026",
            "Cooperation area: 2. Measuring, reporting and verifying emissions (MRV) → "
            "3. National and local greenhouse gas inventories",
            "Related activity: — → MRV clinic",
            "Responsible organization: — → MiAMBIENTE",
            "Status: Not started → In progress",
        ],
        "audit": [
            "Participant #",
            "Sex: Female",
            "Country: Panama",
            "Position: Analista",
            "Language of the certificate: Spanish",
            "Organization: MiAMBIENTE",
            "Roster entry #",
            ": María Rodríguez, MRV clinic",
            "Activity: MRV clinic",
            "Participant: María Rodríguez",
            "Attendance: Absent → Excused",
            "Days attended: — → 1",
            "Activity #",
            ": MRV clinic",
        ],
        "starts": ("Starts", "Dec 15, 2026, {first}", "Dec 16, 2026, {second}"),
    },
}
# The activity starts at 14:00 UTC (9:00 in Panama), then at 17:00 UTC (9:00 in Los Angeles).
CLOCKS = {
    ("es", LOS_ANGELES): ("6:00", "9:00"),
    ("es", PANAMA): ("9:00", "12:00"),
    ("en", LOS_ANGELES): ("6:00 AM", "9:00 AM"),
    ("en", PANAMA): ("9:00 AM", "12:00 PM"),
}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)


def _text(html: str) -> str:
    """What a reader sees of some HTML: its text, spaces folded."""
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", "".join(parser.parts))


def _history(page: str) -> str:
    section = page[page.index('<section class="history" aria-labelledby="history-title"') :]
    return _text(section[: section.index("</section>")])


def _view(client, url: str, language: str, zone: str) -> str:
    client.cookies.set("lang", language)
    client.cookies.set("tz", zone)
    response = client.get(url)
    assert response.status_code == 200
    return response.text


def _assert_in_words(text: str) -> None:
    assert "match_key" not in text and "search_text" not in text
    assert not ISO_INSTANT.search(text), ISO_INSTANT.search(text)
    assert not RAW_CODES.search(text), RAW_CODES.search(text)
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), "a field shown by its stored name"


def _assert_starts_on_the_viewers_clock(text: str, language: str, zone: str) -> None:
    label, first, second = WORDS[language]["starts"]
    one, two = CLOCKS[(language, zone)]
    # The zone is named after each clock time, however this reader's pages name it ("PST", Panama's).
    before, after = re.escape(first.format(first=one)), re.escape(second.format(second=two))
    found = re.search(rf"{label}: {before} (?P<zone>[^\d→:]+?) → {after} (?P=zone) ", text)
    assert found, text
    if zone == LOS_ANGELES:
        assert found["zone"] == "PST"


@pytest.fixture
def story(client, session, mou, make_person, orgs):
    """An activity and a deliverable changed as managers change them, and a roster entry."""
    ana = make_person(name="Ana Pérez", email="ana@example.org")
    luis = make_person(name="Luis Gómez", email="luis@example.org")
    areas = {a.number: a for a in mou.areas}
    carb, miambiente = orgs["CARB"], orgs["MiAMBIENTE"]
    created = client.post(
        f"/api/v1/partnerships/{SLUG}/activities",
        json=activity_input(
            [areas[2].id],
            title_en="MRV clinic",
            title_es="Taller de MRV",
            start_local="2026-12-15T09:00",
            end_local="2026-12-15T17:00",
            responsible_ids=[ana.id],
            organizer_ids=[carb.id],
        ),
    )
    assert created.status_code == 201, created.text
    activity_id = created.json()["id"]
    changed = client.patch(
        f"/api/v1/activities/{activity_id}",
        json={
            "version": 1,
            "kind": "technical_training",
            "format": "hybrid",
            "meeting_url": "https://meet.example.org/mrv",
            "languages": ["es"],
            "start_local": "2026-12-16T09:00",
            "end_local": "2026-12-16T12:00",
            "timezone": LOS_ANGELES,
            "completion_threshold": 90,
            "responsible_ids": [ana.id, luis.id],
            "area_ids": [areas[2].id, areas[3].id],
            "organizer_ids": [carb.id, miambiente.id],
        },
    )
    assert changed.status_code == 200, changed.text
    assert client.post(f"/activities/{activity_id}/confirm", follow_redirects=False).status_code == 303

    made = client.post(
        f"/api/v1/partnerships/{SLUG}/deliverables",
        json={"area_id": areas[2].id, "title_en": "MRV roadmap", "due_on": "2026-06-30", "owner_id": ana.id},
    )
    assert made.status_code == 201, made.text
    deliverable_id = made.json()["id"]
    changed = client.patch(
        f"/api/v1/deliverables/{deliverable_id}",
        json={
            "version": 1,
            "owner_id": luis.id,
            "due_on": "2026-09-30",
            "reason": "The inventory data arrive in August.",
            "area_id": areas[3].id,
            "activity_id": activity_id,
            "organization_id": miambiente.id,
        },
    )
    assert changed.status_code == 200, changed.text
    status = client.post(f"/deliverables/{deliverable_id}/status", data={"status": "in_progress"})
    assert status.status_code in (200, 303)

    roster = {"given_names": "María", "surnames": "Rodríguez", "organization": "MiAMBIENTE", "position": "Analista",
              "sex": "female", "country": "PA", "language": "es", "status": "absent"}  # fmt: skip
    assert client.post(f"/activities/{activity_id}/roster", data=roster, follow_redirects=False).status_code == 303
    session.expire_all()
    enrollment_id = session.exec(select(AuditEvent.entity_id).where(AuditEvent.entity == "enrollment")).one()
    update = {"status": "excused", "days_attended": "1"}
    assert client.post(f"/enrollments/{enrollment_id}", data=update, follow_redirects=False).status_code == 303
    return {"activity": activity_id, "deliverable": deliverable_id, "enrollment": enrollment_id, "ana": ana}


@pytest.mark.parametrize("language, zone", VIEWERS)
def test_it_shows_an_activitys_history_in_words_on_the_viewers_clock(client, story, language, zone):
    text = _history(_view(client, f"/activities/{story['activity']}", language, zone))
    for words in WORDS[language]["activity"]:
        assert words in text
    _assert_starts_on_the_viewers_clock(text, language, zone)
    _assert_in_words(text)


@pytest.mark.parametrize("language, zone", VIEWERS)
def test_it_shows_a_deliverables_history_in_words(client, story, language, zone):
    text = _history(_view(client, f"/deliverables/{story['deliverable']}", language, zone))
    for words in WORDS[language]["deliverable"]:
        assert words in text
    _assert_in_words(text)


@pytest.mark.parametrize("language, zone", VIEWERS)
def test_the_audit_trail_reads_in_words_and_links_what_still_exists(login, make_user, story, language, zone):
    admin = login(make_user("admin"))
    page = _view(admin, "/admin/audit", language, zone)
    text = _text(page[page.index('id="results"') :])
    for words in WORDS[language]["audit"]:
        assert words in text
    assert f'href="/activities/{story["activity"]}"' in page
    assert f'href="/deliverables/{story["deliverable"]}"' in page
    assert f'href="/activities/{story["activity"]}/roster"' in page  # a roster entry: its roster
    assert f'href="/partnerships/{SLUG}"' in page
    _assert_starts_on_the_viewers_clock(text, language, zone)
    _assert_in_words(text)
    fragment = admin.get("/admin/audit?kind=enrollment", headers={"HX-Request": "true"}).text
    assert "<html" not in fragment and f'href="/activities/{story["activity"]}/roster"' in fragment


def test_a_record_that_no_longer_exists_is_named_as_it_was(client, login, make_user, session, story):
    session.delete(session.get(Person, story["ana"].id))
    session.commit()
    client.cookies.set("lang", "es")
    text = _history(client.get(f"/deliverables/{story['deliverable']}").text)
    assert "Responsable: Ana Pérez (ya no existe) → Luis Gómez" in text
    assert client.delete(f"/api/v1/activities/{story['activity']}").status_code == 204
    admin = login(make_user("admin"))
    admin.cookies.set("lang", "es")
    page = admin.get("/admin/audit?kind=activity").text
    assert f"Actividad #{story['activity']}: Taller de MRV (ya no existe)" in _text(page)
    assert f'href="/activities/{story["activity"]}"' not in page
    admin.cookies.set("lang", "en")
    assert f"Activity #{story['activity']}: MRV clinic (deleted)" in _text(admin.get("/admin/audit").text)


def test_a_conflict_lists_what_the_other_person_changed_in_words(login, make_user, make_activity):
    activity = make_activity()
    ana = login(make_user("manager", email="ana@example.org", name="Ana"))
    sam = login(make_user("manager", email="sam@example.org", name="Sam"))
    form = activity_input([activity.areas[0].id]) | {"version": activity.version}
    assert ana.post(f"/activities/{activity.id}/edit", data=form | {"kind": "webinar"}, follow_redirects=False)
    sam.cookies.set("lang", "es")
    second = sam.post(f"/activities/{activity.id}/edit", data=form | {"venue": "Ciudad del Saber"})
    assert second.status_code == 409
    notice = _text(second.text[second.text.index('role="alert"') :])
    assert "Ana modificó" in notice and "Tipo: Taller → Seminario web" in notice
    _assert_in_words(notice[: notice.index("Seminario web") + 20])
    # The API's answer keeps the stored values, for programs.
    stale = sam.patch(f"/api/v1/activities/{activity.id}", json={"venue": "Ciudad del Saber", "version": 1})
    assert stale.status_code == 409 and stale.json()["changes"][0]["fields"]["kind"] == ["workshop", "webinar"]


def _grow(client, activity_id: int, people: list[int], events: int) -> None:
    for i in range(events - 1):
        changes = {"title_en": f"MRV workshop, take {i}", "responsible_ids": people[: 1 + i % 2]}
        version = client.get(f"/api/v1/activities/{activity_id}").json()["version"]
        assert client.patch(f"/api/v1/activities/{activity_id}", json=changes | {"version": version}).status_code == 200


def test_it_looks_up_what_the_events_name_once_per_page(client, engine, area, make_person):
    people = [make_person(name="Ana Pérez", email="ana@example.org").id,
              make_person(name="Luis Gómez", email="luis@example.org").id]  # fmt: skip
    pages = []
    for events in (2, 20):
        made = client.post(
            f"/api/v1/partnerships/{SLUG}/activities", json=activity_input([area.id], responsible_ids=people[:1])
        ).json()
        _grow(client, made["id"], people, events)
        client.get(f"/activities/{made['id']}")  # warm: the first page of a kind loads more than the next
        with counting(engine) as statements:
            page = client.get(f"/activities/{made['id']}").text
        assert page.count('<li><p class="event-head">') == events
        pages.append(len(statements))
    assert pages[0] == pages[1]


def _reader(language="es") -> Reader:
    return Reader(language, at=lambda moment: f"at {moment:%H:%M}", day=lambda day: f"on {day:%d.%m}")


def test_any_stored_value_reads_without_failing():
    event = AuditEvent(
        at=datetime(2026, 3, 1, 15, tzinfo=UTC),
        actor_id=None,
        actor_name="system",
        action="update",
        entity="activity",
        entity_id=7,
        changes={
            "starts_at": ["0001-01-01T00:00:00", "not an instant"],
            "areas": ["not a list", [3]],
            "status": ["someday", "held"],
            "objectives": ["", "x" * 1000],  # a field the table no longer has
            "completion_threshold": [True, 90.5],
            "languages": [None, ["es", "xx"]],
            "match_key": ["a", "b"],
            "version": [1, 2],
            "surprise": 42,
        },
    )
    entry = present(event, References(), _reader())
    lines = {line.label: (line.before, line.after) for line in entry.lines}
    assert entry.actor == "El sistema" and entry.when == "at 15:00" and entry.record.href is None
    assert lines["Inicio"] == ("at 00:00", "not an instant")
    assert lines["Áreas de cooperación"] == ("not a list", "(ya no existe)")
    assert lines["Estado"] == ("someday", "Realizado")
    assert lines["Objetivos"][0] is None and len(lines["Objetivos"][1]) == LONGEST
    assert lines["Umbral de aprobación (porcentaje de días)"] == ("True", "90,5")
    assert lines["Idiomas de impartición"] == (None, "español, xx")
    assert "match_key" not in str(lines) and "surprise" not in str(lines)


def test_dates_and_yes_or_no_read_as_pages_write_them():
    event = AuditEvent(at=datetime(2026, 3, 1, tzinfo=UTC), actor_id=1, actor_name="Ana", action="update",
                       entity="partnership", entity_id=1,
                       changes={"signed_on": ["2025-05-12", "2025-05-13"], "published": [False, True],
                                "calendar_token": ["•••", "•••"]})  # fmt: skip
    lines = [(line.label, line.before, line.after) for line in present(event, References(), _reader("en")).lines]
    assert lines == [("Signed", "on 12.05", "on 13.05"), ("Published", "no", "yes")]


def test_every_field_of_a_tracked_record_has_a_label_or_is_internal():
    for entity in TRACKED.values():
        unlabelled = [name for name in kinds(entity) if name not in IGNORED and name not in FIELDS]
        assert all(internal(name) for name in unlabelled), (entity, unlabelled)

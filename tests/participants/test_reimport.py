"""A training week as it is run: the registration list first, the attendance sheet after, reviewed as a diff."""

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from tests.participants.test_import import batch_of, confirm, upload, xlsx_bytes
from tests.participants.test_names import spanish_excel_csv
from tracker.models import AuditEvent, Enrollment, ImportBatch, Participant, PlanImport, utcnow
from tracker.participants.import_plan import Known, plan

REGISTRATION = ["Nombre", "Apellidos", "Institución", "Correo electrónico", "Sexo"]
ATTENDANCE = [
    "Nombre",
    "Apellidos",
    "Institución",
    "Correo electrónico",
    "Asistió",
    "Días asistidos",
    "Prueba inicial",
    "Prueba final",
]


@pytest.fixture
def training(make_activity):
    return make_activity(kind="technical_training", start_local="2026-03-10T09:00", end_local="2026-03-12T17:00")


def _registered(client, training):
    rows = [
        ["JOSE", "PEREZ", "MiAMBIENTE", "", "M"],
        ["Marisol", "Ríos Batista", "MiAMBIENTE", "marisol@miambiente.gob.pa", "F"],
        ["Iván", "Ortega", "ANAM", "", ""],
    ]
    preview = upload(client, training, spanish_excel_csv(REGISTRATION, rows))
    assert confirm(client, preview.text).status_code == 303


def test_the_attendance_sheet_updates_the_registration_list_with_a_reviewed_diff(client, engine, session, training):
    _registered(client, training)
    rows = [
        ["José", "Pérez", "MiAMBIENTE", "", "sí", "3", "45", "80"],
        ["Marisol", "Ríos Batista", "", "marisol@miambiente.gob.pa", "sí", "2", "", "90"],
        ["Iván", "Ortega", "ANAM", "", "", "", "", ""],
        ["Nadia", "Quintero", "MiAMBIENTE", "", "no", "", "", ""],
        ["Luis", "Gómez", "CARB", "", "sí", "7", "", ""],
    ]
    preview = upload(client, training, xlsx_bytes(ATTENDANCE, rows), "asistencia.xlsx")
    assert preview.status_code == 200
    actions = {entry["row"]: entry["action"] for entry in batch_of(engine, preview.text).rows}
    assert actions == {2: "update", 3: "update", 4: "unchanged", 5: "add"}
    assert "<dt>To update</dt><dd>2</dd>" in preview.text and "<dt>Refused</dt><dd>1</dd>" in preview.text
    jose = preview.text.split('data-row="2"')[1].split("</tr>")[0]
    for change in (
        "Given names</strong>: Jose → José",
        "Surnames</strong>: Perez → Pérez",
        "Attendance</strong>: Registered → Attended",
        'Post-test (0–100)</strong>: <span class="muted">—</span> → 80',
    ):
        assert change in jose
    assert count_enrollments(session) == 3  # nothing changes before the manager confirms

    answer = confirm(client, preview.text)
    assert answer.headers["location"].endswith("?added=1&updated=2")
    session.expire_all()
    people = {p.name: p for p in session.exec(select(Participant))}
    assert set(people) == {"José Pérez", "Marisol Ríos Batista", "Iván Ortega", "Nadia Quintero"}
    marisol = session.exec(
        select(Enrollment).where(Enrollment.participant_id == people["Marisol Ríos Batista"].id)
    ).one()
    assert (marisol.status, marisol.days_attended, marisol.pre_score, marisol.post_score) == ("attended", 2, None, 90)
    assert people["Marisol Ríos Batista"].organization == "MiAMBIENTE"  # a blank cell never erases
    assert people["José Pérez"].sex == "male"  # the attendance sheet says nothing about it
    trail = session.exec(
        select(AuditEvent).where(AuditEvent.entity == "enrollment", AuditEvent.action == "status")
    ).all()
    assert len(trail) == 2 and all(e.changes["status"] == ["registered", "attended"] for e in trail)
    renamed = session.exec(
        select(AuditEvent).where(AuditEvent.entity == "participant", AuditEvent.action == "update")
    ).one()
    assert renamed.changes["name"] == ["Jose Perez", "José Pérez"]  # capitals were already tidied on the first import
    assert renamed.actor_name != "system" and renamed.version == people["José Pérez"].version


def count_enrollments(session) -> int:
    return len(session.exec(select(Enrollment)).all())


def test_a_registration_list_imported_after_attendance_changes_no_attendance(client, engine, session, training):
    rows = [["Ana", "Pérez", "MiAMBIENTE", "", "sí", "3", "", ""]]
    confirm(client, upload(client, training, xlsx_bytes(ATTENDANCE, rows), "a.xlsx").text)
    again = upload(
        client,
        training,
        spanish_excel_csv([*REGISTRATION, "Estado"], [["Ana", "Pérez", "MiAMBIENTE", "", "", "inscrita"]]),
    )
    assert [entry["action"] for entry in batch_of(engine, again.text).rows] == ["unchanged"]


def test_rows_of_one_person_in_one_file_are_one_with_the_better_spelling(client, engine, session, training):
    rows = [
        ["JOSE", "PEREZ", "MiAMBIENTE", "", "sí", "", "40", ""],
        ["José", "Pérez", "MiAMBIENTE", "", "", "", "", "85"],
    ]
    preview = upload(client, training, xlsx_bytes(ATTENDANCE, rows), "a.xlsx")
    assert [entry["action"] for entry in batch_of(engine, preview.text).rows] == ["add", "same"]
    assert "The same person as row 2" in preview.text
    confirm(client, preview.text)
    person, enrollment = session.exec(select(Participant, Enrollment).join(Enrollment)).one()
    assert person.name == "José Pérez" and (enrollment.pre_score, enrollment.post_score) == (40, 85)


def test_a_batch_staged_by_an_older_version_is_refused_at_confirmation(client, engine, training):
    preview = upload(client, training, spanish_excel_csv(REGISTRATION, [["Ana", "Pérez", "X", "", ""]]))
    batch = batch_of(engine, preview.text)
    with Session(engine) as session:
        stored = session.get(ImportBatch, batch.id)
        stored.rows = [{"row": 2, "name": "Ana Pérez", "duplicate": None, "cells": ["Ana", "Pérez", "X", "", ""]}]
        session.add(stored)
        session.commit()
    assert confirm(client, preview.text).status_code == 409


def test_the_sweep_removes_imports_left_unconfirmed_for_a_week(client, engine, session, training, settings, mou):
    from tracker.reminders.sweep import sweep

    upload(client, training, spanish_excel_csv(REGISTRATION, [["Ana", "Pérez", "X", "", ""]]))
    upload(client, training, spanish_excel_csv(REGISTRATION, [["Luis", "Gómez", "X", "", ""]]))
    old, recent = session.exec(select(ImportBatch).order_by(ImportBatch.id)).all()
    old.created_at = utcnow() - timedelta(days=8)
    plans = [PlanImport(partnership_id=mou.id, filename=f"plan{n}.xlsx", created_at=utcnow() - timedelta(days=d))
             for n, d in ((1, 8), (2, 1))]  # fmt: skip
    session.add_all([old, *plans])
    session.commit()
    report = sweep(engine, settings)
    assert report.stale_imports == 2
    session.expire_all()
    assert [b.id for b in session.exec(select(ImportBatch))] == [recent.id]
    assert [p.filename for p in session.exec(select(PlanImport))] == ["plan2.xlsx"]


def test_the_plan_never_lets_a_blank_erase_or_registered_replace_attendance():
    known = Known(
        people={
            7: {
                "given_names": "Ana",
                "surnames": "Pérez",
                "organization": "MiAMBIENTE",
                "position": "Analista",
                "sex": "female",
                "country": "PA",
                "email": "ana@x.org",
                "language": "es",
            }
        },
        by_email={"ana@x.org": 7},
        by_key={"ana perez|miambiente": [7]},
        enrollments={
            7: {
                "id": 3,
                "status": "attended",
                "days_attended": 3,
                "pre_score": 40,
                "post_score": None,
                "satisfaction": None,
            }
        },
    )
    row = {
        "row": 2,
        "person": {"given_names": "ANA", "email": "ana@x.org", "sex": "not_stated"},
        "attendance": {"status": "registered", "post_score": 90},
    }
    (entry,) = plan([row], known)
    assert entry["action"] == "update" and entry["changes"] == [["post_score", None, 90]]

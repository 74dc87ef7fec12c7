"""A work plan from a spreadsheet: a preview of every row (what it plans, or why it is refused), nothing
stored until confirmed, and confirmed once."""

import io
import re
from datetime import datetime

from openpyxl import Workbook
from sqlmodel import select

from tests.conftest import SLUG, count_rows
from tracker.models import Activity, Deliverable, Person, PlanImport

HEADER = "Área;Tipo;Título (es);Title (en);Periodo;Fecha;Responsable"
ROWS = [
    "2;Taller;Taller de verificación;Verification workshop;T3 2026;;ana@miambiente.gob.pa",
    "Medición, notificación y verificación de emisiones (MRV);Entregable;Guía de verificación;;;15/10/2026;",
    "1;actividad;Diálogo sobre el mercado;;2026-S2;;",
    "9;Actividad;Taller sin área;;T3 2026;;",
    "3;Reunión;Algo;;T3 2026;;",
    "4;Entregable;;;T3 2026;;",
    "5;Entregable;Informe antiguo;;Q1 2024;;",
    "6;Entregable;Informe de abril;;;03/04/2026;",
    "7;Entregable;Informe sin dueño;;T4 2026;;nadie@example.org",
]


def spanish_csv(rows=ROWS) -> bytes:
    """As Excel in a Spanish locale saves it: semicolons, Windows-1252, CRLF."""
    return "\r\n".join([HEADER, *rows]).encode("cp1252")


def upload(client, data: bytes, name: str = "plan.csv"):
    return client.post(f"/partnerships/{SLUG}/plan/import", files={"file": (name, data)}, follow_redirects=False)


def test_the_preview_lists_every_row_and_why_each_refused_one_is_refused_and_stores_nothing(
    client, make_person, engine
):
    make_person(name="Ana Pérez", email="ana@miambiente.gob.pa")
    response = upload(client, spanish_csv())
    assert response.status_code == 303
    preview = client.get(response.headers["location"])
    assert preview.status_code == 200
    text = preview.text
    assert "3 rows will be planned" in text and "6 rows cannot be imported" in text
    planned = re.findall(r'<tr data-row="(\d+)">', text)
    refused = re.findall(r'<tr class="problem" data-row="(\d+)">', text)
    assert (planned, refused) == (["2", "3", "4"], ["5", "6", "7", "8", "9", "10"])
    assert "Taller de verificación" in text or "Verification workshop" in text
    assert "Jul 1, 2026" in text and "Oct 15, 2026" in text and "Ana Pérez" in text
    assert "Write the number or the name of one of this partnership" in text  # row 5
    assert "Write actividad or entregable" in text  # row 6
    assert "Write it in Spanish, in English, or in both." in text  # row 7
    assert "Choose one of the term&#39;s periods" in text  # row 8
    assert "03/04/2026 reads as a day or a month first" in text  # row 9
    assert "Nobody with this email is in the tracker" in text  # row 10
    assert count_rows(engine, Activity) == count_rows(engine, Deliverable) == 0


def test_confirming_plans_the_rows_that_passed_once(client, make_person, session, engine):
    make_person(name="Ana Pérez", email="ana@miambiente.gob.pa")
    preview = upload(client, spanish_csv()).headers["location"]
    batch_id = preview.rsplit("/", 1)[-1]
    confirmed = client.post(f"{preview}/confirm", follow_redirects=False)
    assert confirmed.status_code == 303 and confirmed.headers["location"] == f"/partnerships/{SLUG}/plan?imported=3"
    assert "3 items were added to the plan from the spreadsheet." in client.get(confirmed.headers["location"]).text
    activities = session.exec(select(Activity).order_by(Activity.id)).all()
    assert [(a.title_es, a.kind, a.starts_at.date().isoformat()) for a in activities] == [
        ("Taller de verificación", "workshop", "2026-07-01"),
        ("Diálogo sobre el mercado", "workshop", "2026-07-01"),
    ]
    assert [p.name for p in activities[0].responsible] == ["Ana Pérez"]
    deliverable = session.exec(select(Deliverable)).one()
    assert (deliverable.title_es, deliverable.due_on.isoformat(), deliverable.area.number) == (
        "Guía de verificación", "2026-10-15", 2,
    )  # fmt: skip
    again = client.post(f"{preview}/confirm")
    assert again.status_code == 409 and "no longer waiting for confirmation" in again.text
    assert count_rows(engine, Activity) == 2
    assert session.get(PlanImport, int(batch_id)).status == "confirmed"
    assert "This import was confirmed" in client.get(preview).text


def test_an_xlsx_workbook_imports_the_same_way(client, session):
    book = Workbook()
    sheet = book.active
    sheet.append(["Area", "Kind", "Title", "Date"])
    sheet.append([2, "Deliverable", "MRV guide", datetime(2026, 11, 30)])
    sheet.append([3, "Webinar", "Inventory webinar", "2026-09-09"])
    buffer = io.BytesIO()
    book.save(buffer)
    preview = upload(client, buffer.getvalue(), "plan.xlsx").headers["location"]
    assert client.post(f"{preview}/confirm", follow_redirects=False).status_code == 303
    assert session.exec(select(Deliverable.title_en, Deliverable.due_on)).one()[1].isoformat() == "2026-11-30"
    webinar = session.exec(select(Activity)).one()
    assert (webinar.title_en, webinar.kind) == ("Inventory webinar", "webinar")


def test_what_changed_since_the_preview_is_checked_again_at_confirmation(client, make_person, session, engine):
    ana = make_person(name="Ana Pérez", email="ana@miambiente.gob.pa")
    preview = upload(client, spanish_csv(ROWS[:1])).headers["location"]
    session.delete(session.get(Person, ana.id))
    session.commit()
    response = client.post(f"{preview}/confirm")
    assert response.status_code == 409 and "nothing was planned" in response.text
    assert "Nobody with this email is in the tracker" in response.text
    assert count_rows(engine, Activity) == 0
    assert client.post(f"{preview}/confirm", follow_redirects=False).status_code == 303  # nothing left to plan
    assert count_rows(engine, Activity) == 0


def test_a_file_that_is_not_a_plan_is_refused_on_the_upload_form(client, engine):
    no_columns = upload(client, "Nombre;Correo\r\nAna;ana@example.org\r\n".encode("cp1252"))
    assert no_columns.status_code == 422 and "The first row must name the columns" in no_columns.text
    header_only = upload(client, HEADER.encode("cp1252"))
    assert header_only.status_code == 422 and "no planned items under it" in header_only.text
    nothing = client.post(f"/partnerships/{SLUG}/plan/import", data={})
    assert nothing.status_code == 422 and "This field is required." in nothing.text
    assert count_rows(engine, PlanImport) == 0


def test_a_discarded_import_plans_nothing(client, engine):
    preview = upload(client, spanish_csv(ROWS[2:3])).headers["location"]
    assert client.post(f"{preview}/discard", follow_redirects=False).status_code == 303
    assert client.post(f"{preview}/confirm").status_code == 409
    assert count_rows(engine, Activity) == 0


def test_an_import_of_another_partnership_is_a_404(client, login, sonora, make_user):
    preview = upload(client, spanish_csv(ROWS[2:3])).headers["location"]
    other = preview.replace(SLUG, sonora["partnership"].slug)
    assert client.get(other).status_code == 404
    assert login(make_user("partner")).get(preview).status_code == 403


def test_a_title_above_the_table_and_a_column_of_names_are_read_as_people_write_them(client, session, make_person):
    make_person(name="Ana Pérez", email="ana@miambiente.gob.pa")
    sheet = "\r\n".join(
        [
            "Plan de trabajo 2026;;;;",
            "Área;Tipo;Nombre del responsable;Título;Fecha;Correo del responsable",
            "2;Entregable;Ana Pérez;Hoja de ruta MRV;2026-10-15;ana@miambiente.gob.pa",
        ]
    ).encode("cp1252")
    preview = upload(client, sheet).headers["location"]
    assert client.post(f"{preview}/confirm", follow_redirects=False).status_code == 303
    deliverable = session.exec(select(Deliverable)).one()
    assert (deliverable.title_es, deliverable.owner.name) == ("Hoja de ruta MRV", "Ana Pérez")

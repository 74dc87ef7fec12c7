import csv
import io
import zipfile
from datetime import datetime

import pytest
import time_machine
from openpyxl import load_workbook

from tests.conftest import SLUG
from tracker.progress.exports import COLUMNS

PERIOD = "from=2026-07-01&to=2026-09-30"
REASON = "Faltan los datos del inventario"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def quarter(client, make_activity, make_deliverable):
    """A third quarter of 2026 with one activity held, one deliverable accepted, one moved later, and a
    training planned for the next quarter; the report is asked for on 2 October."""
    with time_machine.travel("2026-08-01T12:00Z", tick=False):
        held = make_activity(
            title_en="July workshop", title_es="Taller de julio", start_local="2026-07-15T09:00",
            end_local="2026-07-15T17:00",
        )  # fmt: skip
        response = client.post(f"/api/v1/activities/{held.id}/held", json={"outcomes_en": "Roadmap agreed"})
        assert response.status_code == 200
        # Written in English only; submitted with a link to it.
        done = make_deliverable(
            title_en="Done report", due_on="2026-07-31", evidence_url="https://example.org/evidence.pdf"
        )
        for status in ("submitted", "accepted"):
            body = {"status": status} | ({"completed_on": "2026-07-30"} if status == "accepted" else {})
            assert client.post(f"/api/v1/deliverables/{done.id}/status", json=body).status_code == 200
        moved = make_deliverable(title_en="Moved report", title_es="Informe aplazado", due_on="2026-08-15")
        response = client.patch(
            f"/api/v1/deliverables/{moved.id}",
            json={"due_on": "2026-11-15", "version": moved.version, "reason": REASON},
        )
        assert response.status_code == 200
        planned = make_activity(
            title_en="October training", title_es="Capacitación de octubre", kind="technical_training",
            start_local="2026-10-10T09:00", end_local="2026-10-10T17:00",
        )  # fmt: skip
    with time_machine.travel("2026-10-02T12:00Z", tick=False):
        yield {"held": held, "done": done, "moved": moved, "planned": planned}


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200 and response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _spanish_rows(quarter) -> list[list]:
    """The report's rows as a Spanish reader gets them (outcomes written in English only are marked)."""
    held, done, moved, planned = (quarter[name].id for name in ("held", "done", "moved", "planned"))
    return [
        ["Actividades realizadas", held, "Taller de julio", "15 jul 2026", "Realizado", "[EN] Roadmap agreed", ""],
        ["Entregables completados", done, "[EN] Done report", "30 jul 2026", "Aceptado", "", ""],
        ["Entregables retrasados", moved, "Informe aplazado", "15 ago 2026", "No iniciado", "15 nov 2026", REASON],
        ["Actividad prevista para el próximo período", planned, "Capacitación de octubre", "10 oct 2026",
         "Planificado", "", ""],
        # Moved into the next period, it is that period's deadline too.
        ["Fecha de entrega en el próximo período", moved, "Informe aplazado", "15 nov 2026", "No iniciado", "", ""],
    ]  # fmt: skip


def test_it_exports_the_report_csv_in_spanish_words(client, quarter):
    rows = _csv(client.get(f"/partnerships/{SLUG}/report.csv?{PERIOD}&lang=es"))
    assert rows[0] == ["Sección", "ID", "Título", "Fecha", "Estado", "Detalle", "Motivo"]
    expected = [[str(cell) for cell in row] for row in _spanish_rows(quarter)]
    assert rows[1:] == expected


def test_it_exports_the_report_csv_in_english_words(client, quarter):
    rows = _csv(client.get(f"/partnerships/{SLUG}/report.csv?{PERIOD}&lang=en"))
    assert rows[0] == ["Section", "ID", "Title", "Date", "Status", "Detail", "Reason"]
    held, done, moved, planned, deadline = rows[1:]
    assert held[2:] == ["July workshop", "Jul 15, 2026", "Held", "Roadmap agreed", ""] and held[0] == "Activities held"
    assert done[0] == "Deliverables completed" and done[2:5] == ["Done report", "Jul 30, 2026", "Accepted"]
    assert moved[0] == "Deliverables slipped" and moved[3:] == ["Aug 15, 2026", "Not started", "Nov 15, 2026", REASON]
    assert planned[0] == "Activity planned for the next period" and planned[2:5] == [
        "October training", "Oct 10, 2026", "Planned",
    ]  # fmt: skip
    assert deadline[0] == "Deadline in the next period"


def test_it_exports_the_report_xlsx_in_spanish_with_real_dates(client, quarter):
    response = client.get(f"/partnerships/{SLUG}/report.xlsx?{PERIOD}&lang=es")
    assert response.status_code == 200 and response.headers["content-type"] == XLSX
    assert response.headers["content-disposition"] == (
        f'attachment; filename="report-{SLUG}-2026-07-01-2026-09-30.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Informe del período" and sheet.freeze_panes == "A2"
    assert [cell.value for cell in sheet[1]] == ["Sección", "ID", "Título", "Fecha", "Estado", "Detalle", "Motivo"]
    assert all(cell.font.b for cell in sheet[1])
    rows = list(sheet.iter_rows(min_row=2))
    # Dates are dates (they sort and filter), shown as the Spanish pages write them.
    dates = [row[3] for row in rows]
    assert [cell.value for cell in dates] == [datetime(2026, 7, 15), datetime(2026, 7, 30), datetime(2026, 8, 15),
                                              datetime(2026, 10, 10), datetime(2026, 11, 15)]  # fmt: skip
    assert all(cell.is_date and cell.number_format == "[$-180A]d mmm yyyy" for cell in dates)
    assert rows[2][5].value == datetime(2026, 11, 15)
    shown = [[cell.value for cell in row] for row in rows]
    expected = _spanish_rows(quarter)
    assert [[row[0], row[1], row[2], row[4]] for row in shown] == [[row[0], row[1], row[2], row[4]] for row in expected]


def test_it_exports_the_report_xlsx_in_english(client, quarter):
    sheet = load_workbook(io.BytesIO(client.get(f"/partnerships/{SLUG}/report.xlsx?{PERIOD}&lang=en").content)).active
    assert sheet.title == "Period report"
    held = next(sheet.iter_rows(min_row=2))
    assert [held[0].value, held[1].value, held[2].value, held[4].value] == [
        "Activities held", quarter["held"].id, "July workshop", "Held",
    ]  # fmt: skip
    assert held[3].number_format == "[$-409]mmm d, yyyy"


@pytest.mark.parametrize("language", ["en", "es"])
def test_it_gives_scripts_the_report_s_stable_codes_whatever_the_language(client, quarter, language):
    rows = _csv(client.get(f"/partnerships/{SLUG}/report.csv?{PERIOD}&lang={language}&codes=1"))
    assert rows[0] == list(COLUMNS) == ["section", "id", "title", "date", "status", "detail", "reason"]
    assert [row[0] for row in rows[1:]] == ["held", "completed", "slipped", "next_activity", "next_deadline"]
    assert [row[3:5] for row in rows[1:]] == [
        ["2026-07-15", "held"], ["2026-07-30", "accepted"], ["2026-08-15", "not_started"],
        ["2026-10-10", "planned"], ["2026-11-15", "not_started"],
    ]  # fmt: skip
    assert rows[3][5:] == ["2026-11-15", REASON]
    sheet = load_workbook(
        io.BytesIO(client.get(f"/partnerships/{SLUG}/report.xlsx?{PERIOD}&lang={language}&codes=1").content)
    ).active
    assert [cell.value for cell in sheet[1]] == list(COLUMNS)
    held = next(sheet.iter_rows(min_row=2))
    assert [held[0].value, held[4].value, held[3].number_format] == ["held", "held", "yyyy-mm-dd"]


def test_it_keeps_a_formula_looking_title_as_text_in_the_report_xlsx(client, make_activity):
    with time_machine.travel("2026-08-01T12:00Z", tick=False):
        activity = make_activity(
            title_en="=cmd|'/c calc'!A1", start_local="2026-07-15T09:00", end_local="2026-07-15T17:00"
        )
        client.post(f"/api/v1/activities/{activity.id}/held", json={"outcomes_en": "Held"})
        response = client.get(f"/partnerships/{SLUG}/report.xlsx?{PERIOD}&lang=es")
    (row,) = load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2)
    assert row[2].value == "[EN] =cmd|'/c calc'!A1" and row[2].data_type == "s"
    response_en = client.get(f"/partnerships/{SLUG}/report.xlsx?{PERIOD}&lang=en")
    (row,) = load_workbook(io.BytesIO(response_en.content)).active.iter_rows(min_row=2)
    assert row[2].value == "=cmd|'/c calc'!A1" and row[2].data_type == "s" and row[2].quotePrefix
    with zipfile.ZipFile(io.BytesIO(response_en.content)) as book:
        assert b"<f>" not in book.read("xl/worksheets/sheet1.xml")


def test_an_unusable_period_gets_a_message_instead_of_a_workbook(client, mou):
    response = client.get(f"/partnerships/{SLUG}/report.xlsx?from=2026-09-01&to=2026-01-01&lang=es")
    assert response.status_code == 422 and response.headers["content-type"].startswith("text/plain")

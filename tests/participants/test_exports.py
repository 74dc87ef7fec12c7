import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from tracker.participants.column_fields import guess_mapping
from tracker.participants.exports import COLUMNS
from tracker.participants.importing import normalized
from tracker.participants.sheets import read_table

ANA = {
    "given_names": "Ana",
    "surnames": "Pérez",
    "organization": "MiAMBIENTE",
    "position": "Analista",
    "sex": "female",
    "country": "PA",
    "email": "ana@miambiente.gob.pa",
    "language": "es",
    "status": "attended",
    "days_attended": "3",
    "pre_score": "40",
    "post_score": "85",
    "satisfaction": "5",
}
SPANISH_HEADER = [
    "Nombre completo",
    "Nombres",
    "Apellidos",
    "Organización",
    "Cargo",
    "Sexo",
    "País",
    "Correo electrónico",
    "Asistencia",
    "Días de asistencia",
    "Completado",
    "Prueba de entrada (0–100)",
    "Prueba de salida (0–100)",
    "Satisfacción (1–5)",
]
ENGLISH_HEADER = [
    "Full name",
    "Given names",
    "Surnames",
    "Organization",
    "Position",
    "Sex",
    "Country",
    "Email",
    "Attendance",
    "Days attended",
    "Completed",
    "Pre-test (0–100)",
    "Post-test (0–100)",
    "Satisfaction (1–5)",
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EVIL = '=HYPERLINK("http://evil")'


@pytest.fixture
def training(client, make_activity):
    """A three-day training with Ana, who completed it, and Luis, who was absent."""
    activity = make_activity(kind="technical_training", start_local="2026-03-10T09:00", end_local="2026-03-12T17:00")
    for fields in (
        ANA,
        {
            "given_names": "Luis",
            "surnames": "Gómez",
            "organization": "CARB",
            "sex": "male",
            "country": "US",
            "language": "en",
            "status": "absent",
        },
    ):
        assert client.post(f"/activities/{activity.id}/roster", data=fields).status_code == 200
    return activity


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200 and response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())  # the BOM spreadsheet programs need for accents
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _xlsx(response):
    assert response.status_code == 200 and response.headers["content-type"] == XLSX
    return load_workbook(io.BytesIO(response.content)).active


def _sheet_rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_it_exports_the_roster_csv_in_spanish_words(client, training):
    response = client.get(f"/activities/{training.id}/roster.csv?lang=es")
    header, luis, ana = _csv(response)
    assert header == SPANISH_HEADER
    assert ana == [
        "Ana Pérez",
        "Ana",
        "Pérez",
        "MiAMBIENTE",
        "Analista",
        "Mujer",
        "Panamá",
        "ana@miambiente.gob.pa",
        "Asistió",
        "3",
        "Sí",
        "40",
        "85",
        "5",
    ]
    assert luis[5:11] == ["Hombre", "Estados Unidos", "", "Ausente", "", "No"]
    assert response.headers["content-language"] == "es"
    assert response.headers["content-disposition"] == f'attachment; filename="roster-activity-{training.id}.csv"'


def test_it_exports_the_roster_csv_in_english_words(client, training):
    header, luis, ana = _csv(client.get(f"/activities/{training.id}/roster.csv?lang=en"))
    assert header == ENGLISH_HEADER
    assert ana[5:11] == ["Female", "Panama", "ana@miambiente.gob.pa", "Attended", "3", "Yes"]
    assert luis[5] == "Male" and luis[8] == "Absent" and luis[10] == "No"


def test_it_exports_the_roster_xlsx_in_spanish_with_a_bold_frozen_header(client, training):
    response = client.get(f"/activities/{training.id}/roster.xlsx?lang=es")
    assert response.headers["content-disposition"] == f'attachment; filename="roster-activity-{training.id}.xlsx"'
    sheet = _xlsx(response)
    assert sheet.title == "Participantes"
    header, luis, ana = _sheet_rows(sheet)
    assert header == SPANISH_HEADER
    assert ana == [
        "Ana Pérez",
        "Ana",
        "Pérez",
        "MiAMBIENTE",
        "Analista",
        "Mujer",
        "Panamá",
        "ana@miambiente.gob.pa",
        "Asistió",
        3,
        "Sí",
        40,
        85,
        5,
    ]
    assert luis[10] == "No" and luis[9] is None
    assert all(cell.font.b for cell in sheet[1]) and not sheet["A2"].font.b
    assert sheet.freeze_panes == "A2"
    widths = [sheet.column_dimensions[letter].width for letter in "ABCDEFGHIJKLMN"]
    assert all(8 <= width <= 60 for width in widths) and widths[7] > len("ana@miambiente.gob.pa")


def test_it_exports_the_roster_xlsx_in_english(client, training):
    sheet = _xlsx(client.get(f"/activities/{training.id}/roster.xlsx?lang=en"))
    header, _luis, ana = _sheet_rows(sheet)
    assert sheet.title == "Participants" and header == ENGLISH_HEADER
    assert ana[5:11] == ["Female", "Panama", "ana@miambiente.gob.pa", "Attended", 3, "Yes"]


@pytest.mark.parametrize("language", ["en", "es"])
def test_it_gives_scripts_the_stable_codes_whatever_the_language(client, training, language):
    header, luis, ana = _csv(client.get(f"/activities/{training.id}/roster.csv?lang={language}&codes=1"))
    assert (
        header
        == list(COLUMNS)
        == [
            "name",
            "given_names",
            "surnames",
            "organization",
            "position",
            "sex",
            "country",
            "email",
            "status",
            "days_attended",
            "completed",
            "pre_score",
            "post_score",
            "satisfaction",
        ]
    )
    assert ana == [
        "Ana Pérez",
        "Ana",
        "Pérez",
        "MiAMBIENTE",
        "Analista",
        "female",
        "PA",
        "ana@miambiente.gob.pa",
        "attended",
        "3",
        "yes",
        "40",
        "85",
        "5",
    ]
    assert luis[5:11] == ["male", "US", "", "absent", "", "no"]
    sheet = _xlsx(client.get(f"/activities/{training.id}/roster.xlsx?lang={language}&codes=1"))
    assert _sheet_rows(sheet)[0] == list(COLUMNS) and _sheet_rows(sheet)[2][5:11] == ana[5:8] + ["attended", 3, "yes"]


def test_it_keeps_a_formula_looking_name_as_text_in_csv_and_xlsx(client, training):
    response = client.post(
        f"/activities/{training.id}/roster",
        data={"given_names": EVIL, "organization": "+SUM(A1:A9)", "position": "@cmd", "status": "attended"},
    )
    assert response.status_code == 200
    cells = [cell for row in _csv(client.get(f"/activities/{training.id}/roster.csv?lang=es"))[1:] for cell in row]
    assert "'" + EVIL in cells and "'+SUM(A1:A9)" in cells and "'@cmd" in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    response = client.get(f"/activities/{training.id}/roster.xlsx?lang=es")
    sheet = _xlsx(response)
    evil = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == EVIL)
    assert [cell.data_type for cell in (*evil[:2], evil[3])] == ["s", "s", "s"]
    assert evil[0].quotePrefix  # Excel keeps it text even when someone edits the cell
    with zipfile.ZipFile(io.BytesIO(response.content)) as book:
        assert b"<f>" not in book.read("xl/worksheets/sheet1.xml")  # no formula anywhere in the sheet


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_it_reads_back_a_roster_exported_in_spanish_through_the_importer(client, training, extension):
    response = client.get(f"/activities/{training.id}/roster.{extension}?lang=es")
    table = read_table(response.content, f"roster.{extension}")
    mapping = guess_mapping(table.headers)
    assert set(mapping) == set(COLUMNS) - {"completed"}  # every field the importer knows, from its Spanish name
    _number, ana = table.rows[1]  # by surname: Gómez, then Pérez
    read_back = {field: normalized(field, ana[index]) for field, index in mapping.items()}
    assert read_back == {"name": "Ana Pérez"} | {name: value for name, value in ANA.items() if name != "language"}


def test_an_empty_roster_exports_its_header_alone(client, make_activity):
    activity = make_activity()
    assert _csv(client.get(f"/activities/{activity.id}/roster.csv?lang=es")) == [SPANISH_HEADER]
    assert _sheet_rows(_xlsx(client.get(f"/activities/{activity.id}/roster.xlsx?lang=es"))) == [SPANISH_HEADER]

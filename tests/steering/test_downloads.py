"""The report as files: a real PDF (A4 portrait, page numbers, each area, the summary and the figures) and
XLSX and CSV tables, in English and in Spanish, safe from formula injection; stable codes for scripts."""

import csv
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.conftest import SLUG
from tests.steering.conftest import PERIOD
from tracker.i18n import translate
from tracker.steering.status import area_statuses

A4 = (595, 842)  # points, portrait
SUMMARY = {
    "summary_es": "El trimestre cerró con la **guía MRV** aceptada.",
    "summary_en": "The quarter closed with the **MRV guidelines** accepted.",
}


@pytest.fixture
def summarized(client, quarter):
    response = client.post(
        f"/partnerships/{SLUG}/steering/summary?{PERIOD}", data={"seen": ""} | SUMMARY, follow_redirects=False
    )
    assert response.status_code == 303
    return quarter


def _pdf_text(client, language: str) -> tuple[PdfReader, str]:
    response = client.get(f"/partnerships/{SLUG}/steering.pdf?{PERIOD}&lang={language}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf" and response.headers["content-language"] == language
    assert f'filename="steering-{SLUG}-2026-07-01-2026-09-30-{language}.pdf"' in response.headers["content-disposition"]
    assert response.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.content))
    # Words broken over lines by the layout read as one text.
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    return reader, text


def test_the_pdf_is_an_a4_document_with_every_area_the_summary_and_the_figures_in_english(
    client, session, mou, summarized
):
    reader, text = _pdf_text(client, "en")
    session.expire_all()
    statuses = area_statuses(session, partnership=mou, today=date(2026, 10, 2), zone="America/Panama")
    for status in statuses.values():  # each area's status today, with its reason
        assert translate(status.reason, status.context, "en") in text
    assert all((round(float(p.mediabox.width)), round(float(p.mediabox.height))) == A4 for p in reader.pages)
    assert reader.metadata.title.startswith("Steering committee report")
    assert "Steering committee report" in text and "3rd quarter 2026" in text
    for area in mou.areas:
        assert area.name_en in text
    assert "The quarter closed with the MRV guidelines accepted." in text
    assert "Waiting for the inventory data" in text and "Moved to Nov 15, 2026" in text
    assert "People trained" in text and "30%" in text and "40%" in text
    assert f"Page 1 of {len(reader.pages)}" in text


def test_the_pdf_in_spanish(client, mou, summarized):
    reader, text = _pdf_text(client, "es")
    assert "Informe para el comité directivo" in text and "3.er trimestre 2026" in text
    for area in mou.areas:
        assert area.name_es in text
    assert "El trimestre cerró con la guía MRV aceptada." in text
    assert "Personas capacitadas" in text and "30 %" in text
    assert "Trasladado al 15 nov 2026" in text
    assert f"Página 1 de {len(reader.pages)}" in text


def _xlsx(client, query: str) -> list[tuple]:
    response = client.get(f"/partnerships/{SLUG}/steering.xlsx?{PERIOD}&{query}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [tuple(cell.value for cell in row) for row in sheet.iter_rows()]


def _csv(client, query: str) -> list[list[str]]:
    response = client.get(f"/partnerships/{SLUG}/steering.csv?{PERIOD}&{query}")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_tables_speak_the_readers_language(client, summarized):
    english, spanish = _csv(client, "lang=en"), _xlsx(client, "lang=es")
    assert english[0][:5] == ["Section", "Cooperation area", "Kind", "ID", "Title"]
    assert spanish[0][:5] == ("Sección", "Área de cooperación", "Tipo", "ID", "Título")
    moved = next(row for row in english if row[4] == "Emissions registry design" and row[0] == "Slipped, and why")
    assert moved[5:10] == ["Aug 15, 2026", "Nov 15, 2026", "Not started", "Moved", "Waiting for the inventory data"]
    assert ["Executive summary", "", "", "", SUMMARY["summary_en"]] == english[1][:5]
    mrv = [row for row in spanish if (row[1] or "").startswith("2. ")]
    target = next(row for row in mrv if row[0] == "Indicadores frente a metas" and row[4] == "Personas capacitadas")
    assert target[10:13] == (2, 10, 3)
    status = next(row for row in mrv if row[0] == "Estado hoy")
    assert status[7] == "Retrasado"


def test_scripts_get_stable_codes(client, summarized):
    rows = _csv(client, "codes=1")
    assert rows[0] == ["section", "area", "kind", "id", "title", "date", "new_date", "status", "what", "reason",
                       "this_period", "target", "reached", "target_start", "target_end"]  # fmt: skip
    sections = {row[0] for row in rows[1:]}
    assert {"summary", "status", "planned", "done", "slipped", "next", "indicator"} <= sections
    moved = next(row for row in rows if row[4] == "Emissions registry design" and row[0] == "slipped")
    assert moved[1:3] == ["mrv", "deliverable"] and moved[5:9] == ["2026-08-15", "2026-11-15", "not_started", "moved"]
    assert ["indicator", "mrv", "indicator"] == next(r for r in rows if r[4] == "people_trained (sex=female)")[:3]


def test_no_cell_runs_as_a_formula(client, make_deliverable, quarter):
    make_deliverable(title_en='=HYPERLINK("http://evil.example","click")', due_on="2026-09-10")
    response = client.post(
        f"/partnerships/{SLUG}/steering/summary?{PERIOD}",
        data={"seen": "", "summary_en": "@SUM(1+1)", "summary_es": ""},
        follow_redirects=False,
    )
    assert response.status_code == 303
    rows = _csv(client, "lang=en")
    cells = [cell for row in rows for cell in row]
    assert "'@SUM(1+1)" in cells and '\'=HYPERLINK("http://evil.example","click")' in cells
    response = client.get(f"/partnerships/{SLUG}/steering.xlsx?{PERIOD}&lang=en")
    sheet = load_workbook(io.BytesIO(response.content)).active
    risky = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and c.value[:1] in "=@"]
    assert risky and all(c.data_type == "s" and c.quotePrefix for c in risky)

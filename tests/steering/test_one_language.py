"""A Spanish reader of the steering-committee report meets no English (and an English reader no Spanish)
on its page, in its PDF and tables, on the summary form and on the amendments page, with records written
in both languages; checked by the same `leftovers` as everything else the tracker hands out."""

import csv
import io

import pytest
import time_machine
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.conftest import SLUG
from tests.progress.test_pages import visible_text
from tests.test_every_output_in_one_language import NOW, leftovers, records  # noqa: F401 (a fixture)
from tracker.i18n import LANGUAGES

PERIOD = "start=2026-01-01&end=2026-06-30"


@pytest.fixture
def amended(records, client, login, make_user):  # noqa: F811
    """The records, a summary in both languages and an amendment in both."""
    admin = login(make_user("admin", email="admin@arb.ca.gov"))
    with time_machine.travel(NOW, tick=False):
        summary = {"seen": "", "summary_en": "A good half year.", "summary_es": "Un buen semestre."}
        assert client.post(f"/partnerships/{SLUG}/steering/summary?{PERIOD}", data=summary).status_code == 200
        amendment = {"signed_on": "2026-05-20", "ends_on": "2027-11-11", "current_end": "2027-05-11",
                     "summary_en": "Six more months.", "summary_es": "Seis meses más."}  # fmt: skip
        assert admin.post(f"/admin/partnerships/{SLUG}/amendments", data=amendment).status_code == 200
    return admin


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_report_and_its_files_are_in_one_language(amended, language):
    amended.cookies.set("lang", language)
    with time_machine.travel(NOW, tick=False):
        pages = [amended.get(path) for path in (
            f"/partnerships/{SLUG}/steering?{PERIOD}", f"/partnerships/{SLUG}/steering/summary?{PERIOD}",
            f"/admin/partnerships/{SLUG}/amendments", f"/admin/partnerships/{SLUG}/amendments/remove",
        )]  # fmt: skip
        pdf = amended.get(f"/partnerships/{SLUG}/steering.pdf?{PERIOD}")
        table = amended.get(f"/partnerships/{SLUG}/steering.csv?{PERIOD}")
        book = amended.get(f"/partnerships/{SLUG}/steering.xlsx?{PERIOD}")
    for page in pages:
        assert page.status_code == 200
        assert leftovers(visible_text(page.text, language), language) == [], page.url
    lines = [line for p in PdfReader(io.BytesIO(pdf.content)).pages for line in p.extract_text().splitlines()]
    assert {"en": "A good half year.", "es": "Un buen semestre."}[language] in lines
    assert leftovers([line for line in lines if line.strip()], language) == []
    cells = [cell for row in csv.reader(io.StringIO(table.content.decode("utf-8-sig"))) for cell in row if cell]
    sheet = load_workbook(io.BytesIO(book.content)).active
    cells += [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert leftovers(cells, language) == []

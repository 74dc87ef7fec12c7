"""Tables people download, written as CSV or XLSX from one table built per reader.

A reader gets headers and values in their language: words for stored codes, dates as pages write them,
countries by name. Scripts ask for `?codes=1`: the stable English column names and the stored codes
(female, attended, held, ISO dates), whatever the language.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from starlette.requests import Request
from starlette.responses import Response

from tracker.i18n import N_, babel_locale, gettext_for, marked, request_language
from tracker.labels import LABELS
from tracker.participants.rules import FORMULA_STARTS, neutralize
from tracker.times import long_date

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
YES, NO = N_("Yes"), N_("No")
# Real dates in XLSX (they sort and filter as dates), shown as the pages write them: the locale tag makes
# Excel name the months in the reader's language whatever its own (en-US, es-PA).
DATE_FORMATS = {"en": "[$-409]mmm d, yyyy", "es": "[$-180A]d mmm yyyy"}
ISO_DATE = "yyyy-mm-dd"
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
EXCEL_CELL_LIMIT = 32767  # characters Excel keeps in one cell


@dataclass(frozen=True)
class Reader:
    """Who a table is for: a person reading a language, or a script wanting stable codes."""

    language: str
    codes: bool = False

    @property
    def gettext(self):
        return gettext_for(self.language)

    def header(self, columns: tuple[str, ...], labels: dict[str, str]) -> tuple[str, ...]:
        """The column names: each column's label in the reader's language, or the stable names."""
        return tuple(columns) if self.codes else tuple(self.gettext(labels[c]) for c in columns)

    def word(self, code, labels: dict[str, str] = LABELS) -> str:
        """A stored code (status, sex, section) as the reader's word for it, or as stored."""
        code = "" if code is None else str(getattr(code, "value", code))
        return code if self.codes or code not in labels else self.gettext(labels[code])

    def yes_no(self, value: bool) -> str:
        if self.codes:
            return "yes" if value else "no"
        return self.gettext(YES if value else NO)

    def country(self, code: str | None) -> str:
        """A country by its name in the reader's language (as the importer reads it back), or its ISO code."""
        if not code or self.codes:
            return code or ""
        return babel_locale(self.language).territories.get(code, code)

    def text(self, record, name: str) -> str:
        """A bilingual field in the reader's language, or another one marked "[EN] …"."""
        return marked(record, name, self.language)

    def title(self, label: str, code: str) -> str:
        """A sheet's title."""
        return code if self.codes else self.gettext(label)


def reader_of(request: Request) -> Reader:
    """The request's language (which honours ?lang=); stable codes with ?codes=1."""
    return Reader(request_language(request), request.query_params.get("codes", "").lower() in ("1", "true", "yes"))


@dataclass(frozen=True)
class Table:
    """What a download holds: a sheet title, the header row, and rows of text, numbers, dates or None."""

    title: str
    header: tuple[str, ...]
    rows: list[tuple] = field(default_factory=list)


def _plain(value, reader: Reader) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat() if reader.codes else long_date(value, reader.language)
    if isinstance(value, str):
        # A name such as "=HYPERLINK(...)" must stay text when the sheet is opened.
        return neutralize(value)
    return str(value)


def csv_body(table: Table, reader: Reader) -> str:
    """The table as CSV text, with a BOM so spreadsheet programs read the accents right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_plain(h, reader) for h in table.header])
    for row in table.rows:
        writer.writerow([_plain(v, reader) for v in row])
    return "\ufeff" + buffer.getvalue()


def _sheet_title(title: str) -> str:
    return SHEET_NAME_FORBIDDEN.sub(" ", title).strip()[:31] or "Sheet"


def _put_text(cell, text: str) -> None:
    # Stored as a string whatever it starts with: openpyxl would otherwise write "=..." as a formula. The
    # quote prefix keeps Excel from turning it into one when someone edits the cell.
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", text)[:EXCEL_CELL_LIMIT]
    cell.data_type = "s"
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    if "\n" in text:
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _shown_length(value, reader: Reader) -> int:
    return max((len(line) for line in _plain(value, reader).splitlines()), default=0)


def xlsx_body(table: Table, reader: Reader) -> bytes:
    """The table as an Excel workbook: a bold, frozen header row, columns wide enough, real dates, text as text."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(table.title)
    workbook.properties.creator = "MOU tracker"
    workbook.properties.language = reader.language
    bold = Font(bold=True)
    date_format = ISO_DATE if reader.codes else DATE_FORMATS.get(reader.language, ISO_DATE)
    for column, heading in enumerate(table.header, start=1):
        cell = sheet.cell(row=1, column=column)
        _put_text(cell, heading)
        cell.font = bold
    for row_number, row in enumerate(table.rows, start=2):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column)
            if value is None:
                continue
            if isinstance(value, datetime):
                value = value.date()
            if isinstance(value, date):
                cell.value = value
                cell.number_format = date_format
            elif isinstance(value, bool) or not isinstance(value, int | float):
                _put_text(cell, str(value))
            else:
                cell.value = value
    sheet.freeze_panes = "A2"
    if table.header:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.header))}{len(table.rows) + 1}"
    for column, heading in enumerate(table.header, start=1):
        longest = max([len(heading) + 3, *(_shown_length(row[column - 1], reader) for row in table.rows)])
        sheet.column_dimensions[get_column_letter(column)].width = min(max(longest + 2, 8), 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def safe_filename(stem: str, extension: str) -> str:
    """A file name any system and any Content-Disposition parser takes: ASCII letters, digits, . - _."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.")[:100] or "export"
    return f"{cleaned}.{extension}"


def _download(body, media_type: str, filename: str, reader: Reader) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if not reader.codes:
        headers["Content-Language"] = reader.language
    return Response(body, media_type=media_type, headers=headers)


def csv_response(table: Table, reader: Reader, stem: str) -> Response:
    """The table as a CSV download."""
    return _download(csv_body(table, reader), "text/csv; charset=utf-8", safe_filename(stem, "csv"), reader)


def xlsx_response(table: Table, reader: Reader, stem: str) -> Response:
    """The table as an XLSX download."""
    return _download(xlsx_body(table, reader), XLSX, safe_filename(stem, "xlsx"), reader)

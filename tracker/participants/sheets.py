"""Reading an uploaded sign-in sheet: CSV (any usual encoding and delimiter) or XLSX, to a table."""

import codecs
import csv
import io
import re
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from itertools import islice

from tracker.participants.column_fields import guess_mapping
from tracker.validation import FieldErrors

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000
# A workbook may carry thousands of formatted but empty rows after the data: stop after this many in a row.
MAX_BLANK_RUN = 1_000
# How many rows from the top may hold a title rather than the column names.
HEADER_SEARCH = 10
MAX_COLUMNS = 100
MAX_CELL = 1_000


def refused(kind: str, **context) -> FieldErrors:
    """An upload refused as a whole: the message goes under the form's file field."""
    return FieldErrors({"file": (kind, context)})


@dataclass(frozen=True)
class Table:
    """A sheet: its header row, and each data row as (row number in the sheet, one cell per column)."""

    headers: list[str]
    rows: list[tuple[int, list[str]]]


def read_table(data: bytes, filename: str = "") -> Table:
    """The table in an uploaded CSV or XLSX file; raises FieldErrors with a message for the form."""
    if len(data) > MAX_BYTES:
        raise refused("file_too_large", max_mb=MAX_BYTES // (1024 * 1024))
    if not data.strip().removeprefix(codecs.BOM_UTF8).strip():
        raise refused("file_empty")
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if data.startswith(b"PK\x03\x04"):
        return table_from_records(_xlsx_records(data))
    if data.startswith(b"\xd0\xcf\x11\xe0") or extension == "xls":
        raise refused("file_xls")
    if extension not in ("", "csv", "txt", "tsv"):
        raise refused("file_type")
    text = decode(data)
    if "\x00" in text:
        raise refused("file_type")  # a binary file: a PDF, an image...
    return table_from_records(_csv_records(text))


def decode(data: bytes) -> str:
    """Text from UTF-8 (with or without BOM), UTF-16 with BOM, else Excel's Windows-1252, else Latin-1."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise refused("file_unreadable") from None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")  # every byte is a character: never fails


def _csv_records(text: str) -> Iterator[tuple[int, list[str]]]:
    try:
        yield from enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text)), start=1)
    except csv.Error:
        raise refused("file_unreadable") from None


def delimiter(text: str) -> str:
    """Comma, semicolon (Excel in Spanish) or tab: the one splitting the first lines most alike, into most columns.

    Judged on many lines, not the first: a title may come before the table, and cells may hold commas.
    """
    lines = list(islice((line for line in text.splitlines() if line.strip()), 2 * HEADER_SEARCH))

    def regularity(candidate: str) -> tuple[int, int]:
        widths = Counter(len(next(csv.reader([line], delimiter=candidate), [])) for line in lines)
        # (how many lines it splits alike, into how many columns); splitting nothing proves nothing.
        return max(((count, width) for width, count in widths.items() if width > 1), default=(0, 1))

    return max((",", ";", "\t"), key=regularity)


def _xlsx_records(data: bytes) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook  # only an XLSX upload pays for the import

    try:
        with warnings.catch_warnings():
            # Style and extension warnings say nothing about the data.
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any zip that is not a workbook (a .docx, a broken file)
        raise refused("file_type") from None
    try:
        sheet = book.active if hasattr(book.active, "iter_rows") else book.worksheets[0]
        # Some exporters write a wrong size: read what is there.
        sheet.reset_dimensions()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, [_cell_text(v) for v in values]
    except Exception:  # noqa: BLE001 - a damaged workbook must answer with a message, not a 500
        raise refused("file_unreadable") from None
    finally:
        book.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def table_from_records(records: Iterable[tuple[int, list[str]]]) -> Table:
    """The header row and the rows under it (empty rows skipped).

    The header is the first non-empty row, unless one of the next few names more of the fields:
    sign-in sheets often carry a title or the event's date above the table.
    """
    filled: list[tuple[int, list[str]]] = []
    blank_run = 0
    for number, raw in records:
        cells = [_clean(c) for c in raw]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            blank_run += 1
            if filled and blank_run > MAX_BLANK_RUN:
                break
            continue
        blank_run = 0
        filled.append((number, cells))
        if len(filled) > MAX_ROWS + HEADER_SEARCH:
            break  # too many whichever row is the header
    if not filled:
        raise refused("file_empty")
    at = _header_index([cells for _, cells in filled[:HEADER_SEARCH]])
    header, rows = filled[at][1], filled[at + 1 :]
    if _looks_like_data(header):
        raise refused("no_header")
    if not rows:
        raise refused("no_rows")
    if len(rows) > MAX_ROWS:
        raise refused("too_many_rows", max_rows=MAX_ROWS)
    if len(header) > MAX_COLUMNS:
        raise refused("too_many_columns", max_columns=MAX_COLUMNS)
    # A stray value far to the right does not make every row that wide.
    width = min(max(len(header), *(len(cells) for _, cells in rows)), MAX_COLUMNS)
    pad = [""] * width
    return Table(headers=(header + pad)[:width], rows=[(n, (cells + pad)[:width]) for n, cells in rows])


def _header_index(candidates: list[list[str]]) -> int:
    # The row naming the most fields, one of them the name; else the first row.
    scores = [len(mapping) if "name" in (mapping := guess_mapping(cells)) else 0 for cells in candidates]
    return max(range(len(scores)), key=lambda i: (scores[i], -i))


def _clean(cell: str) -> str:
    # PostgreSQL cannot store NUL in text; the schemas refuse the other control characters field by field.
    # No field takes more than 254 characters: a longer cell is refused all the same, and stored shorter.
    return str(cell)[:MAX_CELL].replace("\x00", "").strip()


def _looks_like_data(header: list[str]) -> bool:
    filled = [h for h in header if h]
    return any("@" in h for h in filled) or all(re.fullmatch(r"[\d.,:/ -]+", h) for h in filled)

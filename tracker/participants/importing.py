"""Sign-in sheets and registration exports: a file's bytes to a table, its columns to fields, its rows
to roster input. Pure functions, so every rule is tested without HTTP or a database.
"""

import codecs
import csv
import hashlib
import io
import re
import unicodedata
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache
from itertools import islice

from babel import Locale
from pydantic import ValidationError

from tracker.participants.rules import match_key
from tracker.participants.schemas import EnrollmentIn, ParticipantIn
from tracker.validation import MESSAGES, N_, FieldErrors, collect, message

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000
# A workbook may carry thousands of formatted but empty rows after the data: stop after this many in a row.
MAX_BLANK_RUN = 1_000
# How many rows from the top may hold a title rather than the column names.
HEADER_SEARCH = 10
MAX_COLUMNS = 100
MAX_CELL = 1_000

PERSON_FIELDS = tuple(ParticipantIn.model_fields)
ATTENDANCE_FIELDS = tuple(EnrollmentIn.model_fields)
FIELDS = PERSON_FIELDS + ATTENDANCE_FIELDS
# The same words as the roster's form, so one translation serves both.
FIELD_LABELS = {
    "name": N_("Name"),
    "organization": N_("Organization"),
    "position": N_("Position"),
    "sex": N_("Sex"),
    "country": N_("Country"),
    "email": N_("Email"),
    "language": N_("Language"),
    "status": N_("Attendance"),
    "days_attended": N_("Days attended"),
    "pre_score": N_("Pre-test (0–100)"),
    "post_score": N_("Post-test (0–100)"),
    "satisfaction": N_("Satisfaction (1–5)"),
}

MESSAGES.update(
    {
        "file_type": N_("Upload a CSV file or an Excel workbook (.xlsx)."),
        "file_xls": N_("Old Excel files (.xls) cannot be read: save the sheet as .xlsx or CSV and upload it again."),
        "file_unreadable": N_("This file could not be read. Save it again as CSV or .xlsx and upload it again."),
        "file_empty": N_("The file is empty."),
        "file_too_large": N_("The file is larger than {max_mb} MB. Split it into smaller files."),
        "too_many_rows": N_("The file has more than {max_rows} rows. Split it into smaller files."),
        "too_many_columns": N_("The file has more than {max_columns} columns: keep only the participants' details."),
        "no_header": N_("The first row must name the columns (Name, Organization, Email…), but it holds data."),
        "no_rows": N_("The file has a header row but no participants under it."),
        "no_name_column": N_(
            "No column could be read as the participants' names. "
            "Name that column “Name” or “Nombre” and upload the file again."
        ),
        "name_unmapped": N_("Choose the column that holds the participants' names."),
        "mapped_twice": N_("Another column is already read as this field."),
        "sheet_sex": N_("Write F or M (also Mujer/Hombre, female/male), Otro/other, or leave it blank."),
        "sheet_language": N_("Write es or en (Español/English), or leave it blank."),
        "sheet_status": N_("Write attended, absent, excused or registered (also Sí/No), or leave it blank."),
    }
)


def refused(kind: str, **context) -> FieldErrors:
    """An upload refused as a whole: the message goes under the form's file field."""
    return FieldErrors({"file": (kind, context)})


# Reading the file --------------------------------------------------------------------------


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


# Columns to fields ---------------------------------------------------------------------------


def fold(text: str) -> str:
    """A header as compared: no accents, no case, punctuation as spaces."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def column_letter(index: int) -> str:
    """A column's name in a spreadsheet: A for the first, Z, then AA..."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def layout_signature(headers: list[str]) -> str:
    """The SHA-256 of the normalized header row: the same sheet layout gets the same signature."""
    return hashlib.sha256("\x1f".join(fold(h) for h in headers).encode()).hexdigest()


# Header words in English and Spanish, folded. A longer phrase found in a header wins over a shorter one.
SYNONYMS = {
    "name": (
        "name", "full name", "names", "participant", "participant name", "nombre", "nombres", "nombre completo",
        "nombre y apellido", "nombre y apellidos", "nombres y apellidos", "apellidos y nombres", "participante",
        "nombre del participante",
    ),
    "organization": (
        "organization", "organisation", "institution", "agency", "company", "affiliation", "employer",
        "organizacion", "institucion", "entidad", "empresa", "agencia", "dependencia", "afiliacion",
    ),
    "position": ("position", "job title", "title", "role", "cargo", "puesto", "funcion", "ocupacion"),
    "sex": ("sex", "gender", "sexo", "genero"),
    "country": ("country", "nationality", "pais", "nacionalidad"),
    "email": (
        "email", "e mail", "mail", "email address", "correo", "correo electronico", "direccion de correo",
    ),
    "language": ("language", "preferred language", "idioma", "lengua", "idioma preferido"),
    "status": (
        "status", "attended", "attendance", "present", "asistio", "asistencia", "estado", "presente",
    ),
    "days_attended": ("days attended", "days", "dias asistidos", "dias de asistencia", "dias"),
    "pre_score": (
        "pre score", "pre test", "pretest", "pre", "entry test", "prueba inicial", "evaluacion inicial",
        "nota inicial", "puntaje inicial", "prueba de entrada",
    ),
    "post_score": (
        "post score", "post test", "posttest", "post", "exit test", "prueba final", "evaluacion final",
        "nota final", "puntaje final", "prueba de salida",
    ),
    "satisfaction": ("satisfaction", "rating", "satisfaccion", "calificacion", "valoracion"),
}  # fmt: skip


def guess_mapping(headers: list[str]) -> dict[str, int]:
    """field -> column index, guessed from the header words; each field from one column at most."""
    candidates = []
    for index, header in enumerate(headers):
        padded = f" {fold(header)} "
        for field, phrases in SYNONYMS.items():
            for phrase in phrases:
                if padded.strip() == phrase:
                    candidates.append((1000 + len(phrase), index, field))
                elif f" {phrase} " in padded:
                    candidates.append((len(phrase), index, field))
    mapping: dict[str, int] = {}
    for _score, index, field in sorted(candidates, key=lambda c: (-c[0], c[1])):
        if field not in mapping and index not in mapping.values():
            mapping[field] = index
    return mapping


def clean_mapping(mapping: dict, width: int) -> dict[str, int]:
    """A stored mapping with what no longer fits this layout dropped."""
    cleaned: dict[str, int] = {}
    for field, index in mapping.items():
        if field in FIELDS and isinstance(index, int) and 0 <= index < width and index not in cleaned.values():
            cleaned[field] = index
    return cleaned


def read_mapping(choices: list[str]) -> tuple[dict[str, int], dict[str, tuple[str, dict]]]:
    """The mapping form's choice for each column (a field or "") as field -> column, and its errors."""
    mapping: dict[str, int] = {}
    errors: dict[str, tuple[str, dict]] = {}
    for index, choice in enumerate(choices):
        if choice not in FIELDS:
            continue  # "ignore this column"
        if choice in mapping:
            errors[f"column_{index}"] = ("mapped_twice", {})
        else:
            mapping[choice] = index
    if "name" not in mapping:
        errors["mapping"] = ("name_unmapped", {})
    return mapping, errors


# Cells to values -----------------------------------------------------------------------------


def _word(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode() or text
    return " ".join(plain.casefold().replace(".", " ").split())


def _words(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {word: value for value, words in table.items() for word in words}


SEX_WORDS = _words(
    {
        "female": ("f", "female", "woman", "w", "mujer", "femenino", "fem", "femenina"),
        "male": ("m", "male", "man", "hombre", "h", "masculino", "masc"),
        "another": ("another", "other", "otro", "otra", "otre", "no binario", "non binary", "nonbinary"),
        "not_stated": (
            "not stated", "not_stated", "prefer not to say", "prefiero no decir", "no indica", "no responde",
            "n/a", "na", "nd", "-",
        ),
    }
)  # fmt: skip
LANGUAGE_WORDS = _words(
    {
        "es": ("es", "esp", "spa", "spanish", "espanol", "castellano"),
        "en": ("en", "eng", "english", "ingles"),
    }
)
STATUS_WORDS = _words(
    {
        "attended": (
            "attended", "present", "yes", "y", "x", "1", "true", "si", "s", "asistio", "presente",
            "verdadero", "✓", "✔",
        ),
        "absent": ("absent", "no", "n", "0", "false", "ausente", "falso", "no asistio"),
        "excused": ("excused", "justified", "excusado", "excusada", "justificado", "justificada"),
        "registered": ("registered", "enrolled", "registrado", "registrada", "inscrito", "inscrita"),
    }
)  # fmt: skip
WORDS = {"sex": SEX_WORDS, "language": LANGUAGE_WORDS, "status": STATUS_WORDS}
# An unknown word in these columns gets a message naming the words that work.
SHEET_KINDS = {"sex": "sheet_sex", "language": "sheet_language", "status": "sheet_status"}
NUMBER_FIELDS = ("days_attended", "pre_score", "post_score", "satisfaction")


@cache
def _country_names() -> dict[str, str]:
    names = {"usa": "US", "eeuu": "US", "ee uu": "US", "u s a": "US", "estados unidos de america": "US"}
    for language in ("en", "es"):
        for code, name in Locale(language).territories.items():
            if len(code) == 2 and code.isalpha():
                names.setdefault(fold(name), code)
    return names


def normalized(field: str, text: str):
    """One cell as the schemas read it: local words for sex, language and attendance; country names as codes."""
    if field in WORDS:
        return WORDS[field].get(_word(text), text)
    if field == "country":
        if re.fullmatch(r"[A-Za-z]{2}", text):
            return text.upper()
        return _country_names().get(fold(text), text)
    if field in NUMBER_FIELDS:
        number = text.removesuffix("%").strip()
        whole = re.fullmatch(r"(-?\d+)[.,]0*", number)
        return whole.group(1) if whole else number
    return text


def check_row(cells: list[str], mapping: dict[str, int], *, days: int):
    """(person, attendance, {}) for a valid row; (None, None, field -> (kind, context)) otherwise."""
    values = {}
    for field, index in mapping.items():
        text = cells[index] if index < len(cells) else ""
        if text or field == "name":
            values[field] = normalized(field, text)
    errors: dict[str, tuple[str, dict]] = {}
    person = attendance = None
    try:
        person = ParticipantIn.model_validate({k: v for k, v in values.items() if k in PERSON_FIELDS})
    except ValidationError as exc:
        errors |= collect(exc)
    try:
        attendance = EnrollmentIn.model_validate({k: v for k, v in values.items() if k in ATTENDANCE_FIELDS})
    except ValidationError as exc:
        errors |= collect(exc)
    # The service's own rule, checked now so that confirming never fails on it.
    if attendance is not None and attendance.days_attended is not None and attendance.days_attended > days:
        errors["days_attended"] = ("days_over_length", {"days": days})
    if errors:
        errors = {f: (SHEET_KINDS[f], {}) if f in SHEET_KINDS else e for f, e in errors.items()}
        return None, None, errors
    return person, attendance, {}


def stage(
    rows: Iterable[tuple[int, list[str]]],
    mapping: dict[str, int],
    *,
    days: int,
    on_roster: Callable[[ParticipantIn], bool],
    gettext,
) -> tuple[list[dict], list[dict]]:
    """The preview of an import: (valid rows, problems), each keeping its cells for a new mapping.

    A valid row is the person and attendance fields as JSON, plus "duplicate": None, "file" (the same
    person as the earlier row "same_as", matched as the service matches people) or "roster".
    A problem is {"row": n, "errors": {field: message}}.
    """
    valid: list[dict] = []
    problems: list[dict] = []
    by_email: dict[str, int] = {}
    by_key_without_email: dict[str, int] = {}
    by_key: dict[str, int] = {}
    for number, cells in rows:
        person, attendance, errors = check_row(cells, mapping, days=days)
        if errors:
            problems.append(
                {"row": number, "errors": {f: message(k, c, gettext) for f, (k, c) in errors.items()}, "cells": cells}
            )
            continue
        key = match_key(person.name, person.organization or "")
        email = person.email
        same = by_email.get(email) if email else None
        if same is None:
            same = (by_key_without_email if email else by_key).get(key)
        entry = {"row": number, **person.model_dump(mode="json"), **attendance.model_dump(mode="json")}
        if same is not None:
            entry |= {"duplicate": "file", "same_as": same}
        else:
            entry["duplicate"] = "roster" if on_roster(person) else None
        first = same or number
        if email:
            by_email.setdefault(email, first)
        else:
            by_key_without_email.setdefault(key, first)
        by_key.setdefault(key, first)
        valid.append(entry | {"cells": cells})
    return valid, problems


def source_rows(batch_rows: list[dict], problems: list[dict]) -> list[tuple[int, list[str]]]:
    """The sheet's data rows again, from a staged preview, in their order."""
    return sorted((entry["row"], entry["cells"]) for entry in [*batch_rows, *problems])


# Absent values are left out rather than sent as None: the schemas' bounded numbers refuse an explicit None.


def person_of(entry: dict) -> ParticipantIn:
    """The person of a staged row."""
    return ParticipantIn.model_validate({k: entry[k] for k in PERSON_FIELDS if entry.get(k) is not None})


def attendance_of(entry: dict) -> EnrollmentIn:
    """The attendance of a staged row."""
    return EnrollmentIn.model_validate({k: entry[k] for k in ATTENDANCE_FIELDS if entry.get(k) is not None})

"""Sign-in sheets and registration exports: a file's bytes to a table, its columns to fields, its rows
to roster input. Pure functions, so every rule is tested without HTTP or a database.
"""

import re
import unicodedata
from collections.abc import Iterable
from functools import cache

from babel import Locale
from pydantic import ValidationError

from tracker.i18n import LANGUAGES, language_name
from tracker.participants import names
from tracker.participants.column_fields import ATTENDANCE_FIELDS, PERSON_FIELDS, fold
from tracker.participants.schemas import EnrollmentIn, ParticipantIn
from tracker.validation import collect, message

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
# Each language by its code and its name in every interface language (Babel's), and a few usual others.
_OTHER_LANGUAGE_WORDS = {"es": ("esp", "spa", "castellano"), "en": ("eng",)}
LANGUAGE_WORDS = _words(
    {
        code: (code, *_OTHER_LANGUAGE_WORDS.get(code, ()), *(_word(language_name(code, shown)) for shown in LANGUAGES))
        for code in LANGUAGES
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
    for language in LANGUAGES:
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


def person_values(values: dict[str, str]) -> dict[str, str]:
    """A row's name cells as given names and surnames (and its other cells as they are).

    Given names and surnames in columns of their own win over "Surnames, Given", which wins over a
    full name in one cell; names typed all in capitals are written as names.
    """
    person = {k: v for k, v in values.items() if k in PERSON_FIELDS}
    given, surnames = values.get("given_names", ""), values.get("surnames", "")
    if not surnames:
        surnames = " ".join(values[f] for f in ("first_surname", "second_surname") if values.get(f))
    if not given and values.get("surname_given"):
        given, found = names.split_surname_given(values["surname_given"])
        surnames = surnames or found
    if not given and values.get("name"):
        given, found = names.split_full(values["name"])
        surnames = surnames or found
    person["given_names"] = names.tidy(given)
    if surnames:
        person["surnames"] = names.tidy(surnames, surname=True)
    return person


# A problem with given names or surnames is shown on the column they were read from.
_NAME_SOURCES = {
    "given_names": ("given_names", "surname_given", "name"),
    "surnames": ("surnames", "first_surname", "second_surname", "surname_given", "name"),
}


def _source(field: str, mapping: dict[str, int]) -> str:
    return next((f for f in _NAME_SOURCES.get(field, ()) if f in mapping), field)


def check_row(cells: list[str], mapping: dict[str, int], *, days: int):
    """(person, attendance, {}) for a valid row, each holding only the values the sheet gave;
    (None, None, field -> (kind, context)) otherwise."""
    values = {}
    for field, index in mapping.items():
        text = cells[index] if index < len(cells) else ""
        if text:
            values[field] = normalized(field, text)
    errors: dict[str, tuple[str, dict]] = {}
    person_in = person_values(values)
    attendance_in = {k: v for k, v in values.items() if k in ATTENDANCE_FIELDS}
    person = attendance = None
    try:
        person = ParticipantIn.model_validate(person_in).model_dump(mode="json", include=set(person_in))
    except ValidationError as exc:
        errors |= {_source(f, mapping): e for f, e in collect(exc).items()}
    try:
        attendance = EnrollmentIn.model_validate(attendance_in).model_dump(mode="json", include=set(attendance_in))
    except ValidationError as exc:
        errors |= collect(exc)
    # The service's own rule, checked now so that confirming never fails on it.
    if attendance is not None and (attendance.get("days_attended") or 0) > days:
        errors["days_attended"] = ("days_over_length", {"days": days})
    if errors:
        errors = {f: (SHEET_KINDS[f], {}) if f in SHEET_KINDS else e for f, e in errors.items()}
        return None, None, errors
    return person, attendance, {}


def stage(
    rows: Iterable[tuple[int, list[str]]], mapping: dict[str, int], *, days: int
) -> tuple[list[dict], list[dict]]:
    """A sheet's rows read under a mapping: (valid rows, problems), each keeping its cells for a new mapping.

    A valid row is {"row": n, "cells", "person", "attendance"} with only the values the sheet gave
    (import_plan decides what they do to the roster). A problem is {"row": n, "errors": {field: [kind,
    context]}}: translated when shown (problem_messages), so whoever opens it reads their own language.
    """
    valid: list[dict] = []
    problems: list[dict] = []
    for number, cells in rows:
        person, attendance, errors = check_row(cells, mapping, days=days)
        if errors:
            stored = {field: [kind, _storable(context)] for field, (kind, context) in errors.items()}
            problems.append({"row": number, "errors": stored, "cells": cells})
        else:
            valid.append({"row": number, "cells": cells, "person": person, "attendance": attendance})
    return valid, problems


def _storable(context: dict) -> dict:
    # A JSON column holds the context; message() reads every value but "error" (an exception object).
    return {
        key: value if value is None or isinstance(value, str | int | float | bool) else str(value)
        for key, value in context.items()
        if key != "error"
    }


def problem_messages(errors: dict, gettext) -> dict[str, str]:
    """A staged row's problems in the viewer's language: field -> message.

    Batches staged before kinds were stored hold the message itself, shown as it was written.
    """
    return {
        field: found if isinstance(found, str) else message(found[0], found[1], gettext)
        for field, found in errors.items()
    }


def source_rows(batch_rows: list[dict], problems: list[dict]) -> list[tuple[int, list[str]]]:
    """The sheet's data rows again, from a staged preview, in their order."""
    return sorted((entry["row"], entry["cells"]) for entry in [*batch_rows, *problems])

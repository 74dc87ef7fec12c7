"""Sign-in sheets and registration exports: a file's bytes to a table, its columns to fields, its rows
to roster input. Pure functions, so every rule is tested without HTTP or a database.
"""

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import cache

from babel import Locale
from pydantic import ValidationError

from tracker.i18n import LANGUAGES, language_name
from tracker.participants.column_fields import ATTENDANCE_FIELDS, PERSON_FIELDS, fold
from tracker.participants.rules import match_key
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
) -> tuple[list[dict], list[dict]]:
    """The preview of an import: (valid rows, problems), each keeping its cells for a new mapping.

    A valid row is the person and attendance fields as JSON, plus "duplicate": None, "file" (the same
    person as the earlier row "same_as", matched as the service matches people) or "roster".
    A problem is {"row": n, "errors": {field: [kind, context]}}: translated when shown (problem_messages),
    so whoever opens the preview reads it in their own language.
    """
    valid: list[dict] = []
    problems: list[dict] = []
    by_email: dict[str, int] = {}
    by_key_without_email: dict[str, int] = {}
    by_key: dict[str, int] = {}
    for number, cells in rows:
        person, attendance, errors = check_row(cells, mapping, days=days)
        if errors:
            stored = {field: [kind, _storable(context)] for field, (kind, context) in errors.items()}
            problems.append({"row": number, "errors": stored, "cells": cells})
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


# Absent values are left out rather than sent as None: the schemas' bounded numbers refuse an explicit None.


def person_of(entry: dict) -> ParticipantIn:
    """The person of a staged row."""
    return ParticipantIn.model_validate({k: entry[k] for k in PERSON_FIELDS if entry.get(k) is not None})


def attendance_of(entry: dict) -> EnrollmentIn:
    """The attendance of a staged row."""
    return EnrollmentIn.model_validate({k: entry[k] for k in ATTENDANCE_FIELDS if entry.get(k) is not None})

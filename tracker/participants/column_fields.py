"""Which column of a sign-in sheet holds which field: guessed from English and Spanish headers,
remembered per layout by a signature of the header row."""

import hashlib
import re
import unicodedata

from tracker.participants.schemas import EnrollmentIn, ParticipantIn
from tracker.validation import N_

# The ways a sheet writes names; each becomes given names and surnames (importing.person_values).
NAME_COLUMNS = ("name", "given_names", "surnames", "first_surname", "second_surname", "surname_given")
# Columns enough to name a person: one of these must be chosen.
NAMING = ("name", "given_names", "surname_given")
PERSON_FIELDS = tuple(f for f in ParticipantIn.model_fields if f not in NAME_COLUMNS)
ATTENDANCE_FIELDS = tuple(EnrollmentIn.model_fields)
FIELDS = NAME_COLUMNS + PERSON_FIELDS + ATTENDANCE_FIELDS
SURNAME_COLUMNS = ("surnames", "first_surname", "second_surname")
# The same words as the roster's form, so one translation serves both.
FIELD_LABELS = {
    "name": N_("Full name"),
    "given_names": N_("Given names"),
    "surnames": N_("Surnames"),
    "first_surname": N_("First surname"),
    "second_surname": N_("Second surname"),
    "surname_given": N_("Surnames, given names"),
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
        "nombre y apellido", "nombre y apellidos", "nombres y apellidos", "participante", "nombre del participante",
    ),
    "given_names": (
        "first name", "first names", "given name", "given names", "forename", "forenames", "nombre de pila",
        "primer nombre", "nombres de pila", "nombres",
    ),
    "surnames": ("last name", "surname", "surnames", "family name", "apellido", "apellidos"),
    "first_surname": ("primer apellido", "apellido paterno", "first surname", "first last name"),
    "second_surname": ("segundo apellido", "apellido materno", "second surname", "second last name"),
    "surname_given": (
        "apellidos y nombres", "apellidos y nombre", "apellido y nombre", "apellidos nombres", "apellidos nombre",
        "apellido nombre", "last name first name", "surname given name", "surname first name",
        "surnames given names",
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
    # "Nombre" beside "Apellidos" is the given name, not the full one.
    if "name" in mapping and "given_names" not in mapping and any(f in mapping for f in SURNAME_COLUMNS):
        mapping["given_names"] = mapping.pop("name")
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
    if not any(f in mapping for f in NAMING):
        errors["mapping"] = ("name_unmapped", {})
    return mapping, errors

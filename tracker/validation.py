"""One vocabulary of input errors for forms and the API, translated when shown."""

import re
from datetime import date, datetime
from functools import cache
from typing import Annotated, Any, ClassVar

from babel.lists import format_list
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    create_model,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from tracker.i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, Nn_, Plural, gettext_for, translate
from tracker.labels import status_label
from tracker.times import is_timezone, long_date

# Messages by error type: pydantic's own types, then ours (raised with PydanticCustomError).
MESSAGES: dict[str, str | Plural] = {
    "missing": N_("This field is required."),
    "blank": N_("This field is required."),
    "string_too_short": N_("This field is required."),
    "string_too_long": Nn_("At most {max_length} character.", "At most {max_length} characters.", "max_length"),
    "too_short": N_("Choose at least one."),
    "too_long": Nn_("At most {max_length} item.", "At most {max_length} items.", "max_length"),
    "int_parsing": N_("Enter a whole number."),
    "int_type": N_("Enter a whole number."),
    "int_from_float": N_("Enter a whole number."),
    "greater_than_equal": N_("Must be at least {ge}."),
    "less_than_equal": N_("Must be at most {le}."),
    "date_parsing": N_("Enter a date as YYYY-MM-DD."),
    "date_from_datetime_parsing": N_("Enter a date as YYYY-MM-DD."),
    "date_from_datetime_inexact": N_("Enter a date as YYYY-MM-DD."),
    "date_type": N_("Enter a date as YYYY-MM-DD."),
    "datetime_parsing": N_("Enter a date and time as YYYY-MM-DDTHH:MM."),
    "datetime_from_date_parsing": N_("Enter a date and time as YYYY-MM-DDTHH:MM."),
    "datetime_type": N_("Enter a date and time as YYYY-MM-DDTHH:MM."),
    "enum": N_("Choose one of: {expected}."),
    "bool_parsing": N_("Enter true or false."),
    "bool_type": N_("Enter true or false."),
    "string_type": N_("Enter text."),
    "list_type": N_("Enter a list."),
    "model_type": N_("Enter a JSON object."),
    "model_attributes_type": N_("Enter a JSON object."),
    "dict_type": N_("Enter a JSON object."),
    "json_invalid": N_("The request body is not valid JSON."),
    "extra_forbidden": N_("Unknown field."),
    "control_characters": N_("Remove the control characters from this text."),
    "timezone": N_("Unknown time zone: use an IANA name such as America/Panama."),
    "email": N_("Enter a valid email address, such as name@example.org."),
    "email_ascii": N_("Write the part before the @ without accents or “ñ”: mail servers refuse them."),
    "url": N_("Enter a full link starting with http:// or https://."),
    "slug": N_("Use lower-case letters, digits and hyphens only."),
    "date_range": N_("Enter a date between {min} and {max}."),
    "end_before_start": N_("The end must be after the start."),
    "too_long_event": Nn_("An activity lasts at most {days} day.", "An activity lasts at most {days} days.", "days"),
    "nonexistent_time": N_("This time does not exist in {zone}: the clocks skip it for daylight saving."),
    "outside_term": N_("This falls outside the MOU term ({start} – {end}); it is kept only when confirmed explicitly."),
    "venue_required": N_("An in-person or hybrid activity needs a venue."),
    "one_language": N_("Write it in Spanish, in English, or in both."),
    # A required long text says what it asks for: "it" under a box of outcomes reads as a choice to make.
    "outcomes_one_language": N_("Write what came of it, in Spanish, in English, or in both."),
    "unknown_area": N_("Unknown cooperation area."),
    "foreign_area": N_("This area belongs to another partnership."),
    "unknown_organization": N_("Unknown organization."),
    "unknown_person": N_("Unknown person."),
    "unknown_activity": N_("Unknown activity."),
    "foreign_activity": N_("This activity belongs to another partnership."),
    "unknown_partnership": N_("Unknown partnership."),
    "outcomes_before_held": N_("Outcomes are recorded once the activity is held."),
    "held_in_future": N_("An activity can be marked held only once it has started."),
    "held_starts_in_future": N_(
        "An activity that was held cannot start in the future. If it has not taken place, undo “held” first."
    ),
    "completed_in_future": N_("The completion date cannot be in the future."),
    "completed_before_start": N_("The completion date cannot be before the MOU started."),
    "taken": N_("This value is already in use."),
    "signed_after_start": N_("The signing date must be on or before the start of the term."),
    "password_short": N_("Use at least 12 characters. A few unrelated words make a good passphrase."),
    "password_long": N_("Use at most 1024 characters."),
    "password_common": N_("This password is too easy to guess. Try a longer passphrase of unrelated words."),
    "password_mismatch": N_("The two passwords differ."),
    "password_wrong": N_("This is not your current password."),
    "role_needs_partnership": N_("A partner must belong to a partnership."),
    "access_needed": N_("Give them a role in at least one partnership, or make them an administrator."),
    "stale": N_("Someone else saved this record while you were editing it."),
    "country": N_("Use a two-letter country code, such as PA or US."),
    "days_over_length": Nn_("This activity lasts {days} day.", "This activity lasts {days} days.", "days"),
    "day_list": N_("Enter whole numbers of days from 1 to 90, separated by commas, e.g. 14, 7, 1."),
    "hour": N_("Enter an hour from 0 to 23."),
    # Indicators and their targets.
    "unknown_indicator": N_("Choose one of the indicators listed."),
    "target_number": N_("Enter a number, such as 120 or 4.5."),
    "period_order": N_("The end of the period must be on or after its start."),
    "unknown_dimension": N_("Choose one of the breakdowns listed."),
    "dimension_not_broken_down": N_("Only people trained can have a target for a breakdown."),
    "target_exists": N_("This indicator already has a target for this period, area and breakdown."),
    "report_period": N_("Enter a start and an end date, the start first, at most three years apart."),
    # Imported sign-in sheets: the file as a whole, its columns, then its cells.
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
        "No column could be read as the participants' names. Name that column “Name”, “Nombre” or "
        "“Nombre completo” (or use “Nombre” and “Apellidos”) and upload the file again."
    ),
    "name_unmapped": N_(
        "Choose the column that holds the participants' names: the full name, the given names, or "
        "“Surnames, given names”."
    ),
    "mapped_twice": N_("Another column is already read as this field."),
    "sheet_sex": N_("Write F or M (also Mujer/Hombre, female/male), Otro/other, or leave it blank."),
    "sheet_language": N_("Write es or en (Español/English), or leave it blank."),
    "sheet_status": N_("Write attended, absent, excused or registered (also Sí/No), or leave it blank."),
    # Documents kept as evidence (tracker.documents): the file, its description, a deliverable's submission.
    "document_missing": N_("Choose a file to upload."),
    "document_too_large": N_(
        "The file is larger than {max_mb} MB, so it was not stored. Make it smaller (export it as PDF, "
        "take photos at a lower resolution) or split it."
    ),
    "document_type": N_(
        "Refused: the content of this file is “{what}” ({type}), whatever its name. Accepted: {allowed}."
    ),
    "document_unreadable": N_("The upload could not be read. Choose the file again and send it on its own."),
    "document_kind": N_("Choose what this document is, from the list."),
    "document_language": N_("Say which language this text is in."),
    "revision_closed": N_("The deliverable is accepted or cancelled: no revision can be added. Move it back first."),
    "evidence_missing": N_(
        "A deliverable is submitted with its document or a link to it: upload the document under "
        "“Documents”, or add the link to the evidence, then submit it."
    ),
    "evidence_sent_back": N_(
        "Revision {revision} was sent back: upload a new revision, or add a link to the evidence, before "
        "submitting again."
    ),
}
FALLBACK = N_("This value is not valid.")


def error(kind: str, **context: Any) -> PydanticCustomError:
    """An input error of one of our kinds, for a validator to raise."""
    entry = MESSAGES[kind]
    return PydanticCustomError(kind, entry.plural if isinstance(entry, Plural) else entry, context)


class FieldErrors(Exception):
    """Input that passed parsing but not a rule needing the database or the clock."""

    def __init__(self, errors: dict[str, tuple[str, dict]]):
        super().__init__(", ".join(errors))
        self.errors = errors  # field -> (kind, context)


def raise_if(errors: dict[str, tuple[str, dict]]) -> None:
    """Raise FieldErrors when any rule failed."""
    if errors:
        raise FieldErrors(errors)


def missing_languages(values: dict, fields, kinds: dict[str, str] | None = None) -> dict[str, tuple[str, dict]]:
    """The bilingual `fields` (`title`: title_en, title_es…) written in no language, refused on each
    language's field: a form shows the message under both boxes, the API lists both. `kinds` names a
    field's own message (`outcomes`: "outcomes_one_language"); the others get "one_language"."""
    errors = {}
    for field in fields:
        names = [f"{field}_{code}" for code in LANGUAGES]
        if not any(isinstance(values.get(name), str) and values[name].strip() for name in names):
            kind = (kinds or {}).get(field, "one_language")
            errors.update((name, (kind, {})) for name in names)
    return errors


class Bilingual(BaseModel):
    """A schema whose bilingual fields named in `required_in_a_language` need one language, either;
    `language_messages` gives a field a message of its own when neither is written."""

    required_in_a_language: ClassVar[tuple[str, ...]] = ()
    language_messages: ClassVar[dict[str, str]] = {}

    @model_validator(mode="after")
    def _written_in_a_language(self):
        missing = missing_languages(self.__dict__, self.required_in_a_language, self.language_messages)
        if missing:
            # Errors at the fields' own locations (not the model's), as any field error is reported.
            details = [
                InitErrorDetails(type=error(kind, **context), loc=(name,), input=getattr(self, name))
                for name, (kind, context) in missing.items()
            ]
            raise ValidationError.from_exception_data(type(self).__name__, details)
        return self


def _field_name(loc: tuple) -> str:
    parts = [str(p) for p in loc if p not in ("body",)]
    # A list item's error belongs to the list's field.
    while parts and parts[-1].isdigit():
        parts.pop()
    return parts[0] if parts else "__all__"


def collect(exc: ValidationError | FieldErrors) -> dict[str, tuple[str, dict]]:
    """Flatten either error shape into field -> (kind, context), first error per field."""
    if isinstance(exc, FieldErrors):
        return dict(exc.errors)
    found: dict[str, tuple[str, dict]] = {}
    for item in exc.errors(include_url=False):
        found.setdefault(_field_name(tuple(item["loc"])), (item["type"], item.get("ctx") or {}))
    return found


def _language_of(gettext) -> str:
    # Every caller passes the gettext of the viewer's language (gettext_of, gettext_for): tell which it is.
    return next((language for language in LANGUAGES if gettext == gettext_for(language)), DEFAULT_LANGUAGE)


def message(kind: str, context: dict, gettext) -> str:
    """The translated sentence for one error: dates written as pages write them, a count by the plural
    rules, the options of a choice by their labels."""
    language = _language_of(gettext)
    values = {
        key: long_date(value, language) if isinstance(value, date) else value
        for key, value in context.items()
        if key != "error"
    }
    if kind == "enum" and isinstance(values.get("expected"), str):
        values["expected"] = _options(values["expected"], language)
    try:
        return translate(MESSAGES.get(kind, FALLBACK), values, language)
    except (KeyError, IndexError, ValueError):
        return gettext(FALLBACK)


def _options(expected: str, language: str) -> str:
    """Pydantic's "'workshop', 'webinar' or 'expert_meeting'" as the reader's words: "Taller, Seminario web o…"."""
    codes = re.findall(r"'([^']*)'", expected) or [part.strip() for part in expected.split(",")]
    words = [status_label(code, gettext_for(language)) for code in codes]
    return format_list(words, style="or", locale=language)


def messages(exc: ValidationError | FieldErrors, gettext) -> dict[str, str]:
    """field -> translated message, for a form or an API answer."""
    return {name: message(kind, ctx, gettext) for name, (kind, ctx) in collect(exc).items()}


def parse_fields(schema: type[BaseModel], values: dict) -> dict:
    """Each field of `values` parsed on its own: the valid ones (defaults for those absent)."""
    parsed = {}
    for name, info in schema.model_fields.items():
        if name not in values:
            if not info.is_required():
                parsed[name] = info.get_default(call_default_factory=True)
            continue
        try:
            parsed[name] = _adapter(schema, name).validate_python(values[name])
        except ValidationError:
            pass
    return parsed


def _field_type(info) -> Any:
    # The annotation with its constraints (a window, a length), which FieldInfo keeps apart.
    return Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation


@cache
def _adapter(schema: type[BaseModel], name: str) -> TypeAdapter:
    return TypeAdapter(_field_type(schema.model_fields[name]))


def patch_of(schema: type[BaseModel]) -> type[BaseModel]:
    """A PATCH body for `schema`: any subset of its fields, each checked as sent, all again once merged."""
    fields = {name: (_field_type(info) | None, None) for name, info in schema.model_fields.items()}
    # The version the client read: if someone saved since, the update is refused with 409.
    fields["version"] = (Annotated[int, Field(ge=1, le=MAX_ID)], ...)
    name = schema.__name__.removesuffix("In") + "Patch"
    return create_model(name, __config__=ConfigDict(extra="forbid"), __doc__=patch_of.__doc__, **fields)


def validate_all(schema: type[BaseModel], values: dict, rules) -> BaseModel:
    """Parse `values`; on failure, also run `rules` on the fields that parsed, so every error shows at once.

    `rules(parsed) -> errors` is the service's own rule check; errors come back as FieldErrors.
    """
    try:
        return schema.model_validate(values)
    except ValidationError as exc:
        parsed = parse_fields(schema, values)
        # A model's own rules run only once every field parsed: checked here too, so all show at once.
        both_blank = missing_languages(
            parsed, getattr(schema, "required_in_a_language", ()), getattr(schema, "language_messages", {})
        )
        raise FieldErrors(rules(parsed) | both_blank | collect(exc)) from None


# Field types shared by every schema --------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Every character some program reads as a line break (Unicode's separators, NEL, vertical tab, form feed).
_LINE_BREAKS = re.compile(r"[\r\n\t\x0b\x0c\x85\u2028\u2029]")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_URL = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$|^https?://localhost(?::\d+)?(?:[/?#]\S*)?$")
# The one window of dates any input may name (a date outside the MOU term also needs confirming).
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)
MAX_ID = 2_147_483_647


def _no_control(value: str) -> str:
    if _CONTROL.search(value):
        raise error("control_characters")
    return value


def _one_line(value: str) -> str:
    if _LINE_BREAKS.search(value):
        raise error("control_characters")
    return _no_control(value)


def _blank_to_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _required(value: str) -> str:
    if not value:
        raise error("blank")
    return value


def _timezone(value: str) -> str:
    if not is_timezone(value):
        raise error("timezone")
    return value


def normalize_email(value: str) -> str:
    """An email address lower-cased and checked (raises a ValueError-derived error).

    The domain may be international (it travels in IDNA); the part before the @ must be plain ASCII,
    which every mail server accepts.
    """
    value = value.strip().lower()
    if len(value) > 254 or not _EMAIL.match(value):
        raise error("email")
    if not value.rpartition("@")[0].isascii():
        raise error("email_ascii")
    return value


def _url(value: str) -> str:
    if not _URL.match(value):
        raise error("url")
    return value


def _slug(value: str) -> str:
    if not _SLUG.match(value):
        raise error("slug")
    return value


def _in_range(value: date) -> date:
    # A date and time is judged by its own calendar day: the wall clock the person typed.
    day = value.date() if isinstance(value, datetime) else value
    if not EARLIEST <= day <= LATEST:
        raise error("date_range", min=EARLIEST, max=LATEST)
    return value


def line(max_length: int):
    """A required one-line text of at most max_length characters, trimmed."""
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, max_length=max_length),
        AfterValidator(_one_line),
        AfterValidator(_required),
    ]


def optional_line(max_length: int):
    """An optional one-line text; blank means absent."""
    inner = Annotated[str, StringConstraints(strip_whitespace=True, max_length=max_length), AfterValidator(_one_line)]
    return Annotated[inner | None, BeforeValidator(_blank_to_none)]


def text(max_length: int):
    """A multi-line text, possibly empty."""
    # The length first: after a validator it would be checked as a list's ("At most 8000 items").
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, max_length=max_length),
        BeforeValidator(lambda v: "" if v is None else v),
        AfterValidator(_no_control),
    ]


def optional_text(max_length: int):
    """A multi-line text; blank means absent."""
    inner = Annotated[str, StringConstraints(strip_whitespace=True, max_length=max_length), AfterValidator(_no_control)]
    return Annotated[inner | None, BeforeValidator(_blank_to_none)]


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
OptionalId = Annotated[Id | None, BeforeValidator(_blank_to_none)]
TimeZoneName = Annotated[str, StringConstraints(strip_whitespace=True, max_length=64), AfterValidator(_timezone)]
Email = Annotated[str, StringConstraints(max_length=320), AfterValidator(normalize_email)]
Url = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500), AfterValidator(_url)]
OptionalUrl = Annotated[Url | None, BeforeValidator(_blank_to_none)]
Slug = Annotated[str, StringConstraints(strip_whitespace=True, max_length=60), AfterValidator(_slug)]
Day = Annotated[date, AfterValidator(_in_range)]
OptionalDay = Annotated[Day | None, BeforeValidator(_blank_to_none)]
# A wall-clock date and time (an event's clock), YYYY-MM-DDTHH:MM.
LocalDateTime = Annotated[datetime, AfterValidator(_in_range)]

"""The audit trail in words: each event as its reader reads it.

Fields by their labels, stored codes by their words, instants on the reader's clock, dates as pages
write them, and references by the names of what they point to, looked up once for all the events a
page shows (`references`). The API keeps the stored values: this is for people.
"""

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from types import SimpleNamespace

import sqlalchemy as sa
from babel.numbers import format_decimal
from sqlalchemy import and_, inspect, or_
from sqlmodel import Session, select

from tracker.audit.trail import TRACKED
from tracker.documents.kinds import KIND_LABELS, REVIEW_LABELS, TYPE_NAMES
from tracker.i18n import LANGUAGES, babel_locale, gettext_for, localized
from tracker.labels import (
    ACTIONS,
    DATA_REQUEST_KINDS,
    DATA_REQUEST_OUTCOMES,
    ENTITIES,
    MODES,
    REGISTRATION_STATES,
    field_label,
    status_label,
)
from tracker.models import (
    Activity,
    AuditEvent,
    CooperationArea,
    Deliverable,
    Document,
    Enrollment,
    Language,
    Organization,
    Participant,
    Partnership,
    Person,
    ReminderMode,
    UTCDateTime,
)
from tracker.own_data.names import actor_words, shown_name
from tracker.times import is_timezone, zone_name

# Kept for the machine (matching people, searching, shared secrets), never for a reader.
INTERNAL = {"match_key", "search_text", "calendar_token", "public_token"}
INTERNAL_ENDINGS = ("_key", "_folded", "_token", "_search")
# A change line is a summary: long texts are read on the record's page.
LONGEST = 140
ISO_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")

_MODELS = {entity: model for model, entity in TRACKED.items()}
# Plain text columns that hold a code, read by their words.
_CODED = {
    "document": {
        "kind": ("words", KIND_LABELS),
        "review": ("words", REVIEW_LABELS),
        "content_type": ("words", TYPE_NAMES),
        "language": ("language",),
    },
    "data_request": {"kind": ("words", DATA_REQUEST_KINDS), "outcome": ("words", DATA_REQUEST_OUTCOMES)},
    "registration": {"state": ("words", REGISTRATION_STATES), "language": ("language",)},
}
_ENTITY_OF_TABLE = {model.__tablename__: entity for model, entity in TRACKED.items()}


def internal(name: str) -> bool:
    """True for a field no history shows (bookkeeping for matching, searching or sharing)."""
    return name in INTERNAL or name.endswith(INTERNAL_ENDINGS)


def _column_kind(name: str, column: sa.Column) -> tuple:
    for key in column.foreign_keys:
        if target := _ENTITY_OF_TABLE.get(key.column.table.name):
            return ("ref", target)
    kind = column.type
    if isinstance(kind, UTCDateTime | sa.DateTime):
        return ("instant",)
    if isinstance(kind, sa.Date):
        return ("date",)
    if isinstance(kind, sa.Boolean):
        return ("bool",)
    if isinstance(kind, sa.Enum):  # before String: an Enum is one
        enum = kind.enum_class
        return ("language",) if enum is Language else ("mode",) if enum is ReminderMode else ("code",)
    if isinstance(kind, sa.Integer | sa.Numeric | sa.Float):
        return ("number",)
    if isinstance(kind, sa.JSON):
        return ("languages",) if name == "languages" else ("list",)
    if name == "country":
        return ("country",)
    if name == "timezone":
        return ("zone",)
    return ("text",)


@cache
def kinds(entity: str) -> dict[str, tuple]:
    """How each field of a kind of record reads, from its table: ("ref", "person"), ("instant",)…"""
    model = _MODELS.get(entity)
    if model is None:
        return {}
    mapper = inspect(model)
    found = {attr.key: _column_kind(attr.key, attr.columns[0]) for attr in mapper.column_attrs}
    for rel in mapper.relationships:
        if rel.secondary is not None and rel.mapper.class_ in TRACKED:
            found[rel.key] = ("ref", TRACKED[rel.mapper.class_])
    return found | _CODED.get(entity, {})


def _kind_of(entity: str, name: str, value) -> tuple:
    # A field the table no longer has (renamed since) reads by the shape of what was stored.
    known = kinds(entity).get(name)
    if known is not None:
        return known
    if isinstance(value, bool):
        return ("bool",)
    if isinstance(value, str) and ISO_INSTANT.match(value):
        return ("instant",)
    return ("list",) if isinstance(value, list) else ("text",)


# The columns a reference's name (and link) is made of, one query per kind of record.
_COLUMNS = {
    "enrollment": (Enrollment.id, Enrollment.activity_id, Enrollment.participant_id),
    "person": (Person.id, Person.name),
    "participant": (Participant.id, Participant.name),
    "organization": (Organization.id, Organization.acronym),
    "area": (
        CooperationArea.id,
        CooperationArea.number,
        CooperationArea.name_en,
        CooperationArea.name_es,
        CooperationArea.slug,
        Partnership.slug.label("partnership_slug"),
    ),
    "activity": (Activity.id, Activity.title_en, Activity.title_es),
    "deliverable": (Deliverable.id, Deliverable.title_en, Deliverable.title_es),
    "partnership": (Partnership.id, Partnership.slug, Partnership.title_en, Partnership.title_es),
    "document": (Document.id, Document.title, Document.revision, Document.deleted_at),
}
_MODEL_OF_KIND = {
    "enrollment": Enrollment,
    "person": Person,
    "participant": Participant,
    "organization": Organization,
    "area": CooperationArea,
    "activity": Activity,
    "deliverable": Deliverable,
    "partnership": Partnership,
    "document": Document,
}


@dataclass
class References:
    """The records some events refer to, by kind and id: what their names and links are made of.

    `gone` holds what a deleted record last was (its deletion's snapshot), so it still has a name.
    """

    found: dict[str, dict[int, object]] = field(default_factory=dict)
    gone: dict[str, dict[int, object]] = field(default_factory=dict)

    def exists(self, kind: str, record_id) -> bool:
        """True while the record is there."""
        return record_id in self.found.get(kind, {})

    def _name_of(self, kind: str, row, language: str) -> str:
        if kind in ("person", "participant"):  # an anonymised one by its marker, in the reader's words
            return shown_name(getattr(row, "name", None) or "", gettext_for(language))
        if kind == "organization":
            return getattr(row, "acronym", None) or ""
        if kind == "area":
            name = localized(row, "name", language)
            number = getattr(row, "number", None)
            return f"{number}. {name}" if number is not None else name
        if kind == "document":
            title, revision = getattr(row, "title", None) or "", getattr(row, "revision", None)
            if revision is None:
                return title
            return gettext_for(language)("%(title)s, revision %(number)s") % {"title": title, "number": revision}
        if kind == "enrollment":
            names = [
                self.name("participant", getattr(row, "participant_id", None), language, missing=""),
                self.name("activity", getattr(row, "activity_id", None), language, missing=""),
            ]
            return ", ".join(name for name in names if name)
        return localized(row, "title", language)

    def name(self, kind: str, record_id, language: str, missing: str | None = None) -> str:
        """What a reference reads as: the record's name, marked when it no longer exists."""
        row = self.found.get(kind, {}).get(record_id)
        if row is not None:
            return self._name_of(kind, row, language) or f"#{record_id}"
        if missing is not None:
            return missing
        _ = gettext_for(language)
        last = self.gone.get(kind, {}).get(record_id)
        name = self._name_of(kind, last, language) if last is not None else ""
        return _("%(name)s (deleted)") % {"name": name} if name else _("(deleted)")

    def href(self, kind: str, record_id) -> str | None:
        """The page of a record that still exists (None for kinds without one)."""
        row = self.found.get(kind, {}).get(record_id)
        if row is None:
            return None
        if kind == "activity":
            return f"/activities/{record_id}"
        if kind == "deliverable":
            return f"/deliverables/{record_id}"
        if kind == "enrollment":
            return f"/activities/{row.activity_id}/roster"
        if kind == "partnership":
            return f"/partnerships/{row.slug}"
        if kind == "area":
            return f"/partnerships/{row.partnership_slug}/areas/{row.slug}"
        if kind == "document":
            return None if row.deleted_at is not None else f"/documents/{record_id}"
        return None

    def order(self, kind: str, record_id, language: str) -> tuple:
        """Where a reference stands in a list of them: areas by number, the rest by name; deleted ones last."""
        row = self.found.get(kind, {}).get(record_id)
        if row is None:
            return (1, 0, "", record_id)
        return (0, getattr(row, "number", 0) or 0, self.name(kind, record_id, language).casefold(), record_id)


def _ids(value) -> set[int]:
    values = value if isinstance(value, list) else [value]
    return {v for v in values if isinstance(v, int) and not isinstance(v, bool)}


def _wanted(events: Iterable[AuditEvent], with_records: bool) -> dict[str, set[int]]:
    wanted: dict[str, set[int]] = defaultdict(set)
    for event in events:
        if with_records and event.entity in _COLUMNS:
            wanted[event.entity].add(event.entity_id)
        changes = event.changes if isinstance(event.changes, dict) else {}
        for name, pair in changes.items():
            kind = kinds(event.entity).get(name)
            if kind and kind[0] == "ref" and isinstance(pair, list):
                for value in pair:
                    wanted[kind[1]] |= _ids(value)
    return wanted


def _snapshot(changes) -> SimpleNamespace:
    values = changes if isinstance(changes, dict) else {}
    return SimpleNamespace(**{k: v[0] for k, v in values.items() if isinstance(v, list) and v and k.isidentifier()})


def references(session: Session, events: Iterable[AuditEvent], *, with_records: bool = False) -> References:
    """Look up everything some events refer to (with_records: the changed records too), one query per kind."""
    events = list(events)
    wanted = _wanted(events, with_records)
    refs = References()
    for kind, columns in _COLUMNS.items():  # roster entries first: they name a participant and an activity
        ids = wanted.get(kind)
        if not ids:
            continue
        model = _MODEL_OF_KIND[kind]
        query = select(*columns).where(model.id.in_(sorted(ids)))
        if kind == "area":
            query = query.join(Partnership, Partnership.id == CooperationArea.partnership_id)
        refs.found[kind] = {row.id: row for row in session.exec(query)}
        if kind == "enrollment":
            for row in refs.found[kind].values():
                wanted["participant"].add(row.participant_id)
                wanted["activity"].add(row.activity_id)
    missing = {kind: ids - refs.found.get(kind, {}).keys() for kind, ids in wanted.items()}
    missing = {kind: ids for kind, ids in missing.items() if ids and kind in _COLUMNS}
    if missing:
        deletions = session.exec(
            select(AuditEvent.entity, AuditEvent.entity_id, AuditEvent.changes).where(
                AuditEvent.action == "delete",
                or_(*(and_(AuditEvent.entity == k, AuditEvent.entity_id.in_(sorted(v))) for k, v in missing.items())),
            )
        )
        for entity, entity_id, changes in deletions:
            refs.gone.setdefault(entity, {})[entity_id] = _snapshot(changes)
    return refs


@dataclass(frozen=True)
class Reader:
    """Who reads: their language, and how their pages write an instant (zone named) and a date."""

    language: str
    at: Callable[[datetime], str]
    day: Callable[[date], str]

    @property
    def gettext(self):
        return gettext_for(self.language)


@dataclass(frozen=True)
class Line:
    """One changed field: its label, and its value before and after in words (None: it had none)."""

    label: str
    before: str | None
    after: str | None
    language: str | None = None  # the values' language, for a field that holds one language's text


def _language_of_field(name: str) -> str | None:
    code = name.rsplit("_", 1)[-1]
    return code if "_" in name and code in LANGUAGES else None


@dataclass(frozen=True)
class Record:
    """What an event changed: its kind and number, its name, and its page while it exists."""

    kind: str
    id: int
    name: str
    href: str | None


@dataclass(frozen=True)
class Entry:
    """One event as its reader reads it."""

    actor: str
    action: str
    at: datetime
    when: str
    record: Record
    shows_before: bool
    lines: tuple[Line, ...]
    reason: str | None = None  # why, as the person wrote it (in whichever language they wrote it)
    shows_record: bool = False  # in another record's history (a document in its deliverable's): named


def _instant(value) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _language_name(code: str, language: str) -> str:
    # As running text names it ("español, inglés"); i18n.language_name capitalizes a language's own name
    # for the language switch.
    return babel_locale(language).languages.get(code, code)


def _code(value, reader: Reader) -> str:
    return status_label(value, reader.gettext)


def _words_of(kind: tuple, value, refs: References, reader: Reader) -> str:
    language = reader.language
    match kind[0]:
        case "instant":
            return reader.at(_instant(value))
        case "date":
            return reader.day(date.fromisoformat(value))
        case "bool":
            if not isinstance(value, bool):
                raise TypeError(value)
            return reader.gettext("yes") if value else reader.gettext("no")
        case "code":
            return _code(value, reader)
        case "mode":
            return reader.gettext(MODES[value]) if value in MODES else str(value)
        case "words":
            return reader.gettext(kind[1][value]) if value in kind[1] else str(value)
        case "language":
            return _language_name(str(value), language)
        case "languages":
            return ", ".join(_language_name(str(code), language) for code in value)
        case "country":
            return babel_locale(language).territories.get(str(value).upper(), str(value))
        case "zone":
            return zone_name(str(value), language) if is_timezone(str(value)) else str(value)
        case "number":
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise TypeError(value)
            return format_decimal(value, locale=language)
        case "ref":
            ids = sorted(_ids(value), key=lambda i: refs.order(kind[1], i, language))
            if not ids:
                raise TypeError(value)
            return ", ".join(refs.name(kind[1], i, language) for i in ids)
    return _text(value)


def _text(value) -> str:
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    return str(value)


def words(kind: tuple, value, refs: References, reader: Reader) -> str | None:
    """A stored value in words (None for no value); what cannot be read so stays as it was written."""
    if value is None or value == "" or value == []:
        return None
    try:
        text = _words_of(kind, value, refs, reader)
    except (TypeError, ValueError, OverflowError, AttributeError, KeyError):
        text = _text(value)
    return text if len(text) <= LONGEST else text[: LONGEST - 1].rstrip() + "…"


def present(event: AuditEvent, refs: References, reader: Reader) -> Entry:
    """One event in words for a reader."""
    _ = reader.gettext
    changes = event.changes if isinstance(event.changes, dict) and event.action != "delete" else {}
    lines = []
    for name, pair in changes.items():
        if internal(name) or not isinstance(pair, list) or len(pair) != 2:
            continue
        kind = _kind_of(event.entity, name, pair[1] if pair[1] is not None else pair[0])
        lines.append(
            Line(
                label=field_label(name, _, event.entity),
                before=words(kind, pair[0], refs, reader),
                after=words(kind, pair[1], refs, reader),
                language=_language_of_field(name),
            )
        )
    system = event.actor_id is None and event.actor_name == "system"
    return Entry(
        actor=_("The system") if system else actor_words(event.actor_name or "", _),
        action=_(ACTIONS[event.action]) if event.action in ACTIONS else event.action,
        at=event.at,
        when=reader.at(event.at),
        record=Record(
            kind=_(ENTITIES[event.entity]) if event.entity in ENTITIES else event.entity,
            id=event.entity_id,
            name=refs.name(event.entity, event.entity_id, reader.language) if event.entity in _COLUMNS else "",
            href=refs.href(event.entity, event.entity_id),
        ),
        shows_before=event.action not in ("create", "delete"),
        lines=tuple(lines),
        reason=_reason(event.reason),
    )


def _reason(value) -> str | None:
    # Shown whole (it is short by rule), but safely: a value written by hand may be anything.
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip()


class Trail(list):
    """Audit events and the records they refer to: what a history, a conflict notice or the audit page shows."""

    def __init__(self, events: Iterable[AuditEvent] = (), refs: References | None = None):
        super().__init__(events)
        self.references = refs if refs is not None else References()

    def read(self, language: str, at: Callable[[datetime], str], day: Callable[[date], str]) -> list[Entry]:
        """The events in words for a reader of `language` (`at`, `day`: how their pages write instants, dates)."""
        reader = Reader(language, at, day)
        return [present(event, self.references, reader) for event in self]

"""Loading an MOU from its human-editable YAML file, idempotently, without undoing what people changed
in the browser since.

A field of a partnership, an area or an organization whose latest change in the audit trail was made
by a person (an event with an actor) belongs to the browser: loading keeps its value and says so,
unless asked to overwrite it. Records are found by acronym, slug and area number, or by the value a
person renamed them from, so renaming an MOU in the browser never makes the file add a second one.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator
from sqlmodel import Session, select

from tracker.editing import fields_of
from tracker.models import Amendment, AuditEvent, CooperationArea, Organization, Partnership
from tracker.partnerships.schemas import AreaIn, OrganizationIn, PartnershipIn
from tracker.partnerships.service import DERIVED, save_area, save_organization, save_partnership
from tracker.validation import Bilingual, FieldErrors

# Names and titles in English, Spanish or both: one language is enough (checked again by AreaIn, PartnershipIn).


class AreaSeed(Bilingual):
    model_config = ConfigDict(extra="forbid")
    required_in_a_language = ("name",)

    number: int
    slug: str
    name_en: str | None = None
    name_es: str | None = None
    description_en: str = ""
    description_es: str = ""


class PartnershipSeed(Bilingual):
    model_config = ConfigDict(extra="forbid")
    required_in_a_language = ("title",)

    slug: str
    title_en: str | None = None
    title_es: str | None = None
    signed_on: date
    signed_on_confirmed: bool = False
    starts_on: date
    ends_on: date
    text_url_en: str | None = None
    text_url_es: str | None = None
    summary_en: str = ""
    summary_es: str = ""
    published: bool = False
    parties: list[str]
    areas: list[AreaSeed]

    @model_validator(mode="after")
    def _unique_areas(self):
        for key in ("number", "slug"):
            values = [getattr(area, key) for area in self.areas]
            if len(values) != len(set(values)):
                raise ValueError(f"two areas share a {key}")
        return self


class SeedFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    organizations: list[OrganizationIn]
    partnerships: list[PartnershipSeed]


class SeedError(Exception):
    """The seed file cannot be loaded; the message says where and why."""


def read_seed(path: Path) -> SeedFile:
    """Parse and check a seed file without touching the database."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise SeedError(f"{path}: {exc}") from exc
    try:
        return SeedFile.model_validate(raw)
    except ValidationError as exc:
        raise SeedError(f"{path}: {exc}") from exc


@dataclass(frozen=True)
class BrowserEdit:
    """A field a person changed in the browser that the file would set otherwise."""

    record: str  # "partnership carb-miambiente-2025", "area 2 of carb-miambiente-2025", "organization CARB"
    field: str
    browser: str  # the value in the database, as changed in the browser
    in_file: str
    overwritten: bool
    why: str = "changed in the browser"

    def __str__(self) -> str:
        if self.overwritten:
            return f"{self.record}: {self.field} replaced by the file's {self.in_file} (was {self.browser}, {self.why})"
        hint = "" if self.why != "changed in the browser" else "; --overwrite replaces it"
        return f"{self.record}: {self.field} kept as {self.why}, {self.browser} (the file says {self.in_file}{hint})"


# The record's field as the audit trail names it, where it differs from the schema's.
_TRAIL_NAMES = {"party_ids": "parties"}
# The fields records are found by: a person who changes one renames the record.
_KEYS = {"organization": ("acronym",), "partnership": ("slug",), "area": ("number", "slug")}


class _BrowserTrail:
    """What people changed, from the audit trail: by record, the fields whose latest change was theirs,
    and the old values of the keys they renamed records from."""

    def __init__(self, session: Session):
        self.owned: dict[tuple[str, int], set[str]] = {}
        self.renamed: dict[tuple[str, str, object], int] = {}
        rows = session.exec(
            select(AuditEvent.entity, AuditEvent.entity_id, AuditEvent.actor_id, AuditEvent.changes)
            .where(AuditEvent.entity.in_(list(_KEYS)), AuditEvent.action != "delete")
            .order_by(AuditEvent.id)
        )
        for entity, entity_id, actor_id, changes in rows:
            owned = self.owned.setdefault((entity, entity_id), set())
            for name, pair in (changes if isinstance(changes, dict) else {}).items():
                if actor_id is None:
                    owned.discard(name)  # the file (or another program) set it since: the file's again
                    continue
                owned.add(name)
                if name in _KEYS[entity] and isinstance(pair, list) and len(pair) == 2 and pair[0] is not None:
                    self.renamed[(entity, name, pair[0])] = entity_id

    def by_people(self, entity: str, record_id: int | None) -> set[str]:
        """The fields of a record that people changed last."""
        return self.owned.get((entity, record_id), set()) if record_id is not None else set()

    def renamed_from(self, entity: str, field: str, value) -> int | None:
        """The record a person renamed from this key value, if any."""
        return self.renamed.get((entity, field, value))


def _shown(value, acronyms: dict[int, str]) -> str:
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(acronyms.get(v, str(v)) for v in value) + "]"
    if isinstance(value, str):
        text = " ".join(value.split())
        return repr(text if len(text) <= 60 else text[:59] + "…")
    return str(value)


def _same(a, b) -> bool:
    return sorted(a) == sorted(b) if isinstance(a, list) and isinstance(b, list) else a == b


def _merge(
    schema: type[BaseModel],
    data: BaseModel,
    current: dict | None,
    owned: set[str],
    *,
    label: str,
    overwrite: bool,
    notes: list[BrowserEdit],
    acronyms: dict[int, str],
    always_kept: dict[str, str] | None = None,
) -> BaseModel:
    """The file's `data`, with the fields people changed (`owned`) kept at their `current` value unless
    `overwrite`; each kept or replaced value that differs from the file's noted."""
    if current is None:
        return data
    kept = {}
    for name in schema.model_fields:
        if name not in current or _same(current[name], getattr(data, name)):
            continue
        why = (always_kept or {}).get(name)
        if why is None and _TRAIL_NAMES.get(name, name) not in owned:
            continue
        replaced = overwrite and why is None
        notes.append(
            BrowserEdit(
                label,
                name,
                _shown(current[name], acronyms),
                _shown(getattr(data, name), acronyms),
                overwritten=replaced,
                **({"why": why} if why else {}),
            )
        )
        if not replaced:
            kept[name] = current[name]
    return data.model_copy(update=kept) if kept else data


def _find(session: Session, model, trail: _BrowserTrail, entity: str, keys: Iterable[tuple[str, object]], taken: set):
    """The record the file means: by its key, else by the key a person renamed it from (each record once)."""
    keys = list(keys)
    scope = [getattr(model, name) == value for name, value in keys[1:]]  # the area's partnership
    name, value = keys[0]
    record = session.exec(select(model).where(getattr(model, name) == value, *scope)).first()
    if record is None:
        renamed = trail.renamed_from(entity, name, value)
        record = session.get(model, renamed) if renamed is not None else None
        if record is not None and any(getattr(record, n) != v for n, v in keys[1:]):
            record = None
    if record is not None and record.id in taken:
        return None
    return record


def load_seed(session: Session, seed: SeedFile, *, overwrite: bool = False) -> list[BrowserEdit]:
    """Insert or update what the file describes, matched by acronym, slug and area number; what people
    changed in the browser is kept (or replaced, with `overwrite`), and listed.

    Nothing is deleted, so activities and deliverables linked to an area always survive a reload. An
    amended end of term is never undone by the file's original end.
    """
    trail = _BrowserTrail(session)
    notes: list[BrowserEdit] = []
    organizations: dict[str, Organization] = {}
    taken: dict[str, set] = {"organization": set(), "partnership": set(), "area": set()}
    acronyms = {o.id: o.acronym for o in session.exec(select(Organization))}
    for item in seed.organizations:
        org = _find(session, Organization, trail, "organization", [("acronym", item.acronym)], taken["organization"])
        current = fields_of(OrganizationIn, org) if org is not None else None
        owned = trail.by_people("organization", org.id if org else None)
        data = _merge(
            OrganizationIn,
            item,
            current,
            owned,
            label=f"organization {item.acronym}",
            overwrite=overwrite,
            notes=notes,
            acronyms=acronyms,
        )
        try:
            org = save_organization(session, organization=org or Organization(), data=data)
        except FieldErrors as exc:
            raise SeedError(f"organization {item.acronym}: {exc}") from exc
        taken["organization"].add(org.id)
        organizations[item.acronym] = org
        acronyms[org.id] = org.acronym
    for item in seed.partnerships:
        unknown = [acronym for acronym in item.parties if acronym not in organizations]
        if unknown:
            raise SeedError(f"partnership {item.slug}: unknown parties {unknown}")
        partnership = _find(session, Partnership, trail, "partnership", [("slug", item.slug)], taken["partnership"])
        fields = item.model_dump(exclude={"parties", "areas"})
        fields["party_ids"] = [organizations[acronym].id for acronym in item.parties]
        always_kept = {}
        if partnership is not None and _amended(session, partnership):
            # An amendment set the term's end: the file's original end must not undo it.
            always_kept["ends_on"] = "set by an amendment"
        try:
            data = _merge(
                PartnershipIn,
                PartnershipIn(**fields),
                fields_of(PartnershipIn, partnership, DERIVED) if partnership is not None else None,
                trail.by_people("partnership", partnership.id if partnership else None),
                label=f"partnership {item.slug}",
                overwrite=overwrite,
                notes=notes,
                acronyms=acronyms,
                always_kept=always_kept,
            )
            partnership = save_partnership(session, partnership=partnership or Partnership(), data=data)
            taken["partnership"].add(partnership.id)
            for area_item in item.areas:
                keys = [("number", area_item.number), ("partnership_id", partnership.id)]
                area = _find(session, CooperationArea, trail, "area", keys, taken["area"])
                data = _merge(
                    AreaIn,
                    AreaIn(partnership_id=partnership.id, **area_item.model_dump()),
                    fields_of(AreaIn, area) if area is not None else None,
                    trail.by_people("area", area.id if area else None),
                    label=f"area {area_item.number} of {item.slug}",
                    overwrite=overwrite,
                    notes=notes,
                    acronyms=acronyms,
                )
                area = save_area(session, area=area or CooperationArea(), data=data)
                taken["area"].add(area.id)
        except (ValidationError, FieldErrors) as exc:
            raise SeedError(f"partnership {item.slug}: {exc}") from exc
    return notes


def _amended(session: Session, partnership: Partnership) -> bool:
    return session.exec(select(Amendment.id).where(Amendment.partnership_id == partnership.id)).first() is not None


def is_empty(session: Session) -> bool:
    """True when no partnership has been loaded yet."""
    return session.exec(select(Partnership.id)).first() is None

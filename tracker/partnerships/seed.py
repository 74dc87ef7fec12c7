"""Loading an MOU from its human-editable YAML file, idempotently."""

from datetime import date
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from sqlmodel import Session, select

from tracker.models import Amendment, CooperationArea, Organization, Partnership
from tracker.partnerships.schemas import AreaIn, PartnershipIn
from tracker.partnerships.service import save_area, save_partnership
from tracker.validation import Bilingual, FieldErrors, TimeZoneName, line, optional_line

# Names and titles in English, Spanish or both: one language is enough (checked again by AreaIn, PartnershipIn).


class OrganizationSeed(Bilingual):
    model_config = ConfigDict(extra="forbid")
    required_in_a_language = ("name",)

    acronym: line(20)
    name_en: optional_line(200) = None
    name_es: optional_line(200) = None
    country: str = Field(pattern=r"^[A-Z]{2}$")
    timezone: TimeZoneName


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

    organizations: list[OrganizationSeed]
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


def load_seed(session: Session, seed: SeedFile) -> None:
    """Insert or update what the file describes, matched by acronym, slug and area number.

    Nothing is deleted, so activities and deliverables linked to an area always survive a reload.
    """
    organizations = {}
    for item in seed.organizations:
        org = session.exec(select(Organization).where(Organization.acronym == item.acronym)).first()
        org = org or Organization()
        for name, value in item.model_dump().items():
            setattr(org, name, value)
        session.add(org)
        session.flush()
        organizations[item.acronym] = org
    for item in seed.partnerships:
        unknown = [acronym for acronym in item.parties if acronym not in organizations]
        if unknown:
            raise SeedError(f"partnership {item.slug}: unknown parties {unknown}")
        partnership = session.exec(select(Partnership).where(Partnership.slug == item.slug)).first()
        fields = item.model_dump(exclude={"parties", "areas"})
        fields["party_ids"] = [organizations[acronym].id for acronym in item.parties]
        if partnership is not None and _amended(session, partnership):
            # An amendment set the term's end: the file's original end must not undo it.
            fields["ends_on"] = partnership.ends_on
        try:
            partnership = save_partnership(
                session, partnership=partnership or Partnership(), data=PartnershipIn(**fields)
            )
            for area_item in item.areas:
                area = session.exec(
                    select(CooperationArea).where(
                        CooperationArea.partnership_id == partnership.id,
                        CooperationArea.number == area_item.number,
                    )
                ).first()
                data = AreaIn(partnership_id=partnership.id, **area_item.model_dump())
                save_area(session, area=area or CooperationArea(), data=data)
        except (ValidationError, FieldErrors) as exc:
            raise SeedError(f"partnership {item.slug}: {exc}") from exc


def _amended(session: Session, partnership: Partnership) -> bool:
    return session.exec(select(Amendment.id).where(Amendment.partnership_id == partnership.id)).first() is not None


def is_empty(session: Session) -> bool:
    """True when no partnership has been loaded yet."""
    return session.exec(select(Partnership.id)).first() is None

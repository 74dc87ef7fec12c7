"""What the API and the administration forms accept and return for partnerships, their cooperation areas
and the organizations party to them."""

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from tracker.participants.schemas import Country
from tracker.validation import (
    Bilingual,
    Day,
    Id,
    OptionalUrl,
    Slug,
    TimeZoneName,
    error,
    line,
    optional_line,
    patch_of,
    text,
)


class PartnershipIn(Bilingual):
    """An MOU: its parties, its term and its texts (in English, Spanish or both; the title in one at least)."""

    model_config = ConfigDict(extra="forbid")
    required_in_a_language = ("title",)

    slug: Slug
    title_en: optional_line(200) = None
    title_es: optional_line(200) = None
    signed_on: Day
    signed_on_confirmed: bool = False
    starts_on: Day
    ends_on: Day
    text_url_en: OptionalUrl = None
    text_url_es: OptionalUrl = None
    summary_en: text(4000) = ""
    summary_es: text(4000) = ""
    party_ids: list[Id] = Field(default_factory=list, max_length=20)
    published: bool = Field(False, description="Visitors see the overview's totals (no names)")


PartnershipPatch = patch_of(PartnershipIn)


class PartnershipOut(BaseModel):
    """A partnership as the API returns it: what is stored, unchecked (see PersonOut)."""

    model_config = ConfigDict(extra="ignore")

    id: int
    version: int
    slug: str
    title_en: str | None
    title_es: str | None
    signed_on: date
    signed_on_confirmed: bool
    starts_on: date
    ends_on: date
    text_url_en: str | None
    text_url_es: str | None
    summary_en: str
    summary_es: str
    party_ids: list[int]
    published: bool


class AreaFields(Bilingual):
    """A cooperation area's own fields, before it belongs to a partnership (a row of the new-partnership form)."""

    model_config = ConfigDict(extra="forbid")
    required_in_a_language = ("name",)

    number: int = Field(ge=1, le=99)
    slug: Slug
    name_en: optional_line(200) = None
    name_es: optional_line(200) = None
    description_en: text(4000) = ""
    description_es: text(4000) = ""


class AreaIn(AreaFields):
    """One cooperation area of a partnership; its name in English, Spanish or both."""

    partnership_id: Id


AreaPatch = patch_of(AreaIn)


class AreaOut(BaseModel):
    """An area as the API returns it: what is stored, unchecked (see PersonOut)."""

    model_config = ConfigDict(extra="ignore")

    id: int
    version: int
    partnership_id: int
    number: int
    slug: str
    name_en: str | None
    name_es: str | None
    description_en: str
    description_es: str


def _required(value: str) -> str:
    if not value:
        raise error("blank")
    return value


class OrganizationIn(Bilingual):
    """An organization: its acronym (unique), its name in English, Spanish or both, its country and clock."""

    model_config = ConfigDict(extra="forbid")
    required_in_a_language = ("name",)

    acronym: line(20)
    name_en: optional_line(200) = None
    name_es: optional_line(200) = None
    country: Annotated[Country, AfterValidator(_required)]
    timezone: TimeZoneName

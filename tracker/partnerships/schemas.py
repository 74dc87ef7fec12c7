"""What the API accepts and returns for partnerships and their cooperation areas."""

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from tracker.validation import Day, Id, OptionalUrl, Slug, line, patch_of, text


class PartnershipIn(BaseModel):
    """An MOU: its parties, its term and its texts."""

    model_config = ConfigDict(extra="forbid")

    slug: Slug
    title_en: line(200)
    title_es: line(200)
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
    title_en: str
    title_es: str
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


class AreaIn(BaseModel):
    """One cooperation area of a partnership."""

    model_config = ConfigDict(extra="forbid")

    partnership_id: Id
    number: int = Field(ge=1, le=99)
    slug: Slug
    name_en: line(200)
    name_es: line(200)
    description_en: text(4000) = ""
    description_es: text(4000) = ""


AreaPatch = patch_of(AreaIn)


class AreaOut(BaseModel):
    """An area as the API returns it: what is stored, unchecked (see PersonOut)."""

    model_config = ConfigDict(extra="ignore")

    id: int
    version: int
    partnership_id: int
    number: int
    slug: str
    name_en: str
    name_es: str
    description_en: str
    description_es: str

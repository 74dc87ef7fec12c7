"""What the API accepts and returns for people."""

from pydantic import BaseModel, ConfigDict

from tracker.models import Language
from tracker.validation import Email, OptionalId, TimeZoneName, line


class PersonIn(BaseModel):
    """Someone who owns deliverables or organizes activities."""

    model_config = ConfigDict(extra="forbid")

    name: line(120)
    email: Email
    organization_id: OptionalId = None
    language: Language = Language.en
    timezone: TimeZoneName


class PersonPatch(BaseModel):
    """Any subset of a person's fields."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    email: str | None = None
    organization_id: int | None = None
    language: Language | None = None
    timezone: str | None = None


class PersonOut(PersonIn):
    """A person as the API returns them."""

    model_config = ConfigDict(extra="ignore")

    id: int

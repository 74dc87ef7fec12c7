"""What the API accepts and returns for people."""

from pydantic import BaseModel, ConfigDict

from tracker.models import Language
from tracker.validation import Email, OptionalId, TimeZoneName, line, patch_of


class PersonIn(BaseModel):
    """Someone who owns deliverables or organizes activities."""

    model_config = ConfigDict(extra="forbid")

    name: line(120)
    email: Email
    organization_id: OptionalId = None
    language: Language = Language.en
    timezone: TimeZoneName


PersonPatch = patch_of(PersonIn)


class PersonOut(PersonIn):
    """A person as the API returns them."""

    version: int

    model_config = ConfigDict(extra="ignore")

    id: int

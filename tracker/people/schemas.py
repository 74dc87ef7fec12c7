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


class PersonOut(BaseModel):
    """A person as the API returns them: what is stored, unchecked (a value written before today's
    rules, or by hand, must still be shown rather than fail the answer)."""

    model_config = ConfigDict(extra="ignore")

    id: int
    version: int
    name: str
    email: str
    organization_id: int | None
    language: Language
    timezone: str

"""What the own-data page accepts: someone's corrections of their own record, a deletion request, and a
manager's reason for declining one."""

from pydantic import BaseModel, ConfigDict

from tracker.activities.schemas import Reason
from tracker.models import Language
from tracker.participants.schemas import Country
from tracker.validation import OptionalId, TimeZoneName, line, optional_line, optional_text


class ParticipantCorrection(BaseModel):
    """A participant correcting their own details (email and sex are changed by a manager)."""

    model_config = ConfigDict(extra="forbid")

    given_names: line(120)
    surnames: optional_line(120) = None
    organization: optional_line(200) = None
    position: optional_line(120) = None
    country: Country = ""
    language: Language = Language.es


class PersonCorrection(BaseModel):
    """A person (staff, a deliverable's owner) correcting their own details; their email names their account."""

    model_config = ConfigDict(extra="forbid")

    name: line(120)
    organization_id: OptionalId = None
    language: Language = Language.en
    timezone: TimeZoneName


class DeletionRequestIn(BaseModel):
    """A request to be deleted, with an optional note to the managers."""

    model_config = ConfigDict(extra="forbid")

    note: optional_text(2000) = None


class DeclineIn(BaseModel):
    """Why a manager declines a request (kept in the request's history)."""

    model_config = ConfigDict(extra="forbid")

    reason: Reason

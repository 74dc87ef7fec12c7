"""What the API and the forms accept for deliverables, and what the API returns."""

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from tracker.models import DeliverableStatus
from tracker.validation import Day, Id, OptionalDay, OptionalId, OptionalUrl, line, optional_line, patch_of, text


class DeliverableIn(BaseModel):
    """A deliverable as a manager describes it."""

    model_config = ConfigDict(extra="forbid")

    area_id: Id
    activity_id: OptionalId = None
    title_en: line(200)
    title_es: optional_line(200) = None
    description: text(8000) = ""
    owner_id: OptionalId = None
    organization_id: OptionalId = None
    due_on: Day
    evidence_url: OptionalUrl = None
    confirm_outside_term: bool = Field(False, description="Keep a due date outside the MOU term")


DeliverablePatch = patch_of(DeliverableIn)


class StatusIn(BaseModel):
    """A deliverable's next status; acceptance records when it was completed (default today)."""

    model_config = ConfigDict(extra="forbid")

    status: DeliverableStatus
    completed_on: OptionalDay = None


class DeliverableOut(BaseModel):
    """A deliverable as the API returns it."""

    version: int

    id: int
    partnership: str
    area_id: int
    activity_id: int | None
    title_en: str
    title_es: str | None
    description: str
    owner_id: int | None
    organization_id: int | None
    due_on: date
    status: DeliverableStatus
    completed_on: date | None
    evidence_url: str | None
    created_at: datetime
    updated_at: datetime

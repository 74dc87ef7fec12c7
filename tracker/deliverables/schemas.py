"""What the API and the forms accept for deliverables, and what the API returns."""

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from tracker.models import DeliverableStatus
from tracker.validation import (
    Bilingual,
    Day,
    Id,
    OptionalDay,
    OptionalId,
    OptionalUrl,
    optional_line,
    optional_text,
    patch_of,
    text,
)


class DeliverableIn(Bilingual):
    """A deliverable as a manager describes it; its texts in English, Spanish or both (the title in one at least)."""

    model_config = ConfigDict(extra="forbid")
    required_in_a_language = ("title",)

    area_id: Id
    activity_id: OptionalId = None
    title_en: optional_line(200) = None
    title_es: optional_line(200) = None
    description_en: text(8000) = ""
    description_es: text(8000) = ""
    owner_id: OptionalId = None
    organization_id: OptionalId = None
    due_on: Day
    evidence_url: OptionalUrl = None
    confirm_outside_term: bool = Field(False, description="Keep a due date outside the MOU term")
    # Not a column: written with the change in the audit trail (AuditEvent.reason, 1000 characters).
    reason: optional_text(1000) = Field(
        None, description="Why the due date moves: required when it changes, kept in the history"
    )


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
    title_en: str | None
    title_es: str | None
    description_en: str
    description_es: str
    owner_id: int | None
    organization_id: int | None
    due_on: date
    status: DeliverableStatus
    completed_on: date | None
    evidence_url: str | None
    accepted_revision: int | None = Field(None, description="The revision of its document that was accepted")
    created_at: datetime
    updated_at: datetime

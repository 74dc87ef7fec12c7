"""What the API and the forms accept for activities, and what the API returns."""

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from tracker.models import ActivityFormat, ActivityKind, ActivityStatus, Language
from tracker.validation import (
    Bilingual,
    Id,
    LocalDateTime,
    OptionalUrl,
    TimeZoneName,
    Url,
    error,
    optional_line,
    optional_text,
    patch_of,
    text,
)

Title = optional_line(200)
LongText = text(8000)
REASON_LENGTH = 1000  # AuditEvent.reason's column


def _said(value: str) -> str:
    if not value:
        raise error("blank")
    return value


# Why a change was made, kept with it in the history: required where an action asks for one.
Reason = Annotated[text(REASON_LENGTH), AfterValidator(_said), Field(description="Why: kept in the record's history")]


class ActivityIn(Bilingual):
    """A workshop, training or meeting as a manager describes it; times are the event's wall clock.

    Texts come in English and Spanish: one language is enough, the title in at least one."""

    model_config = ConfigDict(extra="forbid")
    required_in_a_language = ("title",)

    kind: ActivityKind
    title_en: Title = None
    title_es: Title = None
    summary_en: text(4000) = ""
    summary_es: optional_text(4000) = None
    area_ids: Annotated[list[Id], Field(min_length=1, max_length=20)]
    organizer_ids: Annotated[list[Id], Field(max_length=20)] = []
    responsible_ids: Annotated[list[Id], Field(max_length=30, description="People who get its reminders")] = []
    start_local: LocalDateTime = Field(
        description="Start on the event's clock, e.g. 2026-03-10T09:00 (between 2000-01-01 and 2100-12-31)"
    )
    end_local: LocalDateTime = Field(description="End on the event's clock (between 2000-01-01 and 2100-12-31)")
    timezone: TimeZoneName = Field(description="IANA zone of the event, e.g. America/Panama")
    format: ActivityFormat
    venue: optional_line(300) = None
    meeting_url: OptionalUrl = None
    languages: Annotated[list[Language], Field(min_length=1, max_length=2)]
    objectives_en: LongText = ""
    objectives_es: LongText = ""
    outcomes_en: LongText = ""
    outcomes_es: LongText = ""
    materials: Annotated[list[Url], Field(max_length=20)] = []
    completion_threshold: Annotated[int, Field(ge=1, le=100, description="% of days to complete")] = 80
    mastery_threshold: Annotated[int, Field(ge=0, le=100, description="Post-test score that shows mastery")] = 70
    confirm_outside_term: bool = Field(False, description="Keep dates outside the MOU term")


ActivityPatch = patch_of(ActivityIn)


class PostponeIn(BaseModel):
    """New dates for a postponed activity, on the event's clock, and why it moves."""

    model_config = ConfigDict(extra="forbid")

    start_local: LocalDateTime
    end_local: LocalDateTime
    confirm_outside_term: bool = False
    reason: Reason


class ReasonIn(BaseModel):
    """Why an activity is cancelled, reopened or no longer held."""

    model_config = ConfigDict(extra="forbid")

    reason: Reason


class HeldIn(Bilingual):
    """What came of an activity that took place, in English, Spanish or both."""

    model_config = ConfigDict(extra="forbid")
    required_in_a_language = ("outcomes",)
    language_messages = {"outcomes": "outcomes_one_language"}

    outcomes_en: LongText = ""
    outcomes_es: LongText = ""


class ActivityOut(BaseModel):
    """An activity as the API returns it: instants in UTC and on the event's clock."""

    version: int

    id: int
    partnership: str
    kind: ActivityKind
    status: ActivityStatus
    title_en: str | None
    title_es: str | None
    summary_en: str
    summary_es: str | None
    area_ids: list[int]
    organizer_ids: list[int]
    responsible_ids: list[int]
    starts_at: datetime
    ends_at: datetime
    start_local: datetime
    end_local: datetime
    timezone: str
    format: ActivityFormat
    venue: str | None
    meeting_url: str | None
    languages: list[Language]
    objectives_en: str
    objectives_es: str
    outcomes_en: str
    outcomes_es: str
    materials: list[str]
    completion_threshold: int
    mastery_threshold: int
    created_at: datetime
    updated_at: datetime

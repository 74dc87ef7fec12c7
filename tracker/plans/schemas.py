"""What the plan's forms and API accept, what the API returns, and the plan's own input messages."""

from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from tracker.activities.schemas import ReasonIn
from tracker.models import ActivityKind
from tracker.validation import MESSAGES, N_, Bilingual, Day, Id, OptionalDay, OptionalId, optional_line, optional_text

# The plan's input errors join the one vocabulary (tracker.validation.MESSAGES), so forms, imports and
# the API's 422 word them alike.
MESSAGES.update(
    {
        "plan_period": N_("Choose one of the term's periods, such as Q3 2026 (or T3 2026) or H2 2026 (or S2 2026)."),
        "period_or_date": N_("Choose a period or a date."),
        "sheet_type": N_(
            "Write actividad or entregable (activity or deliverable), or the kind of activity, such as taller."
        ),
        "sheet_area": N_("Write the number or the name of one of this partnership's cooperation areas."),
        "sheet_owner": N_("Nobody with this email is in the tracker: add the person first, or leave the cell blank."),
        "sheet_date": N_("Write the date as YYYY-MM-DD or DD/MM/YYYY."),
        "sheet_date_ambiguous": N_("Write this date as YYYY-MM-DD: {text} reads as a day or a month first."),
        "plan_no_columns": N_(
            "The first row must name the columns: Área, Tipo, Título, and Periodo or Fecha "
            "(or Area, Kind, Title, and Period or Date)."
        ),
        "plan_no_rows": N_("The file has a header row but no planned items under it."),
    }
)
REASON_LENGTH = 1000  # AuditEvent.reason's column
DropIn = ReasonIn  # why an item leaves the plan, kept in its history


class ItemType(StrEnum):
    activity = "activity"
    deliverable = "deliverable"


class PlanItemIn(Bilingual):
    """A planned item as the plan's short form (or a row of a spreadsheet) gives it; a title in one language
    is enough; a period of the term or a date (the date wins when both are given)."""

    model_config = ConfigDict(extra="forbid")
    required_in_a_language = ("title",)

    type: ItemType
    area_id: Id
    title_en: optional_line(200) = None
    title_es: optional_line(200) = None
    activity_kind: ActivityKind = ActivityKind.workshop
    period: optional_line(20) = Field(None, description="A period of the term: 2026-Q3, Q3 2026, T3 2026, 2026-S2")
    on: OptionalDay = Field(None, description="The day an activity starts, or a deliverable is due")
    responsible_id: OptionalId = Field(None, description="Who is responsible: an activity's, or a deliverable's owner")
    confirm_outside_term: bool = False


class MoveIn(BaseModel):
    """A planned item's new date, and why it moves (required once the plan has a baseline)."""

    model_config = ConfigDict(extra="forbid")

    on: Day
    reason: optional_text(REASON_LENGTH) = None
    confirm_outside_term: bool = False


class BaselineIn(BaseModel):
    """An approval of the work plan: a note, required from the second baseline on (why it is approved again)."""

    model_config = ConfigDict(extra="forbid")

    note: optional_text(1000) = Field(None, description="Required from the second baseline on")


# What the API returns -------------------------------------------------------------------------


class PlanItemOut(BaseModel):
    """A planned activity or deliverable, with its date (an activity's first day on its own clock)."""

    type: ItemType
    id: int
    title_en: str | None
    title_es: str | None
    area_ids: list[int]
    planned_on: date
    status: str
    done_on: date | None = Field(description="When it was held or accepted")
    kind: ActivityKind | str | None = Field(description="An activity's kind")
    responsible: list[str]


class PlanPeriodOut(BaseModel):
    """One quarter or semester of the term and what is planned in it."""

    code: str = Field(description="2026-Q3, 2026-S2")
    starts_on: date
    ends_on: date
    items: list[PlanItemOut]


class TargetOut(BaseModel):
    """An indicator's target for the area (set by administrators: read-only here)."""

    indicator: str
    dimension: str
    period_start: date
    period_end: date
    value: float


class PlanAreaOut(BaseModel):
    """A cooperation area's part of the plan."""

    id: int
    number: int
    slug: str
    name_en: str | None
    name_es: str | None
    targets: list[TargetOut]
    periods: list[PlanPeriodOut]
    outside_term: list[PlanItemOut] = Field(description="Items dated before or after the term")


class BaselineSummaryOut(BaseModel):
    """A baseline without its items."""

    number: int
    approved_at: datetime
    approved_by: int | None
    approved_by_name: str | None
    note: str
    item_count: int


class PlanOut(BaseModel):
    """The work plan: areas, then periods, then items."""

    partnership: str
    by: Literal["quarter", "semester"]
    baseline: BaselineSummaryOut | None = Field(description="The latest approved baseline, if any")
    areas: list[PlanAreaOut]


class BaselineItemOut(BaseModel):
    """What a baseline recorded of one item."""

    type: ItemType
    id: int
    area_ids: list[int]
    title_en: str | None
    title_es: str | None
    planned_on: date


class BaselineOut(BaselineSummaryOut):
    """A baseline and the items it recorded."""

    items: list[BaselineItemOut]


class ComparedOut(BaseModel):
    """One item of a comparison; `slip_days` is + when later than the baseline, − when earlier."""

    type: ItemType
    id: int
    title_en: str | None
    title_es: str | None
    status: str | None
    baseline_on: date | None
    current_on: date | None = Field(description="Planned on now, or held/accepted on")
    slip_days: int | None
    reason: str | None = Field(description="Why it moved or was dropped, as said at the time")


class AreaComparisonOut(BaseModel):
    """An area's items by what became of them since the baseline."""

    area_id: int
    number: int
    name_en: str | None
    name_es: str | None
    added: list[ComparedOut]
    dropped: list[ComparedOut]
    moved: list[ComparedOut]
    done_on_time: list[ComparedOut]
    done_late: list[ComparedOut]
    unchanged: list[ComparedOut]


class ComparisonOut(BaseModel):
    """The plan now against one baseline."""

    baseline: BaselineSummaryOut
    areas: list[AreaComparisonOut]

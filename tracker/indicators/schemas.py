"""Indicator results in the IATI result shape (indicator → period → target/actual → dimensions), and targets."""

from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from tracker.validation import Day, OptionalId, error

INDICATOR_CODES = (
    "people_trained",
    "institutions_reached",
    "trainings_held",
    "average_knowledge_gain",
    "average_satisfaction",
)
# From the surveys (tracker.surveys.indicators), reported beside the capacity indicators.
SURVEY_CODES = ("evaluation_response_rate", "followup_response_rate", "applying_at_followup")


class Dimension(BaseModel):
    """One breakdown of a value, as IATI's <dimension name value>."""

    name: Literal["sex", "organization", "country", "area"]
    value: str = Field(
        description="sex: female, male, another or not_stated; organization: its name as most often written; "
        "country: an ISO 3166-1 alpha-2 code; area: its slug. An empty string means not recorded."
    )


class ResultValue(BaseModel):
    """A target or an actual: the whole (no dimensions) or one breakdown of it."""

    value: int | float | None = Field(description="None when there is nothing to measure yet (no scores)")
    dimensions: list[Dimension] = []


class IndicatorPeriod(BaseModel):
    """An indicator over one period: its targets and its actuals."""

    period_start: date
    period_end: date
    target: list[ResultValue] = Field(description="Empty when no target was set for this period")
    actual: list[ResultValue] = Field(description="The whole first, then each breakdown")


class Indicator(BaseModel):
    """One indicator and its periods: the one asked for first, then each target period inside it."""

    code: Literal[INDICATOR_CODES + SURVEY_CODES]
    title: str = Field(description="In the request's language")
    unit: Literal["people", "organizations", "activities", "points", "score", "percent"] = Field(
        description="points: post-test minus pre-test, on 0–100; score: satisfaction on 1–5; percent: 0–100"
    )
    ascending: bool = Field(True, description="As in IATI: a higher actual is better")
    periods: list[IndicatorPeriod]


class IndicatorReport(BaseModel):
    """Capacity indicators of a partnership, or of one of its areas, for a period."""

    partnership: str = Field(description="Slug of the partnership")
    area_id: int | None = Field(description="The area measured, or None for the whole partnership")
    period_start: date
    period_end: date
    indicators: list[Indicator]
    surveys: list[Indicator] = Field(
        default_factory=list,
        description="Evaluation and follow-up response rates, and the share of follow-up respondents applying "
        "what they learned (yes or partly), by area, sex and organization",
    )


def _number(value):
    """Accept 4,5 as well as 4.5 (Spanish keyboards); blank is missing."""
    if isinstance(value, str):
        value = value.strip()
        if not value:
            raise error("blank")
        if "," in value and "." not in value:
            value = value.replace(",", ".")
        try:
            return float(value)
        except ValueError:
            raise error("target_number") from None
    return value


def _code(value: str) -> str:
    if value not in INDICATOR_CODES:
        raise error("unknown_indicator")
    return value


class TargetIn(BaseModel):
    """A target an administrator sets: an indicator, a period, optionally an area and a breakdown."""

    model_config = ConfigDict(extra="forbid")

    indicator: Annotated[str, BeforeValidator(lambda v: v.strip() if isinstance(v, str) else v), AfterValidator(_code)]
    area_id: OptionalId = None
    dimension: Annotated[str, Field(max_length=60)] = ""
    period_start: Day
    period_end: Day
    value: Annotated[float, BeforeValidator(_number), Field(ge=0, le=1_000_000_000, allow_inf_nan=False)]

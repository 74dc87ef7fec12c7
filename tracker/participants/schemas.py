"""What forms, imports and the API accept for participants and their roster rows."""

import re
from typing import Annotated

from babel import Locale
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from tracker.models import AttendanceStatus, Language, Sex
from tracker.validation import Email, error, line, optional_line

# Two-letter CLDR territories, less the ones that are not countries (unknown region, EU, UN…).
_COUNTRIES = frozenset(Locale("en").territories) - {"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB"}


def _country(value: str | None) -> str:
    value = (value or "").strip().upper()
    if value and (not re.fullmatch(r"[A-Z]{2}", value) or value not in _COUNTRIES):
        raise error("country")
    return value


def _blank_none(value):
    return None if isinstance(value, str) and not value.strip() else value


Score = Annotated[Annotated[int, Field(ge=0, le=100)] | None, BeforeValidator(_blank_none)]
Satisfaction = Annotated[Annotated[int, Field(ge=1, le=5)] | None, BeforeValidator(_blank_none)]
Country = Annotated[str, BeforeValidator(lambda v: v or ""), AfterValidator(_country)]
OptionalEmail = Annotated[Email | None, BeforeValidator(_blank_none)]


class ParticipantIn(BaseModel):
    """A person on a sign-in sheet: given names (required) and surnames as they write them."""

    model_config = ConfigDict(extra="forbid")

    given_names: line(120)
    surnames: optional_line(120) = None
    organization: optional_line(200) = None
    position: optional_line(120) = None
    sex: Sex = Sex.not_stated
    country: Country = ""
    email: OptionalEmail = None
    language: Language = Language.es


class EnrollmentIn(BaseModel):
    """Attendance and evaluation of one participant in one activity."""

    model_config = ConfigDict(extra="forbid")

    status: AttendanceStatus = AttendanceStatus.registered
    days_attended: Annotated[Annotated[int, Field(ge=0, le=31)] | None, BeforeValidator(_blank_none)] = None
    pre_score: Score = None
    post_score: Score = None
    satisfaction: Satisfaction = None

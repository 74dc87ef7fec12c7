"""What the registration pages accept: the public form, the personal link's changes, a manager's settings."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from tracker.models import Language, Sex
from tracker.participants.schemas import Country
from tracker.validation import Email, line, optional_line, optional_text, text


def _blank_none(value):
    return None if isinstance(value, str) and not value.strip() else value


class RegistrationIn(BaseModel):
    """Someone registering themselves: names as they write them, an email to reach them, their consent."""

    model_config = ConfigDict(extra="ignore")

    given_names: line(120)
    surnames: line(120)
    organization: optional_line(200) = None
    position: optional_line(120) = None
    country: Country = ""
    email: Email
    sex: Sex = Sex.not_stated
    language: Language = Language.es
    needs: optional_text(1000) = None
    consent: bool = False


class DetailsIn(BaseModel):
    """What a registered person may change through their personal link."""

    model_config = ConfigDict(extra="ignore")

    organization: optional_line(200) = None
    position: optional_line(120) = None
    language: Language = Language.es
    needs: optional_text(1000) = None


class FormSettingsIn(BaseModel):
    """A manager opening a form: seats, a closing time on the activity's clock, approval."""

    model_config = ConfigDict(extra="ignore")

    capacity: Annotated[Annotated[int, Field(ge=1, le=100_000)] | None, BeforeValidator(_blank_none)] = None
    closes_local: Annotated[datetime | None, BeforeValidator(_blank_none)] = None
    needs_approval: bool = False


class ConsentIn(BaseModel):
    """A partnership's consent text, in each language."""

    model_config = ConfigDict(extra="ignore")

    consent_en: text(4000) = ""
    consent_es: text(4000) = ""

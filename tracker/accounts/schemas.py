"""What the account forms accept: an invitation, a role, and a person's own preferences."""

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, model_validator

from tracker.models import Language, ReminderMode, Role
from tracker.validation import Email, OptionalId, TimeZoneName, error, line


def _blank_to_none(value):
    return None if isinstance(value, str) and not value.strip() else value


class RoleIn(BaseModel):
    """A login's role; a partner belongs to one partnership (the others see every one)."""

    model_config = ConfigDict(extra="ignore")

    role: Role
    partnership_id: OptionalId = None

    @model_validator(mode="after")
    def _partner_needs_partnership(self):
        if self.role == Role.partner and not self.partnership_id:
            raise error("role_needs_partnership")
        if self.role != Role.partner:
            self.partnership_id = None
        return self


class InviteIn(RoleIn):
    """Who to invite, with which role, language and time zone."""

    name: line(120)
    email: Email
    language: Language = Language.en
    # Blank: the tracker's default zone (TRACKER_DEFAULT_TIMEZONE), until they choose their own.
    timezone: Annotated[TimeZoneName | None, BeforeValidator(_blank_to_none)] = None


class DisplayIn(BaseModel):
    """How pages read for this browser: a language, and a time zone (blank: each event's own)."""

    model_config = ConfigDict(extra="ignore")

    language: Language
    timezone: Annotated[TimeZoneName | None, BeforeValidator(_blank_to_none)] = None


class PreferencesIn(DisplayIn):
    """A person's own settings: language and time zone of pages and emails, and how reminders come."""

    timezone: TimeZoneName
    reminder_mode: ReminderMode

"""What the account forms accept: an invitation, a role, and a person's own preferences."""

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from tracker.models import Language, ReminderMode, Role
from tracker.validation import Email, OptionalId, TimeZoneName, error, line


def _blank_to_none(value):
    return None if isinstance(value, str) and not value.strip() else value


class RoleIn(BaseModel):
    """A login's access. An administrator sees and changes every partnership. Anyone else is a partner or
    manager of each partnership in `access`; or, in short, `role` in `partnership_id` (a manager
    without one: of every partnership there is now)."""

    model_config = ConfigDict(extra="ignore")

    role: Role
    partnership_id: OptionalId = None
    access: dict[int, Literal[Role.partner, Role.manager]] = Field(default_factory=dict, max_length=200)

    @model_validator(mode="after")
    def _someone_to_be(self):
        if self.role == Role.admin:
            self.partnership_id, self.access = None, {}
        elif self.access:
            self.partnership_id = None
        elif self.role == Role.partner and not self.partnership_id:
            raise error("role_needs_partnership")
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

"""The reminder attachment's tests send real mail: the SMTP server of the reminders' tests."""

from tests.reminders.conftest import mail_settings, smtp  # noqa: F401

"""The survey emails: a participant's personal link, in their language, through the one renderer and the outbox.
One template per kind (`survey_pretest`, `survey_evaluation`, `survey_followup`); the reminder is the same
email saying it is one."""

from datetime import datetime

from sqlmodel import Session

from tracker.certificates.rules import activity_dates, date_span
from tracker.config import Settings
from tracker.i18n import marked
from tracker.mail.outbox import queue
from tracker.mail.render import build
from tracker.models import Activity, Participant
from tracker.times import in_zone, long_date


def kind_of(survey: str) -> str:
    """The outbox kind (and template name) of a survey's email."""
    return f"survey_{survey}"


def survey_link(settings: Settings, token: str) -> str:
    """The personal address of a survey."""
    return f"{settings.base_url}/survey/{token}"


def survey_email(
    settings: Settings,
    *,
    survey: str,
    participant: Participant,
    activity: Activity,
    token: str,
    expires_at: datetime,
    enrollment_id: int,
    reminder: bool,
    has_test: bool,
    now: datetime,
):
    """The email inviting (or reminding) one participant to one survey; raises InvalidAddress for an address
    no header can carry."""
    language = str(participant.language)
    first, last = activity_dates(activity.starts_at, activity.ends_at, activity.timezone)
    context = {
        "title": marked(activity, "title", language),
        "dates": date_span(first, last, language),
        "link": survey_link(settings, token),
        "until": long_date(in_zone(expires_at, activity.timezone).date(), language),
        "reminder": reminder,
        "has_test": has_test,
    }
    # Derived from the roster row and the survey: a second sweep could never queue the same email again.
    message_id = f"<survey.{survey}.{enrollment_id}{'.reminder' if reminder else ''}@mou-tracker>"
    return build(settings, kind=kind_of(survey), person=participant, context=context, message_id=message_id, date=now)


def queue_email(session: Session, *, survey: str, email, participant: Participant, activity: Activity, now: datetime):
    """The email in the outbox, in the caller's transaction."""
    return queue(
        session,
        kind=kind_of(survey),
        email=email,
        person_id=None,  # participants are not people with accounts
        partnership_id=activity.partnership_id,
        language=str(participant.language),
        now=now,
    )

"""Registration emails, each in the language the person chose, through the outbox like every other email:
received (pending approval), on the waiting list, confirmed (the activity's .ics attached), declined,
cancelled, and the personal link sent again."""

from sqlmodel import Session

from tracker.calendar.feed import build_calendar
from tracker.config import Settings
from tracker.i18n import gettext_for, marked
from tracker.labels import status_label
from tracker.mail.headers import InvalidAddress
from tracker.mail.outbox import queue
from tracker.mail.render import build
from tracker.models import Activity, Participant, Registration
from tracker.times import event_time

KINDS = {
    "pending": "registration_pending",
    "waitlisted": "registration_waitlisted",
    "confirmed": "registration_confirmed",
    "declined": "registration_declined",
    "cancelled": "registration_cancelled",
    "link": "registration_link",
}


def personal_url(settings: Settings, token: str) -> str:
    """The address of a personal link."""
    return f"{settings.base_url}/my-registration/{token}"


def activity_facts(activity: Activity, language: str) -> dict:
    """The activity as emails and the public pages describe it: title, time on its own clock, place."""
    when = event_time(activity.starts_at, activity.ends_at, activity.timezone, None, language)
    return {
        "title": marked(activity, "title", language),
        "when": when.viewer,
        "format": status_label(activity.format, gettext_for(language)),
        "venue": activity.venue or "",
        "meeting_url": activity.meeting_url or "",
    }


def notify(
    session: Session,
    settings: Settings,
    *,
    what: str,
    activity: Activity,
    registration: Registration,
    participant: Participant,
    token: str | None,
    now,
    position: int | None = None,
    reason: str = "new",
) -> bool:
    """Queue one registration email to the person (False when their address cannot carry one).

    `what`: a state, or "link"; `reason` says why a seat came ("new", "approved", "promoted").
    """
    language = registration.language if registration.language in ("en", "es") else "es"
    # The participant, addressed in the language chosen for this registration (a copy: nothing is stored).
    recipient = Participant(
        id=participant.id, name=participant.name, email=participant.email, language=language, match_key=""
    )
    kind = KINDS[what]
    context = activity_facts(activity, language) | {
        "link": personal_url(settings, token) if token else None,
        "position": position,
        "reason": reason,
        "state": registration.state,
    }
    try:
        email = build(settings, kind=kind, person=recipient, context=context, date=now)
    except InvalidAddress:
        return False
    if what == "confirmed":
        ics = build_calendar(activities=[activity], deliverables=[], base_url=settings.base_url, language=language)
        email.add_attachment(ics, maintype="text", subtype="calendar", filename=f"activity-{activity.id}.ics")
    queue(
        session,
        kind=kind,
        email=email,
        person_id=None,  # participants are not people with accounts
        partnership_id=activity.partnership_id,
        language=language,
        now=now,
    )
    return True

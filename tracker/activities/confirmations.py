"""What each destructive action on an activity says it will do, on its confirmation page, in the reader's words."""

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from tracker.i18n import N_, Nn_, localized, translate
from tracker.models import Activity, Deliverable, Enrollment

KEPT_IN_HISTORY = N_("Its history stays in the audit trail; this cannot be undone.")
OUTCOMES_CLEARED = N_("Its outcomes are cleared: they stay in its history, to be written again when it is held.")
ROSTER_KEPT = N_("Its roster and evaluations are kept; its participants count as trained once it is held again.")


@dataclass(frozen=True)
class Asking:
    """A confirmation page's words: the question, what will happen, and the button."""

    title: str
    consequences: list[str]
    submit: str


def _words(message, language: str, **context) -> str:
    return translate(message, context, language)


def cancelling(activity: Activity, language: str) -> Asking:
    """What cancelling an activity does."""
    title = localized(activity, "title", language)
    return Asking(
        title=_words(N_("Cancel the activity “{title}”?"), language, title=title),
        consequences=[
            _words(N_("The activity will be marked cancelled."), language),
            _words(N_("Its pending reminders are dropped; those already sent stay in its history."), language),
            _words(N_("Its roster is kept, and you can reopen the activity later."), language),
        ],
        submit=_words(N_("Cancel the activity"), language),
    )


def deleting(session: Session, activity: Activity, language: str) -> Asking:
    """What deleting an activity removes (its roster, counted) and what it keeps (deliverables, history)."""
    title = localized(activity, "title", language)
    roster = session.exec(select(func.count()).where(Enrollment.activity_id == activity.id)).one()
    linked = session.exec(select(func.count()).where(Deliverable.activity_id == activity.id)).one()
    if roster:
        removed = Nn_(
            "The activity and its roster of {num} participant will be removed.",
            "The activity and its roster of {num} participants will be removed.",
            "num",
        )
    else:
        removed = N_("The activity will be removed; nobody is on its roster.")
    consequences = [_words(removed, language, num=roster)]
    if linked:
        kept = Nn_(
            "{num} deliverable points to it: it is kept, no longer linked to an activity.",
            "{num} deliverables point to it: they are kept, no longer linked to an activity.",
            "num",
        )
        consequences.append(_words(kept, language, num=linked))
    consequences.append(_words(KEPT_IN_HISTORY, language))
    return Asking(
        title=_words(N_("Delete the activity “{title}”?"), language, title=title),
        consequences=consequences,
        submit=_words(N_("Delete the activity"), language),
    )


def undoing_held(activity: Activity, language: str) -> Asking:
    """What undoing "held" changes: the status, the outcomes, and who counts as trained."""
    title = localized(activity, "title", language)
    return Asking(
        title=_words(N_("Undo “held” for the activity “{title}”?"), language, title=title),
        consequences=[
            _words(N_("The activity goes back to “confirmed”."), language),
            _words(OUTCOMES_CLEARED, language),
            _words(ROSTER_KEPT, language),
        ],
        submit=_words(N_("Undo “held”"), language),
    )

"""An activity's status actions: which each status allows, what each does to reminders, and why it was done.

Every action that changes the plan asks for a reason (postpone, cancel, reopen, undo "held"); it is written
with the change in the audit trail (`trail.because`), so the history and the period report can tell it.
"""

from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session, select

from tracker.activities.schemas import HeldIn, PostponeIn
from tracker.activities.service import OUTCOMES, activity_partnership, check_instants, check_term
from tracker.audit.trail import because
from tracker.errors import transition_refused
from tracker.models import OPEN_ACTIVITY_STATUSES, Activity, ActivityStatus, AuditEvent, Delivery, utcnow
from tracker.reminders.planner import drop_pending
from tracker.validation import raise_if

S = ActivityStatus
# Which statuses each action may start from, in the order the page offers them.
ALLOWED_FROM = {
    "confirm": (S.planned, S.postponed),
    "postpone": OPEN_ACTIVITY_STATUSES,
    "cancel": OPEN_ACTIVITY_STATUSES,
    "hold": OPEN_ACTIVITY_STATUSES,
    "reopen": (S.cancelled,),
    "undo_held": (S.held,),
}


def require(activity: Activity, action: str) -> None:
    """Refuse (409) an action the activity's status does not allow (also before a page offers to do it)."""
    if activity.status not in ALLOWED_FROM[action]:
        raise transition_refused(activity.status)


def _reason(reason: str | None) -> str:
    # The schemas ask for it already; a caller that skipped them (an API call without a body) gets the
    # same message, on the same field.
    if not (reason or "").strip():
        raise_if({"reason": ("missing" if reason is None else "blank", {})})
    return reason.strip()


def _change(session: Session, activity: Activity, status: ActivityStatus, reason: str | None) -> Activity:
    # Every change of the action is made by now (queries come first: one would flush what was changed
    # before it, as an event of its own), so one flush writes it all, with its reason.
    activity.status = status
    activity.updated_at = utcnow()
    because(session, reason)
    session.flush()
    return activity


def confirm(session: Session, *, activity: Activity) -> Activity:
    """The activity will take place as planned."""
    require(activity, "confirm")
    return _change(session, activity, S.confirmed, None)


def postpone(session: Session, *, activity: Activity, data: PostponeIn) -> Activity:
    """Move an activity to new dates, saying why; it stays postponed until confirmed again."""
    require(activity, "postpone")
    errors: dict = {}
    start, end = check_instants(data.start_local, data.end_local, activity.timezone, errors)
    check_term(activity_partnership(session, activity), start, activity.timezone, data.confirm_outside_term, errors)
    raise_if(errors)
    reason = _reason(data.reason)
    drop_pending(session, item_type="activity", item_id=activity.id)
    activity.starts_at, activity.ends_at = start, end
    return _change(session, activity, S.postponed, reason)


def cancel(session: Session, *, activity: Activity, reason: str) -> Activity:
    """The activity will not take place (it can be reopened); its reminders not yet sent are dropped."""
    require(activity, "cancel")
    reason = _reason(reason)
    drop_pending(session, item_type="activity", item_id=activity.id)
    return _change(session, activity, S.cancelled, reason)


def mark_held(session: Session, *, activity: Activity, data: HeldIn, now: datetime) -> Activity:
    """The activity took place; record what came of it."""
    require(activity, "hold")
    if activity.starts_at > now:
        raise_if({name: ("held_in_future", {}) for name in OUTCOMES})
    drop_pending(session, item_type="activity", item_id=activity.id)
    for name in OUTCOMES:
        setattr(activity, name, getattr(data, name))
    return _change(session, activity, S.held, None)


def reopen_status(session: Session, activity: Activity) -> ActivityStatus:
    """Where a cancelled activity goes back to: *postponed* if it was postponed when it was cancelled (its
    dates moved and were never confirmed), *planned* otherwise (a confirmation is not kept: whoever was
    told it was cancelled must be told again)."""
    changes = session.exec(
        select(AuditEvent.changes)
        .where(AuditEvent.entity == "activity", AuditEvent.entity_id == activity.id, AuditEvent.action == "status")
        .order_by(AuditEvent.id.desc())
    )
    for change in changes:
        status = change.get("status") if isinstance(change, dict) else None
        if isinstance(status, list) and len(status) == 2 and status[1] == S.cancelled.value:
            return S.postponed if status[0] == S.postponed.value else S.planned
    return S.planned


def reopen(session: Session, *, activity: Activity, reason: str) -> Activity:
    """A cancelled activity is back in the plan (see `reopen_status`), saying why; its reminders come back."""
    require(activity, "reopen")
    reason = _reason(reason)
    _replan_reminders(session, activity)
    return _change(session, activity, reopen_status(session, activity), reason)


def undo_held(session: Session, *, activity: Activity, reason: str) -> Activity:
    """An activity marked held by mistake is *confirmed* again, saying why; its outcomes are cleared (the
    history keeps them) and its roster stays."""
    require(activity, "undo_held")
    reason = _reason(reason)
    _replan_reminders(session, activity)
    for name in OUTCOMES:
        # Outcomes belong to a held activity: kept on another, every later edit would be refused.
        setattr(activity, name, "")
    return _change(session, activity, S.confirmed, reason)


def _replan_reminders(session: Session, activity: Activity) -> None:
    """An activity back in the plan gets its reminders again: the sweep plans each one whose key has no
    delivery yet, so the deliveries dropped before ever being queued are forgotten.

    Never twice: a reminder that was sent (or written, or failed) keeps its delivery, and so does one
    dropped after it was queued in a message (that message may have left already); neither is planned again.
    """
    session.exec(
        delete(Delivery).where(
            Delivery.item_type == "activity",
            Delivery.item_id == activity.id,
            Delivery.status == "dropped",
            Delivery.message_id.is_(None),
        )
    )


def available_actions(activity: Activity, now: datetime) -> list[str]:
    """The actions the activity's status (and the clock, for 'held') allow, in page order."""
    return [
        action
        for action, statuses in ALLOWED_FROM.items()
        if activity.status in statuses and (action != "hold" or activity.starts_at <= now)
    ]

"""Participants and rosters: matching people across activities, attendance, merging duplicates."""

from dataclasses import dataclass

from sqlmodel import Session, select

from tracker.checks import check_unique
from tracker.errors import NotFound
from tracker.models import Activity, Enrollment, Participant
from tracker.participants.rules import activity_days, completed, evaluate, match_key
from tracker.participants.schemas import EnrollmentIn, ParticipantIn
from tracker.validation import N_, raise_if

# When two rows of one person are merged, the more telling attendance wins.
STATUS_RANK = {"attended": 3, "excused": 2, "absent": 1, "registered": 0}


def find_participant(session: Session, data: ParticipantIn) -> Participant | None:
    """The person a sign-in row names: by email when given, else by name and organization.

    A row with an email also finds the same name and organization recorded earlier without one.
    """
    key = match_key(data.name, data.organization or "")
    if data.email:
        found = session.exec(select(Participant).where(Participant.email == data.email)).first()
        if found is not None:
            return found
        return session.exec(
            select(Participant).where(Participant.match_key == key, Participant.email.is_(None))
        ).first()
    return session.exec(select(Participant).where(Participant.match_key == key).order_by(Participant.id)).first()


def save_participant(session: Session, *, participant: Participant, data: ParticipantIn) -> Participant:
    """Create or update a participant; an email already used by someone else is refused."""
    if data.email:
        errors: dict = {}
        check_unique(session, Participant, "email", data.email, record_id=participant.id, errors=errors)
        raise_if(errors)
    for name, value in data.model_dump().items():
        setattr(participant, name, value if value is not None or name == "email" else "")
    participant.match_key = match_key(data.name, data.organization or "")
    session.add(participant)
    session.flush()
    return participant


def enroll(session: Session, *, activity: Activity, data: ParticipantIn, attendance: EnrollmentIn) -> tuple:
    """Put a person on a roster (matched to an existing participant when possible).

    Returns (enrollment, created): an already enrolled person is updated, never added twice.
    """
    _check_days(activity, attendance)
    participant = find_participant(session, data) or Participant(match_key="")
    if participant.id is None:
        save_participant(session, participant=participant, data=data)
    elif data.email and not participant.email:
        participant.email = data.email
    enrollment = session.exec(
        select(Enrollment).where(Enrollment.activity_id == activity.id, Enrollment.participant_id == participant.id)
    ).first()
    created = enrollment is None
    enrollment = enrollment or Enrollment(activity_id=activity.id, participant_id=participant.id)
    for name, value in attendance.model_dump().items():
        setattr(enrollment, name, value)
    session.add(enrollment)
    session.flush()
    return enrollment, created


def _check_days(activity: Activity, attendance: EnrollmentIn) -> None:
    days = activity_days(activity.starts_at, activity.ends_at, activity.timezone)
    if attendance.days_attended is not None and attendance.days_attended > days:
        raise_if({"days_attended": ("days_over_length", {"days": days})})


def update_enrollment(session: Session, *, enrollment: Enrollment, activity: Activity, data: EnrollmentIn) -> None:
    """Record attendance or scores for one roster row."""
    _check_days(activity, data)
    for name, value in data.model_dump().items():
        setattr(enrollment, name, value)
    session.flush()


def get_enrollment_or_404(session: Session, enrollment_id: int) -> Enrollment:
    """One roster row."""
    enrollment = session.get(Enrollment, enrollment_id)
    if enrollment is None:
        raise NotFound(N_("This page does not exist."))
    return enrollment


@dataclass(frozen=True)
class RosterRow:
    enrollment: Enrollment
    participant: Participant
    completed: bool


def roster(session: Session, *, activity: Activity) -> list[RosterRow]:
    """An activity's participants by name, each with whether they completed it."""
    days = activity_days(activity.starts_at, activity.ends_at, activity.timezone)
    rows = session.exec(
        select(Enrollment, Participant)
        .join(Participant, Participant.id == Enrollment.participant_id)
        .where(Enrollment.activity_id == activity.id)
        .order_by(Participant.name, Participant.id)
    ).all()
    return [RosterRow(e, p, completed(e.status, e.days_attended, days, activity.completion_threshold)) for e, p in rows]


def activity_evaluation(session: Session, *, activity: Activity):
    """Average gain, mastery share, satisfaction and response rate of an activity."""
    rows = session.exec(
        select(Enrollment.status, Enrollment.pre_score, Enrollment.post_score, Enrollment.satisfaction).where(
            Enrollment.activity_id == activity.id
        )
    ).all()
    return evaluate([tuple(r) for r in rows], activity.mastery_threshold)


def merge(session: Session, *, keep: Participant, duplicate: Participant) -> None:
    """Fold a duplicate into the person kept: their roster rows move over, the duplicate goes."""
    if keep.id == duplicate.id:
        return
    for row in session.exec(select(Enrollment).where(Enrollment.participant_id == duplicate.id)).all():
        existing = session.exec(
            select(Enrollment).where(Enrollment.activity_id == row.activity_id, Enrollment.participant_id == keep.id)
        ).first()
        if existing is None:
            row.participant_id = keep.id
            continue
        if STATUS_RANK[row.status] > STATUS_RANK[existing.status]:
            existing.status, existing.days_attended = row.status, row.days_attended
        for score in ("pre_score", "post_score", "satisfaction"):
            if getattr(existing, score) is None:
                setattr(existing, score, getattr(row, score))
        session.delete(row)
    if not keep.email and duplicate.email:
        email, duplicate.email = duplicate.email, None
        session.flush()
        keep.email = email
    session.delete(duplicate)
    session.flush()


def possible_duplicates(session: Session) -> list[list[Participant]]:
    """People who may be one person: the same name (ignoring case and accents) more than once."""
    by_name: dict[str, list[int]] = {}
    for person_id, key in session.exec(select(Participant.id, Participant.match_key)).all():
        by_name.setdefault(key.split("|", 1)[0], []).append(person_id)
    groups = []
    for ids in (ids for ids in by_name.values() if len(ids) > 1):
        groups.append(list(session.exec(select(Participant).where(Participant.id.in_(ids)).order_by(Participant.id))))
    return groups

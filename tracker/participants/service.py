"""Participants and rosters: matching people across activities, attendance, merging duplicates."""

from dataclasses import dataclass

from sqlmodel import Session, select

from tracker.checks import check_unique
from tracker.errors import NotFound, check_version
from tracker.models import Activity, AttendanceStatus, Enrollment, Participant
from tracker.participants.names import better_spelling, fold, full_name, sort_name
from tracker.participants.rules import activity_days, completed, evaluate, match_key
from tracker.participants.schemas import EnrollmentIn, ParticipantIn
from tracker.validation import N_, raise_if

# When two rows of one person are merged, the more telling attendance wins.
STATUS_RANK = {"attended": 3, "excused": 2, "absent": 1, "registered": 0}


def find_participant(session: Session, data: ParticipantIn) -> Participant | None:
    """The person a sign-in row names: by email when given, else by name and organization.

    A row with an email also finds the same name and organization recorded earlier without one.
    """
    key = key_of(data)
    if data.email:
        found = session.exec(select(Participant).where(Participant.email == data.email)).first()
        if found is not None:
            return found
        return session.exec(
            select(Participant).where(Participant.match_key == key, Participant.email.is_(None))
        ).first()
    return session.exec(select(Participant).where(Participant.match_key == key).order_by(Participant.id)).first()


def key_of(data: ParticipantIn) -> str:
    """The match key of a person as entered."""
    return match_key(data.given_names, data.surnames or "", data.organization or "")


def save_participant(session: Session, *, participant: Participant, data: ParticipantIn) -> Participant:
    """Create or update a participant; an email already used by someone else is refused."""
    if data.email:
        errors: dict = {}
        check_unique(session, Participant, "email", data.email, record_id=participant.id, errors=errors)
        raise_if(errors)
    for name, value in data.model_dump().items():
        setattr(participant, name, value if value is not None or name == "email" else "")
    participant.name = full_name(participant.given_names, participant.surnames, participant.country)
    participant.match_key = key_of(data)
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


def update_details(session: Session, *, participant: Participant, data: ParticipantIn, version: int | None) -> None:
    """Correct a participant's details, if nobody saved them since `version`."""
    check_version("participant", participant, version)
    save_participant(session, participant=participant, data=data)


def remove(session: Session, *, enrollment: Enrollment) -> None:
    """Take someone off a roster; the person stays, with their other activities."""
    session.delete(enrollment)
    session.flush()


def mark_all_attended(session: Session, *, activity: Activity) -> int:
    """Everyone still only registered marked attended (absences and excuses stay); how many changed."""
    rows = session.exec(
        select(Enrollment).where(Enrollment.activity_id == activity.id, Enrollment.status == "registered")
    ).all()
    for row in rows:
        row.status = AttendanceStatus.attended
    session.flush()
    return len(rows)


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
    ).all()
    rows = sorted(rows, key=lambda row: (sort_name(row[1].given_names, row[1].surnames), row[1].id))
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
    for name in ("given_names", "surnames", "organization", "position"):
        setattr(keep, name, _kept_spelling(getattr(keep, name), getattr(duplicate, name)))
    keep.sex = keep.sex if keep.sex != "not_stated" else duplicate.sex
    keep.country = keep.country or duplicate.country
    keep.name = full_name(keep.given_names, keep.surnames, keep.country)
    keep.match_key = match_key(keep.given_names, keep.surnames, keep.organization)
    if not keep.email and duplicate.email:
        email, duplicate.email = duplicate.email, None
        session.flush()
        keep.email = email
    session.delete(duplicate)
    session.flush()


def _kept_spelling(recorded: str, other: str) -> str:
    """The duplicate's spelling only where it is the same name written better, or fills a blank."""
    return better_spelling(recorded, other) if recorded and fold(recorded) == fold(other) else recorded or other


def possible_duplicates(session: Session, *, partnership_ids=None) -> list[list[Participant]]:
    """People who may be one person: the same full name (ignoring case and accents) more than once.

    Only people on the rosters of these partnerships' activities (None: all) are looked at.
    """
    query = select(Participant.id, Participant.match_key)
    if partnership_ids is not None:
        on_rosters = (
            select(Enrollment.participant_id)
            .join(Activity, Activity.id == Enrollment.activity_id)
            .where(Activity.partnership_id.in_(list(partnership_ids)))
        )
        query = query.where(Participant.id.in_(on_rosters))
    by_name: dict[str, list[int]] = {}
    for person_id, key in session.exec(query).all():
        by_name.setdefault(key.split("|", 1)[0], []).append(person_id)
    groups = []
    for ids in (ids for ids in by_name.values() if len(ids) > 1):
        groups.append(list(session.exec(select(Participant).where(Participant.id.in_(ids)).order_by(Participant.id))))
    return groups

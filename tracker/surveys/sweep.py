"""The surveys' part of the periodic sweep: invite whoever is due a survey, remind (once) whoever has not
answered. Any path that marks an activity held (the page, the API, an import) is covered, because the
sweep looks at the records, not at how they changed.

Cheap when nothing is due: each kind is one indexed query of candidates. Exactly once: an invitation is
claimed with `INSERT … ON CONFLICT DO NOTHING` on its unique (enrollment, kind), a reminder with a
conditional UPDATE (`… WHERE reminded_at IS NULL`); only the sweep whose row count is 1 queues the email,
in the same transaction.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from tracker.config import Settings
from tracker.mail.headers import InvalidAddress
from tracker.models import (
    OPEN_ACTIVITY_STATUSES,
    Activity,
    ActivityStatus,
    AttendanceStatus,
    Enrollment,
    Participant,
    SurveyInvitation,
    SurveyQuestion,
)
from tracker.surveys import schedule
from tracker.surveys.emails import queue_email, survey_email
from tracker.surveys.schedule import EVALUATION, FOLLOWUP, PRETEST

logger = logging.getLogger("tracker.surveys")
BATCH = 500  # per kind and sweep: a long backlog goes out over a few minutes, never in one transaction


@dataclass
class SurveyReport:
    invited: int = 0
    reminded: int = 0
    unusable: int = 0


def _not_invited(kind: str):
    return ~exists(
        select(SurveyInvitation.id).where(
            SurveyInvitation.enrollment_id == Enrollment.id, SurveyInvitation.kind == kind
        )
    )


def _candidates(kind: str, *, now: datetime, followup_days: int):
    """Roster rows due `kind` at `now` and not invited yet, as one query."""
    query = (
        select(Enrollment.id)
        .join(Activity, Activity.id == Enrollment.activity_id)
        .join(Participant, Participant.id == Enrollment.participant_id)
        .where(Participant.email.is_not(None), Participant.email != "", _not_invited(kind))
        .order_by(Enrollment.id)
        .limit(BATCH)
    )
    if kind == PRETEST:
        # Before the start, to those registered, when the activity has a test.
        return query.where(
            Activity.status.in_(OPEN_ACTIVITY_STATUSES),
            Activity.starts_at > now,
            Activity.starts_at <= now + schedule.PRETEST_LEAD,
            Enrollment.status.in_((AttendanceStatus.registered, AttendanceStatus.attended)),
            exists(select(SurveyQuestion.id).where(SurveyQuestion.activity_id == Activity.id)),
        )
    held = (Activity.status == ActivityStatus.held, Enrollment.status == AttendanceStatus.attended)
    if kind == EVALUATION:
        return query.where(*held, Activity.ends_at <= now, Activity.ends_at > now - schedule.VALID_FOR)
    due = now - timedelta(days=followup_days)
    return query.where(*held, Activity.ends_at <= due, Activity.ends_at > due - schedule.VALID_FOR)


def _claim(session: Session, *, enrollment_id: int, kind: str, token: str, sent_at: datetime, expires_at) -> bool:
    """Record the invitation unless another sweep did: True for the one sweep that wrote it."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = (
        insert(SurveyInvitation.__table__)
        .values(
            enrollment_id=enrollment_id,
            kind=kind,
            token_hash=schedule.token_hash(token),
            sent_at=sent_at,
            expires_at=expires_at,
            answers={},
        )
        .on_conflict_do_nothing()
        .returning(SurveyInvitation.__table__.c.id)
    )
    # The id comes back only to the one insert that wrote the row (rowcount is not reliable for this on psycopg).
    return session.exec(statement).first() is not None


def _parts(session: Session, enrollment_id: int):
    enrollment = session.get(Enrollment, enrollment_id)
    return (
        enrollment,
        session.get(Participant, enrollment.participant_id),
        session.get(Activity, enrollment.activity_id),
    )


def _has_test(session: Session, activity_id: int) -> bool:
    return session.exec(select(SurveyQuestion.id).where(SurveyQuestion.activity_id == activity_id)).first() is not None


def _invite(session: Session, settings: Settings, kind: str, enrollment_id: int, now: datetime, report) -> None:
    enrollment, participant, activity = _parts(session, enrollment_id)
    sent_at = now.replace(microsecond=0)  # the token is keyed on it: stored exactly as used
    token = schedule.survey_token(settings.secret_key, enrollment_id=enrollment_id, kind=kind, sent_at=sent_at)
    expires_at = schedule.expires(kind, now=sent_at, starts_at=activity.starts_at)
    try:
        email = survey_email(
            settings, survey=kind, participant=participant, activity=activity, token=token, expires_at=expires_at,
            enrollment_id=enrollment_id, reminder=False, has_test=_has_test(session, activity.id), now=now,
        )  # fmt: skip
    except InvalidAddress:
        email = None  # claimed all the same, so an address no email can carry is not tried every minute
    if not _claim(session, enrollment_id=enrollment_id, kind=kind, token=token, sent_at=sent_at, expires_at=expires_at):
        session.rollback()
        return
    if email is None:
        report.unusable += 1
        logger.warning("survey %s of roster row %s: the address cannot be used", kind, enrollment_id)
    else:
        queue_email(session, survey=kind, email=email, participant=participant, activity=activity, now=now)
        report.invited += 1
    session.commit()


def _remind(session: Session, settings: Settings, invitation_id: int, now: datetime, report) -> None:
    won = session.exec(
        update(SurveyInvitation)
        .where(
            SurveyInvitation.id == invitation_id,
            SurveyInvitation.reminded_at.is_(None),
            SurveyInvitation.answered_at.is_(None),
            SurveyInvitation.expires_at > now,
        )
        .values(reminded_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if won != 1:
        session.rollback()
        return
    invitation = session.get(SurveyInvitation, invitation_id)
    enrollment, participant, activity = _parts(session, invitation.enrollment_id)
    token = schedule.survey_token(
        settings.secret_key, enrollment_id=enrollment.id, kind=invitation.kind, sent_at=invitation.sent_at
    )
    try:
        email = survey_email(
            settings, survey=invitation.kind, participant=participant, activity=activity, token=token,
            expires_at=invitation.expires_at, enrollment_id=enrollment.id, reminder=True,
            has_test=_has_test(session, activity.id), now=now,
        )  # fmt: skip
    except InvalidAddress:
        report.unusable += 1
    else:
        queue_email(session, survey=invitation.kind, email=email, participant=participant, activity=activity, now=now)
        report.reminded += 1
    session.commit()


def run(session: Session, settings: Settings, *, now: datetime) -> SurveyReport:
    """Invite and remind whoever is due at `now`; each invitation and reminder in its own transaction."""
    report = SurveyReport()
    for kind in (PRETEST, EVALUATION, FOLLOWUP):
        due = session.exec(_candidates(kind, now=now, followup_days=settings.followup_days)).all()
        for enrollment_id in due:
            _invite(session, settings, kind, enrollment_id, now, report)
    reminders = session.exec(
        select(SurveyInvitation.id)
        .where(
            SurveyInvitation.kind.in_(schedule.REMINDED_KINDS),
            SurveyInvitation.answered_at.is_(None),
            SurveyInvitation.reminded_at.is_(None),
            SurveyInvitation.sent_at <= now - schedule.REMIND_AFTER,
            SurveyInvitation.expires_at > now,
        )
        .order_by(SurveyInvitation.id)
        .limit(BATCH)
    ).all()
    for invitation_id in reminders:
        _remind(session, settings, invitation_id, now, report)
    session.commit()  # ends the read transaction of a sweep that found nothing
    return report

"""Certificates: who may get one, issuing them (numbers assigned once, never reused), revoking, and
claiming one for email. Keyword-only functions that take a session and never commit."""

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from tracker.certificates.rules import certificate_number, number_prefix
from tracker.errors import Conflict, NotFound
from tracker.i18n import N_
from tracker.models import (
    Activity,
    ActivityCertificate,
    ActivityStatus,
    Certificate,
    CertificateCounter,
    Enrollment,
    Participant,
    Partnership,
)
from tracker.participants import service as participant_service
from tracker.times import in_zone

NOT_ISSUED = N_("No certificate has been issued for this participant.")


@dataclass(frozen=True)
class CertificateRow:
    """Someone on an activity's roster who completed it or holds a certificate of it, and that certificate."""

    enrollment: Enrollment
    participant: Participant
    completed: bool
    certificate: Certificate | None

    @property
    def state(self) -> str:
        """not_issued, issued or revoked."""
        if self.certificate is None:
            return "not_issued"
        return "revoked" if self.certificate.revoked_at is not None else "issued"


def hours_of(session: Session, *, activity: Activity) -> float | None:
    """The hours of instruction an activity's certificates show (None: not set, not shown)."""
    found = session.get(ActivityCertificate, activity.id)
    return found.hours if found is not None else None


def set_hours(session: Session, *, activity: Activity, hours: float | None) -> None:
    """Set (or clear) the hours of instruction of an activity's certificates."""
    found = session.get(ActivityCertificate, activity.id) or ActivityCertificate(activity_id=activity.id)
    found.hours = hours
    session.add(found)
    session.flush()


def rows(session: Session, *, activity: Activity) -> list[CertificateRow]:
    """Everyone who completed the activity, and anyone else holding one of its certificates, by name."""
    issued = {
        c.enrollment_id: c
        for c in session.exec(
            select(Certificate)
            .join(Enrollment, Enrollment.id == Certificate.enrollment_id)
            .where(Enrollment.activity_id == activity.id)
        )
    }
    found = []
    for row in participant_service.roster(session, activity=activity):
        certificate = issued.get(row.enrollment.id)
        if row.completed or certificate is not None:
            found.append(CertificateRow(row.enrollment, row.participant, row.completed, certificate))
    return found


def row_of(session: Session, *, activity: Activity, participant_id: int) -> CertificateRow:
    """One participant's row (NotFound when they neither completed the activity nor hold its certificate)."""
    for row in rows(session, activity=activity):
        if row.participant.id == participant_id:
            return row
    raise NotFound(N_("This participant did not complete this activity."))


def issued_row_of(session: Session, *, activity: Activity, participant_id: int) -> CertificateRow:
    """One participant's row with their certificate (NotFound when none was issued)."""
    row = row_of(session, activity=activity, participant_id=participant_id)
    if row.certificate is None:
        raise NotFound(NOT_ISSUED)
    return row


def _next_number(session: Session, prefix: str, year: int) -> str:
    """The next number of a prefix and year. The counter row's UPDATE holds a lock until the transaction
    ends, so two managers issuing at once get consecutive numbers, never the same one."""
    counter = (CertificateCounter.prefix == prefix, CertificateCounter.year == year)
    bumped = session.exec(update(CertificateCounter).where(*counter).values(last=CertificateCounter.last + 1))
    if bumped.rowcount == 0:
        try:
            with session.begin_nested():
                session.add(CertificateCounter(prefix=prefix, year=year, last=1))
        except IntegrityError:  # someone else started this year's counter meanwhile: take the next one
            session.exec(update(CertificateCounter).where(*counter).values(last=CertificateCounter.last + 1))
    last = session.exec(select(CertificateCounter.last).where(*counter)).one()
    return certificate_number(prefix, year, last)


def can_issue(activity: Activity, now: datetime) -> bool:
    """Certificates are for an activity that has begun and was not cancelled."""
    return activity.status != ActivityStatus.cancelled and activity.starts_at <= now


def issue_all(session: Session, *, activity: Activity, issued_by: int | None, now: datetime) -> list[Certificate]:
    """A certificate for everyone who completed the activity and has none yet (those issued keep theirs,
    revoked ones stay revoked); returns the new ones."""
    if not can_issue(activity, now):
        raise Conflict(N_("Certificates are issued once an activity has begun, and never for a cancelled one."))
    partnership = session.get(Partnership, activity.partnership_id)
    prefix = number_prefix(partnership.slug)
    year = in_zone(now, activity.timezone).year
    new = []
    for row in rows(session, activity=activity):
        if row.completed and row.certificate is None:
            certificate = Certificate(
                enrollment_id=row.enrollment.id,
                number=_next_number(session, prefix, year),
                verify_token=secrets.token_urlsafe(16),
                issued_at=now,
                issued_by=issued_by,
            )
            session.add(certificate)
            new.append(certificate)
    session.flush()
    return new


def revoke(session: Session, *, certificate: Certificate, revoked_by: int | None, reason: str, now: datetime) -> None:
    """Mark a certificate revoked, with the reason (its number is never given to anyone else)."""
    if certificate.revoked_at is not None:
        raise Conflict(N_("This certificate is already revoked."))
    certificate.revoked_at, certificate.revoked_by, certificate.revoked_reason = now, revoked_by, reason
    session.add(certificate)
    session.flush()


def claim_sending(session: Session, *, certificate: Certificate, resend: bool, now: datetime) -> int | None:
    """Claim a certificate for one more email: the number of that sending, or None when it was sent
    already (and this is no explicit resend) or someone else claimed it at the same moment.

    A conditional UPDATE on the count read: of two requests at once, only one row count can win.
    """
    if certificate.revoked_at is not None or (certificate.times_sent and not resend):
        return None
    claimed = session.exec(
        update(Certificate)
        .where(Certificate.id == certificate.id, Certificate.times_sent == certificate.times_sent)
        .values(times_sent=Certificate.times_sent + 1, sent_at=now)
    )
    if claimed.rowcount != 1:
        return None
    session.refresh(certificate)
    return certificate.times_sent


@dataclass(frozen=True)
class Verified:
    """What the public verification page may show of a certificate."""

    name: str
    activity: Activity
    revoked_at: datetime | None


def verify(session: Session, *, token: str) -> Verified | None:
    """The certificate of a verification token, as the public may see it (None for an unknown token)."""
    if not token or len(token) > 64:
        return None
    found = session.exec(
        select(Certificate.revoked_at, Participant.name, Activity)
        .join(Enrollment, Enrollment.id == Certificate.enrollment_id)
        .join(Participant, Participant.id == Enrollment.participant_id)
        .join(Activity, Activity.id == Enrollment.activity_id)
        .where(Certificate.verify_token == token)
    ).first()
    if found is None:
        return None
    revoked_at, name, activity = found
    return Verified(name=name, activity=activity, revoked_at=revoked_at)

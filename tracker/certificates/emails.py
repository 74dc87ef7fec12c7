"""Emailing certificates: each participant theirs, in their language, the PDF attached, through the
outbox like every other email. A certificate is emailed once unless a manager resends it."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from tracker.certificates import document
from tracker.certificates.document import Parts
from tracker.certificates.rules import activity_dates, date_span
from tracker.certificates.service import CertificateRow, claim_sending
from tracker.config import Settings
from tracker.i18n import marked
from tracker.mail.headers import InvalidAddress
from tracker.mail.outbox import queue
from tracker.mail.render import build
from tracker.storage import FileStore

KIND = "certificate"


@dataclass
class Sending:
    """What a round of sending did: who was emailed, who has no address or one no email can carry, and
    who had theirs already."""

    queued: list[str] = field(default_factory=list)
    without_email: list[str] = field(default_factory=list)
    unusable: list[str] = field(default_factory=list)
    already_sent: list[str] = field(default_factory=list)


def certificate_email(settings: Settings, store: FileStore, parts: Parts, row: CertificateRow, *, sending: int, now):
    """The email of one certificate to its holder, in their language, with its PDF."""
    participant, certificate, activity = row.participant, row.certificate, parts.activity
    language = str(participant.language)
    sheet = document.sheet(parts, participant=participant, certificate=certificate, language=language)
    first, last = activity_dates(activity.starts_at, activity.ends_at, activity.timezone)
    context = {
        "title": marked(activity, "title", language),
        "dates": date_span(first, last, language),
        "number": certificate.number,
        "verify_url": document.verify_url(settings.base_url, certificate),
    }
    # Derived from the certificate and the count of its sendings: the same sending is never queued twice.
    message_id = f"<certificate.{certificate.id}.{sending}@mou-tracker>"
    email = build(settings, kind=KIND, person=participant, context=context, message_id=message_id, date=now)
    title = context["title"]
    pdf = document.pdf([sheet], store, parts.content_types, title=f"{certificate.number} · {title}", language=language)
    email.add_attachment(pdf, maintype="application", subtype="pdf", filename=f"{certificate.number}.pdf")
    return email


def send(
    session: Session,
    settings: Settings,
    store: FileStore,
    *,
    parts: Parts,
    rows: list[CertificateRow],
    resend: bool = False,
    now: datetime,
) -> Sending:
    """Queue the email of each issued, unrevoked certificate among `rows` not emailed yet (every one of
    them when `resend`); those without an email address are listed, not emailed."""
    done = Sending()
    for row in rows:
        certificate = row.certificate
        if certificate is None or certificate.revoked_at is not None:
            continue
        if not row.participant.email:
            done.without_email.append(row.participant.name)
            continue
        if certificate.times_sent and not resend:
            done.already_sent.append(row.participant.name)
            continue
        # Built before the claim, and no savepoint here: the outbox hands a transaction's messages to
        # the mail thread when it commits, and SQLAlchemy reports a savepoint's release as a commit too.
        sending = certificate.times_sent + 1
        try:
            email = certificate_email(settings, store, parts, row, sending=sending, now=now)
        except InvalidAddress:
            done.unusable.append(row.participant.name)
            continue
        if claim_sending(session, certificate=certificate, resend=resend, now=now) != sending:
            done.already_sent.append(row.participant.name)  # someone else sent it at the same moment
            continue
        queue(
            session,
            kind=KIND,
            email=email,
            person_id=None,  # participants are not people with accounts
            partnership_id=parts.activity.partnership_id,
            language=str(row.participant.language),
            now=now,
        )
        done.queued.append(row.participant.name)
    return done

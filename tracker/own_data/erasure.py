"""Carrying out a deletion request: anonymising the participant or person, or declining with a reason.

Anonymising keeps what the counts and indicators are made of and erases what names someone:

- **kept**: the participant row itself (so people trained are still counted as people, not seats), their
  roster entries with attendance, days and scores (completion, knowledge gain, satisfaction, response
  rates), their sex and country (the indicators' breakdowns; on their own, in a group of trainees, they
  name nobody), the language, the survey answers that are choices or numbers, registrations' states.
- **erased**: names (replaced by a language-neutral marker each reader sees in their words), email,
  organization and position (free texts that, with sex, single someone out in a small group; the
  breakdown by organization counts them as "not recorded" from then on), registrations' needs, consent
  copy and address, survey answers written in words, the emails queued or sent to them, sign-in sheets
  still staged for import that name them, their request's note. Their certificates are revoked (a
  certificate naming nobody attests nothing; its number is never given again). Their own-data link stops
  working.
- **the audit trail** keeps that it happened (who, when, why: one "anonymised" event whose fields read
  •••), and no longer the erased values: every earlier event of the record, its registrations and
  requests has them replaced by •••, and a change they made through their link is attributed to the
  anonymised participant.

A person (staff, a deliverable's owner) is anonymised alike, only without an account: their deliverables
and activities keep pointing at the anonymised person.
"""

import json
from datetime import datetime

from sqlalchemy import delete, func, insert, or_, update
from sqlmodel import Session, select

from tracker.audit.trail import ACTOR_KEY, because
from tracker.certificates import service as certificate_service
from tracker.errors import Conflict
from tracker.models import (
    ApiToken,
    AuditEvent,
    Certificate,
    DataRequest,
    Enrollment,
    ImportBatch,
    OneTimeToken,
    OutboxMessage,
    Participant,
    Person,
    Registration,
    ReminderMode,
    SurveyInvitation,
    UserSession,
)
from tracker.own_data.names import ANONYMISED_PARTICIPANT, ANONYMISED_PERSON, is_anonymised, own_data_actor
from tracker.own_data.service import RequestRow
from tracker.validation import N_

REDACTED = "•••"
PARTICIPANT_FIELDS = ("given_names", "surnames", "name", "email", "organization", "position", "match_key")
PERSON_FIELDS = ("name", "email", "search_text")
REGISTRATION_FIELDS = ("needs", "consent_text", "client_ip")
REQUEST_FIELDS = ("note",)


def _check_open(row: RequestRow) -> None:
    if row.request.done_at is not None:
        raise Conflict(N_("This request has been handled already."))


def has_account(person: Person) -> bool:
    """Whether a person can sign in (or was invited to): an administrator takes the access away first."""
    return person.role is not None or person.password_hash is not None


def anonymise(session: Session, *, row: RequestRow, done_by: int, reason: str, certificate_reason: str, now: datetime):
    """Anonymise the request's participant or person and close the request, all audited with `reason`."""
    _check_open(row)
    holder = row.holder
    request_ids = []
    if isinstance(holder, Participant) and not is_anonymised(holder.name):
        request_ids = _request_ids(session, DataRequest.participant_id == holder.id)
        _participant(session, holder, request_ids, done_by, reason, certificate_reason, now)
    elif isinstance(holder, Person) and not is_anonymised(holder.name):
        if has_account(holder):
            raise Conflict(
                N_("This person has an account: an administrator takes its access away first, then anonymise them.")
            )
        request_ids = _request_ids(session, DataRequest.person_id == holder.id)
        _person(session, holder, request_ids, reason, now)
    _close(session, row.request, done_by=done_by, outcome="anonymised", reason=reason, now=now)


def decline(session: Session, *, row: RequestRow, done_by: int, reason: str, now: datetime) -> None:
    """Close a request without anonymising anyone, saying why (the reason is in the request's history)."""
    _check_open(row)
    _close(session, row.request, done_by=done_by, outcome="declined", reason=reason, now=now)


def _close(session: Session, request: DataRequest, *, done_by: int, outcome: str, reason: str, now: datetime):
    request.done_at, request.done_by, request.outcome = now, done_by, outcome
    session.add(request)
    because(session, reason)
    session.flush()


def _request_ids(session: Session, condition) -> list[int]:
    return list(session.exec(select(DataRequest.id).where(condition)))


def _participant(session, participant, request_ids, done_by, reason, certificate_reason, now) -> None:
    pid = participant.id
    session.flush()
    names = _names_in_trail(session, "participant", pid) | {participant.name}
    erased = {name: getattr(participant, name) for name in PARTICIPANT_FIELDS}
    email = participant.email
    enrollment_ids = list(session.exec(select(Enrollment.id).where(Enrollment.participant_id == pid)))
    registration_ids = list(session.exec(select(Registration.id).where(Registration.participant_id == pid)))
    # Core updates: the trail's automatic events would carry the old values; the event below does not.
    session.exec(
        update(Participant)
        .where(Participant.id == pid)
        .values(
            given_names="",
            surnames="",
            name=ANONYMISED_PARTICIPANT,
            email=None,
            organization="",
            position="",
            match_key=f"~anonymised~{pid}|",  # never matched by an import, never anyone's duplicate
            version=Participant.version + 1,
        )
    )
    if registration_ids:
        session.exec(
            update(Registration)
            .where(Registration.id.in_(registration_ids))
            .values(needs="", consent_text="", client_ip="", updated_at=now)
        )
    if enrollment_ids:
        for survey in session.exec(select(SurveyInvitation).where(SurveyInvitation.enrollment_id.in_(enrollment_ids))):
            answers = survey.answers if isinstance(survey.answers, dict) else {}
            survey.answers = {key: value for key, value in answers.items() if not isinstance(value, str)}
            session.add(survey)
    if request_ids:
        session.exec(update(DataRequest).where(DataRequest.id.in_(request_ids)).values(note=""))
    if email:
        session.exec(delete(OutboxMessage).where(func.lower(OutboxMessage.to_address) == email.lower()))
    _drop_staged_sheets(session, pid, [*names, *([email] if email else [])])
    session.expire(participant)
    _redact(session, "participant", [pid], PARTICIPANT_FIELDS)
    _redact(session, "registration", registration_ids, REGISTRATION_FIELDS)
    _redact(session, "data_request", request_ids, REQUEST_FIELDS)
    _rename_actor(session, names, own_name=ANONYMISED_PARTICIPANT, actor_id=None)
    _scrub_reasons(session, names, [("participant", [pid]), ("enrollment", enrollment_ids)])
    _event(session, "participant", pid, erased, reason, version=participant.version, now=now)
    if enrollment_ids:
        for certificate in session.exec(
            select(Certificate).where(Certificate.enrollment_id.in_(enrollment_ids), Certificate.revoked_at.is_(None))
        ):
            because(session, reason)
            certificate_service.revoke(
                session, certificate=certificate, revoked_by=done_by, reason=certificate_reason, now=now
            )


def _person(session, person, request_ids, reason, now) -> None:
    pid = person.id
    session.flush()
    names = _names_in_trail(session, "person", pid) | {person.name}
    erased = {name: getattr(person, name) for name in PERSON_FIELDS if name != "search_text"}
    erased["organization_id"] = person.organization_id
    email = person.email
    session.exec(
        update(Person)
        .where(Person.id == pid)
        .values(
            name=ANONYMISED_PERSON,
            email=f"anonymised-{pid}@anonymised.invalid",  # unique, and no mail can ever reach it
            organization_id=None,
            search_text="",
            reminder_mode=ReminderMode.none,
            active=False,
            version=Person.version + 1,
        )
    )
    for model in (UserSession, OneTimeToken, ApiToken):
        session.exec(delete(model).where(model.person_id == pid))
    if request_ids:
        session.exec(update(DataRequest).where(DataRequest.id.in_(request_ids)).values(note=""))
    session.exec(
        delete(OutboxMessage).where(
            or_(OutboxMessage.person_id == pid, func.lower(OutboxMessage.to_address) == email.lower())
        )
    )
    session.expire(person)
    _redact(session, "person", [pid], PERSON_FIELDS)
    _redact(session, "data_request", request_ids, REQUEST_FIELDS)
    _rename_actor(session, names, own_name=ANONYMISED_PERSON, actor_id=pid)
    _scrub_reasons(session, names, [("person", [pid])])
    _event(session, "person", pid, erased, reason, version=person.version, now=now)


def _drop_staged_sheets(session: Session, pid: int, words: list[str]) -> None:
    """Sign-in sheets still staged (the sweep removes them after a week) that name them go now."""
    activity_ids = select(Enrollment.activity_id).where(Enrollment.participant_id == pid)
    for batch in session.exec(select(ImportBatch).where(ImportBatch.activity_id.in_(activity_ids))):
        held = json.dumps([batch.rows, batch.problems], ensure_ascii=False).casefold()
        if any(word and word.casefold() in held for word in words):
            session.delete(batch)
    session.flush()


def _names_in_trail(session: Session, entity: str, entity_id: int) -> set[str]:
    """Every name the record has had, as its history recorded them (changes made through the link were
    attributed to the name it had then)."""
    names = set()
    for changes in session.exec(
        select(AuditEvent.changes).where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id)
    ):
        pair = changes.get("name") if isinstance(changes, dict) else None
        if isinstance(pair, list):
            names |= {value for value in pair if isinstance(value, str) and value and value != REDACTED}
    return names


def _redact(session: Session, entity: str, ids: list[int], fields: tuple[str, ...]) -> None:
    """Replace the erased fields' values in earlier events of these records by •••."""
    if not ids:
        return
    rows = session.exec(
        select(AuditEvent.id, AuditEvent.changes).where(AuditEvent.entity == entity, AuditEvent.entity_id.in_(ids))
    ).all()
    for event_id, changes in rows:
        if not isinstance(changes, dict) or not any(name in changes for name in fields):
            continue
        redacted = dict(changes)
        for name in fields:
            pair = redacted.get(name)
            if isinstance(pair, list):
                redacted[name] = [None if value in (None, "") else REDACTED for value in pair]
        session.exec(update(AuditEvent).where(AuditEvent.id == event_id).values(changes=redacted))


def _rename_actor(session: Session, names: set[str], *, own_name: str, actor_id: int | None) -> None:
    """Changes they made themselves are attributed to the anonymised record, never to their name."""
    stored = {own_data_actor(name) for name in names}
    if actor_id is None:  # a participant: no account, so their events are known by the name they carry
        session.exec(
            update(AuditEvent)
            .where(AuditEvent.actor_id.is_(None), AuditEvent.actor_name.in_(sorted(stored)))
            .values(actor_name=own_data_actor(own_name))
        )
        return
    session.exec(
        update(AuditEvent)
        .where(AuditEvent.actor_id == actor_id, AuditEvent.actor_name.in_(sorted(stored)))
        .values(actor_name=own_data_actor(own_name))
    )
    session.exec(
        update(AuditEvent)
        .where(AuditEvent.actor_id == actor_id, AuditEvent.actor_name.not_in(sorted(stored)))
        .values(actor_name=own_name)
    )


def _scrub_reasons(session: Session, names: set[str], records: list[tuple[str, list[int]]]) -> None:
    """A reason a manager wrote on the record's events may name them: the name goes, the reason stays."""
    names = {name for name in names if len(name) >= 3}
    for entity, ids in records:
        if not ids or not names:
            continue
        rows = session.exec(
            select(AuditEvent.id, AuditEvent.reason).where(
                AuditEvent.entity == entity, AuditEvent.entity_id.in_(ids), AuditEvent.reason.is_not(None)
            )
        ).all()
        for event_id, reason in rows:
            scrubbed = reason
            for name in sorted(names, key=len, reverse=True):
                scrubbed = scrubbed.replace(name, REDACTED)
            if scrubbed != reason:
                session.exec(update(AuditEvent).where(AuditEvent.id == event_id).values(reason=scrubbed))


def _event(session: Session, entity: str, entity_id: int, erased: dict, reason: str, *, version: int, now) -> None:
    """The anonymisation's own event: which fields were erased, never what they held."""
    actor_id, actor_name = session.info.get(ACTOR_KEY, (None, "system"))
    changes = {name: [REDACTED, None] for name, value in erased.items() if value not in (None, "")}
    session.exec(
        insert(AuditEvent).values(
            at=now,
            actor_id=actor_id,
            actor_name=actor_name,
            action="anonymise",
            entity=entity,
            entity_id=entity_id,
            version=version,
            changes=changes,
            reason=reason,
        )
    )

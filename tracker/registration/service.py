"""Public registration: forms opened by managers, people registering themselves, seats, the waiting list.

Services flush and never commit: the request owns the transaction. `now` is always passed in.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from tracker.audit.trail import record_change
from tracker.errors import NotFound
from tracker.models import Activity, Enrollment, Participant, Registration, RegistrationForm
from tracker.participants import service as participant_service
from tracker.participants.names import full_name
from tracker.participants.rules import match_key
from tracker.participants.schemas import ParticipantIn
from tracker.registration import rules
from tracker.registration.forms import DetailsIn, RegistrationIn
from tracker.validation import N_


def get_form(session: Session, activity_id: int) -> RegistrationForm | None:
    """An activity's registration form, if one was ever opened."""
    return session.get(RegistrationForm, activity_id)


def form_by_token(session: Session, token: str) -> tuple[RegistrationForm, Activity]:
    """The form at a public address, and its activity (404 for any other address)."""
    form = None
    if 20 <= len(token) <= 64:
        form = session.exec(select(RegistrationForm).where(RegistrationForm.token == token)).first()
    if form is None:
        raise NotFound(N_("There is no registration form at this address."))
    return form, session.get(Activity, form.activity_id)


def is_open(form: RegistrationForm | None, activity: Activity, now: datetime) -> bool:
    """Whether this form takes registrations now."""
    return form is not None and rules.is_open(
        closes=form.closes_at, closed=form.closed_at, starts_at=activity.starts_at, now=now
    )


def _describe(form: RegistrationForm | None) -> str | None:
    # How the activity's history reads a form's settings (one line; the form has no history of its own).
    if form is None:
        return None
    parts = ["closed" if form.closed_at else "open"]
    parts.append(f"capacity {form.capacity}" if form.capacity else "no capacity limit")
    if form.closes_at:
        parts.append(f"closes {form.closes_at.isoformat(timespec='minutes')}")
    if form.needs_approval:
        parts.append("needs approval")
    return ", ".join(parts)


def open_form(
    session: Session,
    *,
    activity: Activity,
    capacity: int | None,
    closes_at: datetime | None,
    needs_approval: bool,
    by: int | None,
    now: datetime,
) -> RegistrationForm:
    """Open (or reopen, or change) an activity's form; its address stays the same once made."""
    form = get_form(session, activity.id)
    before = _describe(form)
    if form is None:
        form = RegistrationForm(activity_id=activity.id, token=rules.new_token(), opened_at=now, opened_by=by)
    elif form.closed_at is not None:
        form.opened_at, form.opened_by = now, by
    form.closed_at = None
    form.capacity, form.closes_at, form.needs_approval = capacity, closes_at, needs_approval
    session.add(form)
    session.flush()
    record_change(session, "activity", activity.id, {"registration_form": [before, _describe(form)]})
    return form


def close_form(session: Session, *, activity: Activity, form: RegistrationForm, now: datetime) -> None:
    """Stop taking registrations (those made stay)."""
    before = _describe(form)
    form.closed_at = now
    session.add(form)
    session.flush()
    record_change(session, "activity", activity.id, {"registration_form": [before, _describe(form)]})


def taken(session: Session, activity_id: int) -> int:
    """Seats taken: everyone on the roster."""
    return session.exec(select(func.count()).select_from(Enrollment).where(Enrollment.activity_id == activity_id)).one()


def recent_from(session: Session, client_ip: str, now: datetime) -> int:
    """Registrations stored from one client address within the throttle's window."""
    since = now - rules.THROTTLE_WINDOW
    query = select(func.count()).select_from(Registration)
    return session.exec(query.where(Registration.client_ip == client_ip, Registration.created_at >= since)).one()


@dataclass
class Outcome:
    """What a submitted form did: a new (or renewed) registration, or one already there."""

    registration: Registration
    participant: Participant
    already: bool
    token: str | None  # the personal link's token when an email should carry it


def _person_of(data: RegistrationIn) -> ParticipantIn:
    return ParticipantIn(
        given_names=data.given_names,
        surnames=data.surnames,
        organization=data.organization,
        position=data.position,
        sex=data.sex,
        country=data.country,
        email=data.email,
        language=data.language,
    )


def _participant(session: Session, data: RegistrationIn) -> Participant:
    """The person registering, matched as imports match people: by email, else by name and organization.

    A stranger could type someone else's email, so a person already recorded is never renamed from
    here: only blanks are filled.
    """
    person = _person_of(data)
    found = participant_service.find_participant(session, person)
    if found is None:
        return participant_service.save_participant(session, participant=Participant(match_key=""), data=person)
    if not found.email:
        found.email = data.email
    for name in ("organization", "position", "country"):
        if not getattr(found, name) and getattr(data, name):
            setattr(found, name, getattr(data, name))
    if found.sex == "not_stated":
        found.sex = data.sex
    found.name = full_name(found.given_names, found.surnames, found.country)
    found.match_key = match_key(found.given_names, found.surnames, found.organization)
    session.flush()
    return found


def register(
    session: Session,
    *,
    activity: Activity,
    form: RegistrationForm,
    data: RegistrationIn,
    consent_text: str,
    client_ip: str,
    now: datetime,
) -> Outcome:
    """Register someone: pending approval, waiting for a seat, or confirmed (then on the roster).

    Someone already registered is not registered again: the outcome says so (and carries a new personal
    link unless one was sent moments ago). A cancelled registration is made again.
    """
    participant = _participant(session, data)
    registration = session.exec(
        select(Registration).where(
            Registration.activity_id == activity.id, Registration.participant_id == participant.id
        )
    ).first()
    if registration is not None and registration.state != "cancelled":
        token = None
        if rules.may_resend(registration.updated_at, now):
            token = rules.new_token()
            registration.token_hash, registration.updated_at = rules.hash_token(token), now
            session.flush()
        return Outcome(registration, participant, already=True, token=token)
    enrollment = session.exec(
        select(Enrollment).where(Enrollment.activity_id == activity.id, Enrollment.participant_id == participant.id)
    ).first()
    if enrollment is not None:
        state = "confirmed"  # already on the roster: the seat is theirs
    else:
        state = rules.state_for(
            needs_approval=form.needs_approval, capacity=form.capacity, taken=taken(session, activity.id)
        )
    token = rules.new_token()
    registration = registration or Registration(activity_id=activity.id, participant_id=participant.id)
    registration.state = state
    registration.needs = data.needs or ""
    registration.language = str(data.language)
    registration.consent_text = consent_text
    registration.consented_at = now
    registration.token_hash = rules.hash_token(token)
    registration.client_ip = client_ip[:45]
    registration.created_at = registration.updated_at = now
    session.add(registration)
    session.flush()
    if state == "confirmed":
        _seat(session, registration, enrollment)
    return Outcome(registration, participant, already=False, token=token)


def _seat(session: Session, registration: Registration, enrollment: Enrollment | None = None) -> None:
    """Put a confirmed registration on the roster, as registered (an existing roster entry is kept)."""
    if enrollment is None:
        enrollment = session.exec(
            select(Enrollment).where(
                Enrollment.activity_id == registration.activity_id,
                Enrollment.participant_id == registration.participant_id,
            )
        ).first()
    if enrollment is None:
        enrollment = Enrollment(activity_id=registration.activity_id, participant_id=registration.participant_id)
        session.add(enrollment)
        session.flush()
    registration.state = "confirmed"
    registration.enrollment_id = enrollment.id
    session.flush()


def waiting(session: Session, activity_id: int) -> list[Registration]:
    """The waiting list, first come first served."""
    return list(
        session.exec(
            select(Registration)
            .where(Registration.activity_id == activity_id, Registration.state == "waitlisted")
            .order_by(Registration.created_at, Registration.id)
        )
    )


def position(session: Session, registration: Registration) -> int | None:
    """A waiting registration's place in line (1 is next)."""
    if registration.state != "waitlisted":
        return None
    ids = [r.id for r in waiting(session, registration.activity_id)]
    return ids.index(registration.id) + 1


def fill_seats(session: Session, *, activity: Activity, form: RegistrationForm | None, now: datetime) -> list:
    """Give free seats to the waiting list in order; the registrations promoted."""
    promoted = []
    capacity = form.capacity if form is not None else None
    for registration in waiting(session, activity.id):
        if capacity is not None and taken(session, activity.id) >= capacity:
            break
        _seat(session, registration)
        registration.updated_at = now
        promoted.append(registration)
    session.flush()
    return promoted


def approve(
    session: Session, *, activity: Activity, form: RegistrationForm | None, registration: Registration, now: datetime
) -> None:
    """A manager accepts a pending registration: a seat when there is one, else the waiting list."""
    capacity = form.capacity if form is not None else None
    if rules.seats_left(capacity, taken(session, activity.id)) == 0:
        registration.state = "waitlisted"
    else:
        _seat(session, registration)
    registration.updated_at = now
    session.flush()


def decline(session: Session, *, registration: Registration, now: datetime) -> None:
    """A manager refuses a pending registration."""
    registration.state, registration.updated_at = "declined", now
    session.flush()


def cancel(
    session: Session, *, activity: Activity, form: RegistrationForm | None, registration: Registration, now: datetime
) -> list[Registration]:
    """The person cancels: off the roster if still only registered there; a freed seat goes to the next in line.

    Returns the registrations promoted.
    """
    held_seat = registration.state == "confirmed"
    registration.state, registration.updated_at = "cancelled", now
    if registration.enrollment_id is not None:
        enrollment = session.get(Enrollment, registration.enrollment_id)
        if enrollment is not None and enrollment.status == "registered":
            registration.enrollment_id = None
            session.flush()
            participant_service.remove(session, enrollment=enrollment)
    session.flush()
    return fill_seats(session, activity=activity, form=form, now=now) if held_seat else []


def by_personal_token(session: Session, token: str) -> Registration:
    """The registration a personal link opens (404 for any other link)."""
    found = None
    if 20 <= len(token) <= 64:
        found = session.exec(select(Registration).where(Registration.token_hash == rules.hash_token(token))).first()
    if found is None:
        raise NotFound(N_("This link does not open any registration. Use the link in your latest email."))
    return found


def renew_link(registration: Registration, now: datetime) -> str:
    """A new personal link for an email to carry (the earlier ones stop working)."""
    token = rules.new_token()
    registration.token_hash, registration.updated_at = rules.hash_token(token), now
    return token


def update_details(
    session: Session, *, registration: Registration, participant: Participant, data: DetailsIn, now: datetime
) -> None:
    """The person changes what their link allows: organization, position, language, needs."""
    participant.organization = data.organization or ""
    participant.position = data.position or ""
    participant.match_key = match_key(participant.given_names, participant.surnames, participant.organization)
    registration.language = str(data.language)
    registration.needs = data.needs or ""
    registration.updated_at = now
    session.flush()


@dataclass(frozen=True)
class Row:
    registration: Registration
    participant: Participant
    position: int | None


def listing(session: Session, activity_id: int) -> list[Row]:
    """An activity's registrations for its managers: waiting ones in line order, then the others by date."""
    rows = session.exec(
        select(Registration, Participant)
        .join(Participant, Participant.id == Registration.participant_id)
        .where(Registration.activity_id == activity_id)
        .order_by(Registration.created_at, Registration.id)
    ).all()
    line = [r.id for r, _ in rows if r.state == "waitlisted"]
    return [Row(r, p, line.index(r.id) + 1 if r.id in line else None) for r, p in rows]


def counts(rows: list[Row]) -> dict[str, int]:
    """How many registrations are in each state."""
    found = dict.fromkeys(rules.STATES, 0)
    for row in rows:
        found[row.registration.state] = found.get(row.registration.state, 0) + 1
    return found

"""People's own data: what the tracker holds about someone, their corrections, their deletion requests.

The request (a route) owns the transaction: nothing here commits. Anonymising is in `erasure.py`.
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, or_
from sqlmodel import Session, select

from tracker.audit.trail import act_as
from tracker.config import Settings
from tracker.errors import NotFound
from tracker.mail import outbox
from tracker.models import (
    Activity,
    ActivityResponsible,
    Certificate,
    CooperationArea,
    DataRequest,
    Deliverable,
    Enrollment,
    Membership,
    Organization,
    Participant,
    Person,
    Registration,
    Role,
    SurveyInvitation,
)
from tracker.own_data.links import holder_of
from tracker.own_data.names import is_anonymised, own_data_actor
from tracker.own_data.schemas import ParticipantCorrection, PersonCorrection
from tracker.participants.names import full_name
from tracker.participants.rules import match_key
from tracker.partnerships.service import check_organizations
from tracker.scoping import people_in
from tracker.validation import N_, raise_if

NOTICE_KIND = "data_request"
# Words for what other parts of the tracker store about a participant (unknown codes read as they are).
SURVEY_KINDS = {"pretest": N_("Pre-test"), "evaluation": N_("Evaluation"), "followup": N_("Follow-up survey")}
APPLIED = {"yes": N_("yes"), "partly": N_("partly"), "no": N_("no")}


def holder_or_404(session: Session, secret: str, token: str, *, now: datetime) -> Participant | Person:
    """The participant or person a link names; a forged, expired or anonymised one's link is a 404."""
    holder = holder_of(secret, token, now=now)
    record = None
    if holder is not None:
        record = session.get(Participant if holder.kind == "participant" else Person, holder.id)
    if record is None or is_anonymised(record.name):
        raise NotFound()
    return record


def holder_kind(record: Participant | Person) -> str:
    """ "participant" or "person"."""
    return "participant" if isinstance(record, Participant) else "person"


# What we hold -------------------------------------------------------------------------------


@dataclass
class Taking:
    """One activity a participant registered for or is on the roster of, and what they gave there."""

    activity: Activity
    enrollment: Enrollment | None = None
    registration: Registration | None = None
    surveys: list[SurveyInvitation] = field(default_factory=list)
    certificate: Certificate | None = None


@dataclass
class Held:
    """Everything the tracker holds about one participant or person, as their page shows it."""

    takings: list[Taking] = field(default_factory=list)
    organization: Organization | None = None
    deliverables: list[Deliverable] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    open_request: DataRequest | None = None


def what_we_hold(session: Session, record: Participant | Person) -> Held:
    """What the tracker holds about someone, beyond their own record."""
    if isinstance(record, Participant):
        held = Held(takings=_takings(session, record))
    else:
        held = Held(
            organization=session.get(Organization, record.organization_id) if record.organization_id else None,
            deliverables=list(
                session.exec(select(Deliverable).where(Deliverable.owner_id == record.id).order_by(Deliverable.due_on))
            ),
            activities=list(
                session.exec(
                    select(Activity)
                    .join(ActivityResponsible, ActivityResponsible.activity_id == Activity.id)
                    .where(ActivityResponsible.person_id == record.id)
                    .order_by(Activity.starts_at)
                )
            ),
        )
    held.open_request = open_request(session, record)
    return held


def _takings(session: Session, participant: Participant) -> list[Taking]:
    by_activity: dict[int, Taking] = {}

    def taking(activity: Activity) -> Taking:
        return by_activity.setdefault(activity.id, Taking(activity))

    rows = session.exec(
        select(Enrollment, Activity)
        .join(Activity, Activity.id == Enrollment.activity_id)
        .where(Enrollment.participant_id == participant.id)
    )
    for enrollment, activity in rows:
        taking(activity).enrollment = enrollment
    # Registrations and surveys are written by other parts of the tracker: read them as they come.
    rows = session.exec(
        select(Registration, Activity)
        .join(Activity, Activity.id == Registration.activity_id)
        .where(Registration.participant_id == participant.id)
    )
    for registration, activity in rows:
        taking(activity).registration = registration
    enrollment_ids = {t.enrollment.id: t for t in by_activity.values() if t.enrollment is not None}
    if enrollment_ids:
        for survey in session.exec(
            select(SurveyInvitation)
            .where(SurveyInvitation.enrollment_id.in_(list(enrollment_ids)), SurveyInvitation.answered_at.is_not(None))
            .order_by(SurveyInvitation.id)
        ):
            enrollment_ids[survey.enrollment_id].surveys.append(survey)
        for certificate in session.exec(select(Certificate).where(Certificate.enrollment_id.in_(list(enrollment_ids)))):
            enrollment_ids[certificate.enrollment_id].certificate = certificate
    return sorted(by_activity.values(), key=lambda t: t.activity.starts_at, reverse=True)


def free_texts(answers) -> list[str]:
    """The words someone wrote in a survey's answers (choices are numbers; anything else is their text)."""
    if not isinstance(answers, dict):
        return []
    return [str(value) for value in answers.values() if isinstance(value, str) and value.strip()]


# Corrections --------------------------------------------------------------------------------


def correct(session: Session, *, record: Participant | Person, data: ParticipantCorrection | PersonCorrection) -> None:
    """Apply someone's corrections of their own record, audited as made by them."""
    act_as(session, record.id if isinstance(record, Person) else None, own_data_actor(record.name))
    if isinstance(record, Participant):
        for name in ("given_names", "surnames", "organization", "position"):
            setattr(record, name, getattr(data, name) or "")
        record.country, record.language = data.country, data.language
        record.name = full_name(record.given_names, record.surnames, record.country)
        record.match_key = match_key(record.given_names, record.surnames, record.organization)
    else:
        if data.organization_id is not None:
            errors: dict = {}
            check_organizations(session, [data.organization_id], "organization_id", errors)
            raise_if(errors)
        record.name, record.organization_id = data.name, data.organization_id
        record.language, record.timezone = data.language, data.timezone
    session.add(record)
    session.flush()


# Requests -----------------------------------------------------------------------------------


def _holder_filter(record: Participant | Person):
    if isinstance(record, Participant):
        return DataRequest.participant_id == record.id
    return DataRequest.person_id == record.id


def open_request(session: Session, record: Participant | Person) -> DataRequest | None:
    """Their deletion request not handled yet, if any."""
    return session.exec(
        select(DataRequest)
        .where(_holder_filter(record), DataRequest.done_at.is_(None), DataRequest.kind == "deletion")
        .order_by(DataRequest.id)
    ).first()


def request_deletion(
    session: Session, settings: Settings, *, record: Participant | Person, note: str | None, now: datetime
) -> tuple[DataRequest, bool]:
    """Someone asks to be deleted: a request for the managers, who are told by email. A second request
    while one is open adds nothing. Returns (the request, whether it is new)."""
    existing = open_request(session, record)
    if existing is not None:
        return existing, False
    act_as(session, record.id if isinstance(record, Person) else None, own_data_actor(record.name))
    found = DataRequest(kind="deletion", note=note or "", requested_at=now)
    if isinstance(record, Participant):
        found.participant_id = record.id
    else:
        found.person_id = record.id
    session.add(found)
    session.flush()
    notify_managers(session, settings, request=found, now=now)
    return found, True


def partnerships_of(session: Session, request: DataRequest) -> set[int]:
    """The partnerships a request's holder belongs to: a participant through the activities they are on
    the roster of or registered for; a person as a member, a deliverable owner or someone responsible."""
    if request.participant_id is not None:
        rostered = select(Activity.partnership_id).join(Enrollment, Enrollment.activity_id == Activity.id)
        registered = select(Activity.partnership_id).join(Registration, Registration.activity_id == Activity.id)
        found = set(session.exec(rostered.where(Enrollment.participant_id == request.participant_id)))
        return found | set(session.exec(registered.where(Registration.participant_id == request.participant_id)))
    if request.person_id is not None:
        person_id = request.person_id
        members = select(Membership.partnership_id).where(Membership.person_id == person_id)
        owners = (
            select(CooperationArea.partnership_id)
            .join(Deliverable, Deliverable.area_id == CooperationArea.id)
            .where(Deliverable.owner_id == person_id)
        )
        responsible = (
            select(Activity.partnership_id)
            .join(ActivityResponsible, ActivityResponsible.activity_id == Activity.id)
            .where(ActivityResponsible.person_id == person_id)
        )
        return {pid for query in (members, owners, responsible) for pid in session.exec(query)}
    return set()


def _managers(session: Session, partnership_ids: set[int]) -> list[tuple[Person, int | None]]:
    """Who hears of a request: the active managers of these partnerships (each with one of them), or
    the administrators when there is none."""
    found: dict[int, tuple[Person, int | None]] = {}
    if partnership_ids:
        rows = session.exec(
            select(Person, Membership.partnership_id)
            .join(Membership, Membership.person_id == Person.id)
            .where(
                Membership.partnership_id.in_(sorted(partnership_ids)),
                Membership.role == Role.manager,
                Person.active.is_(True),
            )
            .order_by(Person.id, Membership.partnership_id)
        )
        for person, partnership_id in rows:
            found.setdefault(person.id, (person, partnership_id))
    if not found:
        for person in session.exec(select(Person).where(Person.role == Role.admin, Person.active.is_(True))):
            found[person.id] = (person, None)
    return list(found.values())


def notify_managers(session: Session, settings: Settings, *, request: DataRequest, now: datetime) -> int:
    """Email each manager concerned, in their language, through the outbox. The notice names nobody:
    outbox messages outlive an anonymisation, so the name is read in the tracker, behind a sign-in."""
    context = {
        "request_number": request.id,
        "is_participant": request.participant_id is not None,
        "requests_url": f"{settings.base_url}/data-requests",
    }
    sent = 0
    for manager, partnership_id in _managers(session, partnerships_of(session, request)):
        outbox.enqueue(
            session, settings, kind=NOTICE_KIND, person=manager, context=context, partnership_id=partnership_id, now=now
        )
        sent += 1
    return sent


# The managers' side -------------------------------------------------------------------------


def in_scope(managed: frozenset[int] | None):
    """The SQL condition "a manager of `managed` (None: every partnership) may see and act on this request"."""
    if managed is None:
        return True
    ids = sorted(managed)
    rostered = (
        select(Enrollment.participant_id)
        .join(Activity, Activity.id == Enrollment.activity_id)
        .where(Activity.partnership_id.in_(ids))
    )
    registered = (
        select(Registration.participant_id)
        .join(Activity, Activity.id == Registration.activity_id)
        .where(Activity.partnership_id.in_(ids))
    )
    people = select(Person.id).where(people_in(ids, unattached=True))
    return or_(
        DataRequest.participant_id.in_(rostered),
        DataRequest.participant_id.in_(registered),
        DataRequest.person_id.in_(people),
    )


@dataclass
class RequestRow:
    """A request and whose it is."""

    request: DataRequest
    holder: Participant | Person | None
    done_by: Person | None = None


def list_requests(
    session: Session, *, managed: frozenset[int] | None, done: bool, limit: int = 100
) -> list[RequestRow]:
    """Requests a manager may act on: open ones (oldest first), or handled ones (latest first)."""
    query = select(DataRequest).where(in_scope(managed))
    if done:
        query = query.where(DataRequest.done_at.is_not(None)).order_by(DataRequest.done_at.desc())
    else:
        query = query.where(DataRequest.done_at.is_(None)).order_by(DataRequest.requested_at)
    rows = []
    for found in session.exec(query.limit(limit)):
        rows.append(
            RequestRow(
                found,
                _holder(session, found),
                session.get(Person, found.done_by) if found.done_by else None,
            )
        )
    return rows


def count_open(session: Session, *, managed: frozenset[int] | None) -> int:
    """How many requests wait for a manager of `managed`."""
    return session.exec(
        select(func.count()).select_from(DataRequest).where(in_scope(managed), DataRequest.done_at.is_(None))
    ).one()


def _holder(session: Session, found: DataRequest) -> Participant | Person | None:
    if found.participant_id is not None:
        return session.get(Participant, found.participant_id)
    if found.person_id is not None:
        return session.get(Person, found.person_id)
    return None


def get_request_or_404(session: Session, request_id: int, *, managed: frozenset[int] | None) -> RequestRow:
    """A request a manager of `managed` may act on; any other is a 404, like one that does not exist."""
    found = session.exec(select(DataRequest).where(DataRequest.id == request_id, in_scope(managed))).first()
    if found is None:
        raise NotFound()
    return RequestRow(found, _holder(session, found))

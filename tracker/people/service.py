"""People: who owns deliverables and organizes activities."""

from sqlalchemy import func
from sqlmodel import Session, select

from tracker.db import contains
from tracker.errors import NotFound
from tracker.models import Organization, Person
from tracker.partnerships.service import raise_if
from tracker.people.schemas import PersonIn
from tracker.scoping import people_in
from tracker.validation import N_


def get_person_or_404(session: Session, person_id: int, viewer=None) -> Person:
    """The person with this id, if they belong to a partnership `viewer` may see."""
    person = session.get(Person, person_id)
    scope = viewer.partnership_ids if viewer is not None else None
    if person is None or (scope is not None and not _in_scope(session, person_id, scope)):
        raise NotFound(N_("This person does not exist."))
    return person


def _in_scope(session: Session, person_id: int, scope: frozenset[int]) -> bool:
    return session.exec(select(Person.id).where(Person.id == person_id, people_in(scope))).first() is not None


def save_person(session: Session, *, person: Person, data: PersonIn) -> Person:
    """Create or update a person; an email already used by someone else is refused."""
    errors: dict = {}
    clash = session.exec(select(Person.id).where(Person.email == data.email)).first()
    if clash is not None and clash != person.id:
        errors["email"] = ("taken", {})
    if data.organization_id is not None and session.get(Organization, data.organization_id) is None:
        errors["organization_id"] = ("unknown_organization", {})
    raise_if(errors)
    for name, value in data.model_dump().items():
        setattr(person, name, value)
    session.add(person)
    session.flush()
    return person


def list_people(
    session: Session, *, scope: frozenset[int] | None, q: str | None, limit: int, offset: int
) -> tuple[list[Person], int]:
    """A page of people of the partnerships in `scope` (None: all) by name, and how many match."""
    query = select(Person)
    if scope is not None:
        query = query.where(people_in(scope))
    if q:
        query = query.where(contains(Person.name, q) | contains(Person.email, q))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(Person.name, Person.id).limit(limit).offset(offset)).all()
    return list(rows), total


def all_people(session: Session) -> list[Person]:
    """Everyone, by name (for owner pickers)."""
    return list(session.exec(select(Person).order_by(Person.name)))

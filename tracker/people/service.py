"""People: who owns deliverables and organizes activities."""

from sqlmodel import Session, select

from tracker.checks import check_ids, check_unique
from tracker.db import contains
from tracker.editing import copy_fields
from tracker.errors import NotFound, check_version
from tracker.models import Person
from tracker.paging import paged
from tracker.partnerships.service import check_organizations
from tracker.people.schemas import PersonIn
from tracker.scoping import people_in
from tracker.validation import N_, raise_if


def get_person_or_404(session: Session, person_id: int, viewer=None) -> Person:
    """The person with this id, if they belong to a partnership `viewer` may see."""
    person = session.get(Person, person_id)
    scope = viewer.partnership_ids if viewer is not None else None
    if person is None or (scope is not None and not _in_scope(session, person_id, scope, viewer.is_manager)):
        raise NotFound(N_("This person does not exist."))
    return person


def _in_scope(session: Session, person_id: int, scope: frozenset[int], unattached: bool) -> bool:
    found = select(Person.id).where(Person.id == person_id, people_in(scope, unattached=unattached))
    return session.exec(found).first() is not None


def check_people(session: Session, ids: list[int], field: str, errors: dict) -> list[Person]:
    """The people with these ids, noting an error when one is unknown."""
    return check_ids(session, Person, ids, field=field, errors=errors, unknown="unknown_person")


def save_person(session: Session, *, person: Person, data: PersonIn) -> Person:
    """Create or update a person; an email already used by someone else is refused."""
    errors: dict = {}
    check_unique(session, Person, "email", data.email, record_id=person.id, errors=errors)
    if data.organization_id is not None:
        check_organizations(session, [data.organization_id], "organization_id", errors)
    raise_if(errors)
    copy_fields(person, data)
    session.add(person)
    session.flush()
    return person


def update_person(session: Session, *, person: Person, data: PersonIn, version: int | None) -> Person:
    """save_person, if nobody saved since `version`."""
    check_version("person", person, version)
    return save_person(session, person=person, data=data)


def list_people(
    session: Session,
    *,
    scope: frozenset[int] | None,
    q: str | None,
    limit: int,
    offset: int,
    unattached: bool = False,
) -> tuple[list[Person], int]:
    """A page of people of the partnerships in `scope` (None: all) by name, and how many match; with
    `unattached`, also people of no partnership yet."""
    query = select(Person)
    if scope is not None:
        query = query.where(people_in(scope, unattached=unattached))
    if q:
        query = query.where(contains(Person.search_text, q))
    return paged(session, query, order_by=(Person.name, Person.id), limit=limit, offset=offset)


def all_people(session: Session) -> list[Person]:
    """Everyone, by name (for owner pickers)."""
    return list(session.exec(select(Person).order_by(Person.name)))

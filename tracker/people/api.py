"""JSON API for people."""

from typing import Annotated

from fastapi import APIRouter, Query, status

from tracker.api import Limit, Offset, Page, PathId, merged
from tracker.auth import ManagerDep, ViewerDep
from tracker.db import SessionDep
from tracker.models import Person
from tracker.people import service as people_service
from tracker.people.schemas import PersonIn, PersonOut, PersonPatch

router = APIRouter(prefix="/people", tags=["people"])


@router.get(
    "",
    response_model=Page[PersonOut],
    summary="List people by name",
    description="Each person sees the people of their own partnerships: their members' accounts, deliverable "
    "owners and the people responsible for their activities; managers also see people of no partnership yet.",
)
def list_people(
    session: SessionDep,
    viewer: ViewerDep,
    limit: Limit = 50,
    offset: Offset = 0,
    q: Annotated[str | None, Query(max_length=200, description="Text in name or email")] = None,
):
    rows, total = people_service.list_people(
        session, scope=viewer.partnership_ids, q=q, limit=limit, offset=offset, unattached=viewer.is_manager
    )
    return Page(
        items=[PersonOut.model_validate(p, from_attributes=True) for p in rows], total=total, limit=limit, offset=offset
    )


@router.get("/{person_id}", response_model=PersonOut, summary="One person")
def get_person(person_id: PathId, session: SessionDep, viewer: ViewerDep):
    return PersonOut.model_validate(people_service.get_person_or_404(session, person_id, viewer), from_attributes=True)


@router.post("", response_model=PersonOut, status_code=status.HTTP_201_CREATED, summary="Add a person")
def create_person(data: PersonIn, session: SessionDep, _manager: ManagerDep):
    person = people_service.save_person(session, person=Person(), data=data)
    session.commit()
    return PersonOut.model_validate(person, from_attributes=True)


@router.patch("/{person_id}", response_model=PersonOut, summary="Change a person")
def update_person(person_id: PathId, patch: PersonPatch, session: SessionDep, _manager: ManagerDep):
    person = people_service.get_person_or_404(session, person_id)
    data = merged(PersonIn, person, patch)
    people_service.update_person(session, person=person, data=data, version=patch.version)
    session.commit()
    return PersonOut.model_validate(person, from_attributes=True)

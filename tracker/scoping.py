"""Which people and organizations belong to which partnerships: the SQL every list and lookup of them
narrows by. Which partnerships a viewer may see is decided in `tracker.auth` (`Viewer.partnership_ids`);
records that carry their partnership (activities, deliverables through their area) are narrowed there
directly. People and organizations are shared between partnerships, so they belong to each one they
take part in.
"""

from collections.abc import Collection

from sqlalchemy import or_
from sqlmodel import select

from tracker.models import (
    Activity,
    ActivityOrganizer,
    ActivityResponsible,
    CooperationArea,
    Deliverable,
    Membership,
    Organization,
    PartnershipParty,
    Person,
)


def people_in(partnership_ids: Collection[int], *, unattached: bool = False):
    """People of these partnerships: their members' accounts, deliverable owners, people responsible for an
    activity; with `unattached`, also people of no partnership yet (a manager's new contact, before any
    deliverable names them)."""
    ids = list(partnership_ids)
    if unattached:
        anywhere = people_in_any()
        return or_(people_in(ids), ~anywhere)
    owners = (
        select(Deliverable.owner_id)
        .join(CooperationArea, CooperationArea.id == Deliverable.area_id)
        .where(CooperationArea.partnership_id.in_(ids), Deliverable.owner_id.is_not(None))
    )
    responsible = (
        select(ActivityResponsible.person_id)
        .join(Activity, Activity.id == ActivityResponsible.activity_id)
        .where(Activity.partnership_id.in_(ids))
    )
    members = select(Membership.person_id).where(Membership.partnership_id.in_(ids))
    return or_(Person.id.in_(members), Person.id.in_(owners), Person.id.in_(responsible))


def people_in_any():
    """People who belong to some partnership, whichever."""
    return or_(
        Person.id.in_(select(Membership.person_id)),
        Person.id.in_(select(Deliverable.owner_id).where(Deliverable.owner_id.is_not(None))),
        Person.id.in_(select(ActivityResponsible.person_id)),
    )


def organizations_in(partnership_ids: Collection[int]):
    """Organizations of these partnerships: parties, organizers, deliverables' organizations, their people's."""
    ids = list(partnership_ids)
    parties = select(PartnershipParty.organization_id).where(PartnershipParty.partnership_id.in_(ids))
    organizers = (
        select(ActivityOrganizer.organization_id)
        .join(Activity, Activity.id == ActivityOrganizer.activity_id)
        .where(Activity.partnership_id.in_(ids))
    )
    of_deliverables = (
        select(Deliverable.organization_id)
        .join(CooperationArea, CooperationArea.id == Deliverable.area_id)
        .where(CooperationArea.partnership_id.in_(ids), Deliverable.organization_id.is_not(None))
    )
    of_people = select(Person.organization_id).where(people_in(ids), Person.organization_id.is_not(None))
    return or_(*(Organization.id.in_(found) for found in (parties, organizers, of_deliverables, of_people)))

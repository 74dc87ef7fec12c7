"""Who may do what in which partnership: a person's memberships (partner or manager, per partnership).

An administrator needs none (they see and change every partnership). For everyone else the account's
role (`Person.role`) is the highest of their memberships, kept here, so lists of users and the
sign-in check read one column.
"""

from collections.abc import Mapping

from sqlalchemy import delete, insert
from sqlmodel import Session, select

from tracker.models import Membership, Person, Role

# The roles a membership can give; the order is "highest last".
MEMBER_ROLES = (Role.partner, Role.manager)


def roles_of(session: Session, person_id: int) -> dict[int, Role]:
    """The person's role in each partnership they belong to, by partnership id."""
    rows = session.exec(
        select(Membership.partnership_id, Membership.role).where(Membership.person_id == person_id)
    ).all()
    return {partnership_id: Role(role) for partnership_id, role in rows}


def roles_of_many(session: Session, person_ids: list[int]) -> dict[int, dict[int, Role]]:
    """roles_of for several people in one query (the users page)."""
    found: dict[int, dict[int, Role]] = {person_id: {} for person_id in person_ids}
    if person_ids:
        rows = session.exec(
            select(Membership.person_id, Membership.partnership_id, Membership.role).where(
                Membership.person_id.in_(person_ids)
            )
        ).all()
        for person_id, partnership_id, role in rows:
            found[person_id][partnership_id] = Role(role)
    return found


def account_role(admin: bool, roles: Mapping[int, Role]) -> Role | None:
    """The account's role: admin, else the highest of its memberships (None: no access anywhere)."""
    if admin:
        return Role.admin
    if not roles:
        return None
    return max(roles.values(), key=MEMBER_ROLES.index)


def set_roles(session: Session, *, person: Person, admin: bool, roles: Mapping[int, Role]) -> None:
    """Replace the person's memberships and keep their account role in step (audited on the person)."""
    session.exec(delete(Membership).where(Membership.person_id == person.id))
    if roles:
        session.exec(
            insert(Membership),
            params=[
                {"person_id": person.id, "partnership_id": pid, "role": Role(role).value}
                for pid, role in sorted(roles.items())
            ],
        )
    person.role = account_role(admin, roles)
    session.add(person)
    session.flush()


def members_of(partnership_id: int):
    """The SQL condition "this person belongs to the partnership" (for scoping lists of people)."""
    return Person.id.in_(select(Membership.person_id).where(Membership.partnership_id == partnership_id))

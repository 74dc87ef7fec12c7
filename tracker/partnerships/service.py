"""Partnerships, their areas and the organizations party to them: lookups, rule checks and saving."""

from sqlmodel import Session, select

from tracker.auth import ensure_visible
from tracker.checks import check_ids, check_unique
from tracker.editing import copy_fields
from tracker.errors import NotFound, check_version
from tracker.models import CooperationArea, Organization, Partnership
from tracker.partnerships.schemas import AreaIn, OrganizationIn, PartnershipIn
from tracker.scoping import organizations_in
from tracker.validation import N_, raise_if, validate_all

# The PartnershipIn (and PartnershipOut) field that is not a column of its own, as read from a partnership.
DERIVED = {"party_ids": lambda partnership: [o.id for o in partnership.parties]}


def get_partnership_or_404(session: Session, slug: str, viewer=None) -> Partnership:
    """The partnership with this slug, if `viewer` may see it."""
    partnership = session.exec(select(Partnership).where(Partnership.slug == slug)).first()
    if partnership is None:
        raise NotFound(N_("There is no partnership at this address."))
    ensure_visible(viewer, partnership.id)
    return partnership


def default_partnership(session: Session, preferred_slug: str | None = None) -> Partnership | None:
    """The partnership the home page shows: the configured one, else the latest signed."""
    if preferred_slug:
        found = session.exec(select(Partnership).where(Partnership.slug == preferred_slug)).first()
        if found:
            return found
    return session.exec(select(Partnership).order_by(Partnership.signed_on.desc(), Partnership.id)).first()


def home_partnership(session: Session, viewer, preferred_slug: str | None = None) -> Partnership | None:
    """The partnership a viewer's pages start from: their only one, else the configured or latest signed
    one they may see (visitors: the configured or latest)."""
    if viewer is not None and viewer.partnership_id:
        return session.get(Partnership, viewer.partnership_id)
    found = default_partnership(session, preferred_slug)
    if found is None or viewer is None or viewer.can_see(found.id):
        return found
    visible = select(Partnership).where(Partnership.id.in_(viewer.partnership_ids or ()))
    return session.exec(visible.order_by(Partnership.signed_on.desc(), Partnership.id)).first()


def list_partnerships(session: Session) -> list[Partnership]:
    """Every partnership, latest signed first."""
    return list(session.exec(select(Partnership).order_by(Partnership.signed_on.desc(), Partnership.id)))


def get_area_or_404(
    session: Session,
    *,
    area_id: int | None = None,
    slug: str | None = None,
    partnership: Partnership | None = None,
    viewer=None,
) -> CooperationArea:
    """One area, by id or by slug in `partnership`: 404 if none, another partnership's, or hidden from `viewer`."""
    if slug is not None:
        area = session.exec(
            select(CooperationArea).where(
                CooperationArea.partnership_id == partnership.id, CooperationArea.slug == slug
            )
        ).first()
    else:
        area = session.get(CooperationArea, area_id)
    if area is None or (partnership is not None and area.partnership_id != partnership.id):
        raise NotFound(N_("This cooperation area does not exist."))
    ensure_visible(viewer, area.partnership_id)
    return area


def check_areas(session: Session, partnership: Partnership, ids: list[int], field: str, errors: dict) -> list:
    """The areas with these ids, noting under `field` one that is unknown or another partnership's."""
    return check_ids(
        session,
        CooperationArea,
        ids,
        field=field,
        errors=errors,
        unknown="unknown_area",
        foreign="foreign_area",
        partnership_id=partnership.id,
    )


def list_organizations(session: Session, scope: frozenset[int] | None = None) -> list[Organization]:
    """The organizations of the partnerships in `scope` (None: every one), by acronym."""
    query = select(Organization)
    if scope is not None:
        query = query.where(organizations_in(scope))
    return list(session.exec(query.order_by(Organization.acronym)))


def get_organization_or_404(session: Session, organization_id: int) -> Organization:
    """One organization, for the administrators who keep them (every organization is theirs to see)."""
    organization = session.get(Organization, organization_id)
    if organization is None:
        raise NotFound(N_("This page does not exist."))
    return organization


def organization_rules(session: Session, *, organization_id: int | None, fields: dict) -> dict:
    """The rules an organization's fields follow beyond their format: no two share an acronym."""
    errors: dict = {}
    if "acronym" in fields:
        check_unique(session, Organization, "acronym", fields["acronym"], record_id=organization_id, errors=errors)
    return errors


def validated_organization(session: Session, *, organization_id: int | None, values: dict) -> OrganizationIn:
    """A form's values as OrganizationIn, every parse and rule error reported together (FieldErrors)."""
    return validate_all(
        OrganizationIn,
        values,
        lambda parsed: organization_rules(session, organization_id=organization_id, fields=parsed),
    )


def save_organization(session: Session, *, organization: Organization, data: OrganizationIn) -> Organization:
    """Create or update an organization from OrganizationIn; acronyms are unique."""
    raise_if(organization_rules(session, organization_id=organization.id, fields=dict(data)))
    copy_fields(organization, data)
    session.add(organization)
    session.flush()
    return organization


def update_organization(
    session: Session, *, organization: Organization, data: OrganizationIn, version: int | None
) -> Organization:
    """save_organization, if nobody saved since `version`."""
    check_version("organization", organization, version)
    return save_organization(session, organization=organization, data=data)


def edit_organization(
    session: Session, *, organization: Organization, values: dict, version: int | None
) -> Organization:
    """update_organization from an edit form's values: a stale version first, then every input error at once."""
    check_version("organization", organization, version)
    data = validated_organization(session, organization_id=organization.id, values=values)
    return save_organization(session, organization=organization, data=data)


def check_organizations(session: Session, ids: list[int], field: str, errors: dict) -> list[Organization]:
    """The organizations with these ids, noting an error when one is unknown."""
    return check_ids(session, Organization, ids, field=field, errors=errors, unknown="unknown_organization")


def partnership_rules(session: Session, *, partnership_id: int | None, fields: dict) -> dict:
    """The rules a partnership's fields (those given) follow beyond their format: field -> (kind, context)."""
    errors: dict = {}
    starts_on, ends_on, signed_on = fields.get("starts_on"), fields.get("ends_on"), fields.get("signed_on")
    if starts_on and ends_on and ends_on <= starts_on:
        errors["ends_on"] = ("end_before_start", {})
    if starts_on and signed_on and signed_on > starts_on:
        errors["signed_on"] = ("signed_after_start", {})
    if "slug" in fields:
        check_unique(session, Partnership, "slug", fields["slug"], record_id=partnership_id, errors=errors)
    if "party_ids" in fields:
        check_organizations(session, fields["party_ids"], "party_ids", errors)
    return errors


def validated_partnership(session: Session, *, partnership_id: int | None, values: dict) -> PartnershipIn:
    """A form's values as PartnershipIn, every parse and rule error reported together (FieldErrors)."""
    return validate_all(
        PartnershipIn, values, lambda parsed: partnership_rules(session, partnership_id=partnership_id, fields=parsed)
    )


def save_partnership(session: Session, *, partnership: Partnership, data: PartnershipIn) -> Partnership:
    """Create or update a partnership from PartnershipIn, checking its dates, slug and parties."""
    raise_if(partnership_rules(session, partnership_id=partnership.id, fields=dict(data)))
    copy_fields(partnership, data, DERIVED)
    partnership.parties = check_organizations(session, data.party_ids, "party_ids", {})
    session.add(partnership)
    session.flush()
    return partnership


def update_partnership(
    session: Session, *, partnership: Partnership, data: PartnershipIn, version: int | None
) -> Partnership:
    """save_partnership, if nobody saved since `version`."""
    check_version("partnership", partnership, version)
    return save_partnership(session, partnership=partnership, data=data)


def area_rules(session: Session, *, area_id: int | None, partnership_id: int, fields: dict) -> dict:
    """The rules an area's fields (those given) follow beyond their format: number and slug unique per partnership."""
    errors: dict = {}
    if session.get(Partnership, partnership_id) is None:
        errors["partnership_id"] = ("unknown_partnership", {})
    siblings = (CooperationArea.partnership_id == partnership_id,)
    for field in ("number", "slug"):
        if field in fields:
            check_unique(
                session, CooperationArea, field, fields[field], record_id=area_id, errors=errors, scope=siblings
            )
    return errors


def validated_area(session: Session, *, area_id: int | None, partnership_id: int, values: dict) -> AreaIn:
    """A form's values (the area's own fields) as AreaIn of `partnership_id`, every error reported together."""
    values = values | {"partnership_id": partnership_id}
    return validate_all(
        AreaIn,
        values,
        lambda parsed: area_rules(session, area_id=area_id, partnership_id=partnership_id, fields=parsed),
    )


def edit_partnership(session: Session, *, partnership: Partnership, values: dict, version: int | None) -> Partnership:
    """update_partnership from an edit form's values: a stale version first, then every input error at once."""
    check_version("partnership", partnership, version)
    data = validated_partnership(session, partnership_id=partnership.id, values=values)
    return save_partnership(session, partnership=partnership, data=data)


def save_area(session: Session, *, area: CooperationArea, data: AreaIn) -> CooperationArea:
    """Create or update a cooperation area from AreaIn; number and slug are unique per partnership."""
    raise_if(area_rules(session, area_id=area.id, partnership_id=data.partnership_id, fields=dict(data)))
    copy_fields(area, data)
    session.add(area)
    session.flush()
    return area


def edit_area(session: Session, *, area: CooperationArea, values: dict, version: int | None) -> CooperationArea:
    """update_area from an edit form's values (the area stays in its partnership): stale version first."""
    check_version("area", area, version)
    data = validated_area(session, area_id=area.id, partnership_id=area.partnership_id, values=values)
    return save_area(session, area=area, data=data)


def update_area(session: Session, *, area: CooperationArea, data: AreaIn, version: int | None) -> CooperationArea:
    """save_area, if nobody saved since `version`."""
    check_version("area", area, version)
    return save_area(session, area=area, data=data)

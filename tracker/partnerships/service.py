"""Partnerships, their areas and the organizations party to them: lookups, rule checks and saving."""

from sqlmodel import Session, select

from tracker.auth import ensure_visible
from tracker.checks import check_ids, check_unique
from tracker.editing import copy_fields
from tracker.errors import NotFound, check_version
from tracker.models import CooperationArea, Organization, Partnership
from tracker.partnerships.schemas import AreaIn, PartnershipIn
from tracker.scoping import organizations_in
from tracker.validation import N_, raise_if

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


def check_organizations(session: Session, ids: list[int], field: str, errors: dict) -> list[Organization]:
    """The organizations with these ids, noting an error when one is unknown."""
    return check_ids(session, Organization, ids, field=field, errors=errors, unknown="unknown_organization")


def save_partnership(session: Session, *, partnership: Partnership, data: PartnershipIn) -> Partnership:
    """Create or update a partnership from PartnershipIn, checking its dates, slug and parties."""
    errors: dict = {}
    if data.ends_on <= data.starts_on:
        errors["ends_on"] = ("end_before_start", {})
    if data.signed_on > data.starts_on:
        errors["signed_on"] = ("signed_after_start", {})
    check_unique(session, Partnership, "slug", data.slug, record_id=partnership.id, errors=errors)
    parties = check_organizations(session, data.party_ids, "party_ids", errors)
    raise_if(errors)
    copy_fields(partnership, data, DERIVED)
    partnership.parties = parties
    session.add(partnership)
    session.flush()
    return partnership


def update_partnership(
    session: Session, *, partnership: Partnership, data: PartnershipIn, version: int | None
) -> Partnership:
    """save_partnership, if nobody saved since `version`."""
    check_version("partnership", partnership, version)
    return save_partnership(session, partnership=partnership, data=data)


def save_area(session: Session, *, area: CooperationArea, data: AreaIn) -> CooperationArea:
    """Create or update a cooperation area from AreaIn; number and slug are unique per partnership."""
    errors: dict = {}
    if session.get(Partnership, data.partnership_id) is None:
        errors["partnership_id"] = ("unknown_partnership", {})
    siblings = (CooperationArea.partnership_id == data.partnership_id,)
    for field in ("number", "slug"):
        check_unique(
            session, CooperationArea, field, getattr(data, field), record_id=area.id, errors=errors, scope=siblings
        )
    raise_if(errors)
    copy_fields(area, data)
    session.add(area)
    session.flush()
    return area


def update_area(session: Session, *, area: CooperationArea, data: AreaIn, version: int | None) -> CooperationArea:
    """save_area, if nobody saved since `version`."""
    check_version("area", area, version)
    return save_area(session, area=area, data=data)

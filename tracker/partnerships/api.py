"""JSON API for partnerships, their cooperation areas, and organizations."""

from typing import Annotated

from fastapi import APIRouter, Query, status
from pydantic import BaseModel
from sqlalchemy import func
from sqlmodel import select

from tracker.api import Limit, Offset, Page, PathId, SlugParam, listing_scope, merged
from tracker.auth import AdminDep, ViewerDep, ensure_visible
from tracker.db import SessionDep
from tracker.errors import NotFound, check_version
from tracker.models import CooperationArea, Partnership
from tracker.partnerships import service as partnership_service
from tracker.partnerships.schemas import AreaIn, AreaOut, AreaPatch, PartnershipIn, PartnershipOut, PartnershipPatch
from tracker.validation import N_

router = APIRouter()


def _partnership_out(p: Partnership) -> PartnershipOut:
    fields = {k: getattr(p, k) for k in PartnershipOut.model_fields if k != "party_ids"}
    return PartnershipOut(party_ids=[o.id for o in p.parties], **fields)


@router.get("/partnerships", response_model=Page[PartnershipOut], tags=["partnerships"], summary="List partnerships")
def list_partnerships(session: SessionDep, viewer: ViewerDep, limit: Limit = 50, offset: Offset = 0):
    query = select(Partnership)
    if viewer.partnership_ids is not None:
        query = query.where(Partnership.id.in_(viewer.partnership_ids))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(Partnership.signed_on.desc(), Partnership.id).limit(limit).offset(offset))
    return Page(items=[_partnership_out(p) for p in rows], total=total, limit=limit, offset=offset)


@router.get("/partnerships/{slug}", response_model=PartnershipOut, tags=["partnerships"], summary="One partnership")
def get_partnership(slug: SlugParam, session: SessionDep, viewer: ViewerDep):
    partnership = partnership_service.get_partnership_or_404(session, slug, viewer)
    return _partnership_out(partnership)


@router.post(
    "/partnerships",
    response_model=PartnershipOut,
    status_code=status.HTTP_201_CREATED,
    tags=["partnerships"],
    summary="Add a partnership",
)
def create_partnership(data: PartnershipIn, session: SessionDep, _admin: AdminDep):
    partnership = partnership_service.save_partnership(session, partnership=Partnership(), data=data)
    session.commit()
    return _partnership_out(partnership)


@router.patch(
    "/partnerships/{slug}", response_model=PartnershipOut, tags=["partnerships"], summary="Change a partnership"
)
def update_partnership(slug: SlugParam, patch: PartnershipPatch, session: SessionDep, _admin: AdminDep):
    partnership = partnership_service.get_partnership_or_404(session, slug)
    current = _partnership_out(partnership).model_dump(exclude={"id", "version"})
    check_version("partnership", partnership, patch.version)
    partnership_service.save_partnership(session, partnership=partnership, data=merged(PartnershipIn, current, patch))
    session.commit()
    return _partnership_out(partnership)


@router.get("/areas", response_model=Page[AreaOut], tags=["areas"], summary="List cooperation areas")
def list_areas(
    session: SessionDep,
    viewer: ViewerDep,
    limit: Limit = 50,
    offset: Offset = 0,
    partnership: Annotated[str | None, Query(max_length=60, description="Partnership slug")] = None,
):
    query = select(CooperationArea)
    scope = listing_scope(session, viewer, partnership)
    if scope is not None:
        query = query.where(CooperationArea.partnership_id.in_(list(scope)))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(
        query.order_by(CooperationArea.partnership_id, CooperationArea.number).limit(limit).offset(offset)
    )
    return Page(
        items=[AreaOut.model_validate(a, from_attributes=True) for a in rows], total=total, limit=limit, offset=offset
    )


def _area_or_404(session, area_id: int) -> CooperationArea:
    area = session.get(CooperationArea, area_id)
    if area is None:
        raise NotFound(N_("This cooperation area does not exist."))
    return area


@router.get("/areas/{area_id}", response_model=AreaOut, tags=["areas"], summary="One cooperation area")
def get_area(area_id: PathId, session: SessionDep, viewer: ViewerDep):
    area = _area_or_404(session, area_id)
    ensure_visible(viewer, area.partnership_id)
    return AreaOut.model_validate(area, from_attributes=True)


@router.post(
    "/areas", response_model=AreaOut, status_code=status.HTTP_201_CREATED, tags=["areas"], summary="Add an area"
)
def create_area(data: AreaIn, session: SessionDep, _admin: AdminDep):
    area = partnership_service.save_area(session, area=CooperationArea(), data=data)
    session.commit()
    return AreaOut.model_validate(area, from_attributes=True)


@router.patch("/areas/{area_id}", response_model=AreaOut, tags=["areas"], summary="Change an area")
def update_area(area_id: PathId, patch: AreaPatch, session: SessionDep, _admin: AdminDep):
    area = _area_or_404(session, area_id)
    current = AreaOut.model_validate(area, from_attributes=True).model_dump(exclude={"id", "version"})
    check_version("area", area, patch.version)
    partnership_service.save_area(session, area=area, data=merged(AreaIn, current, patch))
    session.commit()
    return AreaOut.model_validate(area, from_attributes=True)


class OrganizationOut(BaseModel):
    """An organization: a party to partnerships, an organizer, an owner's employer."""

    id: int
    acronym: str
    name_en: str
    name_es: str
    country: str
    timezone: str


@router.get(
    "/organizations", response_model=list[OrganizationOut], tags=["organizations"], summary="List organizations"
)
def list_organizations(session: SessionDep, viewer: ViewerDep):
    found = partnership_service.list_organizations(session, viewer.partnership_ids)
    return [OrganizationOut.model_validate(o, from_attributes=True) for o in found]

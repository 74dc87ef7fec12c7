"""JSON API for partnerships, their cooperation areas, and organizations."""

from fastapi import APIRouter, Request, status
from pydantic import BaseModel, Field
from sqlmodel import select

from tracker.api import Limit, Offset, Page, PartnershipFilter, PathId, SlugParam, listing_scope, merged
from tracker.auth import AdminDep, ViewerDep
from tracker.db import SessionDep
from tracker.editing import fields_of
from tracker.i18n import request_language, translate
from tracker.models import CooperationArea, Partnership
from tracker.paging import paged
from tracker.partnerships import service as partnership_service
from tracker.partnerships.schemas import AreaIn, AreaOut, AreaPatch, PartnershipIn, PartnershipOut, PartnershipPatch
from tracker.progress import service as progress_service
from tracker.templating import today_for, viewer_zone

router = APIRouter()


class AreaProgressOut(AreaOut):
    """An area with where it stands today (the status rule of tracker/progress/status.py)."""

    status: str = Field(description="behind, at_risk, no_activity, not_started or on_track")
    reason: str = Field(description="Why, in words, in the request's language")
    planned_to_date: int = Field(description="Activities started and deliverables due by today (not cancelled)")
    done_to_date: int = Field(description="Of those, activities held and deliverables accepted")
    planned_total: int = Field(description="Activities and deliverables of the whole term (not cancelled)")
    done_total: int = Field(description="Activities held and deliverables accepted")


def _with_progress(request: Request, session, areas: list[CooperationArea]) -> list[AreaProgressOut]:
    """Areas as the API returns them, each with its status and the figures behind it, counted in SQL."""
    zone = viewer_zone(request) or request.app.state.settings.default_timezone
    counts = progress_service.counts_of_areas(session, areas=areas, today=today_for(request), zone=zone)
    language = request_language(request)
    found = []
    for area in areas:
        status, figures = counts[area.id].status, counts[area.id].figures
        found.append(
            AreaProgressOut(
                **AreaOut.model_validate(area, from_attributes=True).model_dump(),
                status=status.code,
                reason=translate(status.reason, status.context, language),
                planned_to_date=figures.planned_to_date,
                done_to_date=figures.done_to_date,
                planned_total=figures.planned_total,
                done_total=figures.done_total,
            )
        )
    return found


def _partnership_out(p: Partnership) -> PartnershipOut:
    return PartnershipOut(**fields_of(PartnershipOut, p, partnership_service.DERIVED))


@router.get("/partnerships", response_model=Page[PartnershipOut], tags=["partnerships"], summary="List partnerships")
def list_partnerships(session: SessionDep, viewer: ViewerDep, limit: Limit = 50, offset: Offset = 0):
    query = select(Partnership)
    if viewer.partnership_ids is not None:
        query = query.where(Partnership.id.in_(viewer.partnership_ids))
    order = (Partnership.signed_on.desc(), Partnership.id)
    rows, total = paged(session, query, order_by=order, limit=limit, offset=offset)
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
    data = merged(PartnershipIn, partnership, patch, partnership_service.DERIVED)
    partnership_service.update_partnership(session, partnership=partnership, data=data, version=patch.version)
    session.commit()
    return _partnership_out(partnership)


@router.get("/areas", response_model=Page[AreaProgressOut], tags=["areas"], summary="List cooperation areas")
def list_areas(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    limit: Limit = 50,
    offset: Offset = 0,
    partnership: PartnershipFilter = None,
):
    query = select(CooperationArea)
    scope = listing_scope(session, viewer, partnership)
    if scope is not None:
        query = query.where(CooperationArea.partnership_id.in_(list(scope)))
    order = (CooperationArea.partnership_id, CooperationArea.number)
    rows, total = paged(session, query, order_by=order, limit=limit, offset=offset)
    return Page(items=_with_progress(request, session, list(rows)), total=total, limit=limit, offset=offset)


@router.get("/areas/{area_id}", response_model=AreaProgressOut, tags=["areas"], summary="One cooperation area")
def get_area(area_id: PathId, request: Request, session: SessionDep, viewer: ViewerDep):
    area = partnership_service.get_area_or_404(session, area_id=area_id, viewer=viewer)
    return _with_progress(request, session, [area])[0]


@router.post(
    "/areas", response_model=AreaOut, status_code=status.HTTP_201_CREATED, tags=["areas"], summary="Add an area"
)
def create_area(data: AreaIn, session: SessionDep, _admin: AdminDep):
    area = partnership_service.save_area(session, area=CooperationArea(), data=data)
    session.commit()
    return AreaOut.model_validate(area, from_attributes=True)


@router.patch("/areas/{area_id}", response_model=AreaOut, tags=["areas"], summary="Change an area")
def update_area(area_id: PathId, patch: AreaPatch, session: SessionDep, _admin: AdminDep):
    area = partnership_service.get_area_or_404(session, area_id=area_id)
    data = merged(AreaIn, area, patch)
    partnership_service.update_area(session, area=area, data=data, version=patch.version)
    session.commit()
    return AreaOut.model_validate(area, from_attributes=True)


class OrganizationOut(BaseModel):
    """An organization: a party to partnerships, an organizer, an owner's employer."""

    id: int
    acronym: str
    name_en: str | None
    name_es: str | None
    country: str
    timezone: str


@router.get(
    "/organizations", response_model=list[OrganizationOut], tags=["organizations"], summary="List organizations"
)
def list_organizations(session: SessionDep, viewer: ViewerDep):
    found = partnership_service.list_organizations(session, viewer.partnership_ids)
    return [OrganizationOut.model_validate(o, from_attributes=True) for o in found]

"""JSON API for deliverables."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, status

from tracker.api import IdFilter, Limit, Offset, Page, PartnershipFilter, PathId, SlugParam, listing_scope, merged
from tracker.auth import ManagerDep, ViewerDep
from tracker.db import SessionDep
from tracker.deliverables import service as deliverable_service
from tracker.deliverables.schemas import DeliverableIn, DeliverableOut, DeliverablePatch, StatusIn
from tracker.deliverables.service import DeliverableFilter
from tracker.models import DeliverableStatus
from tracker.partnerships import service as partnership_service
from tracker.templating import today_for

router = APIRouter(tags=["deliverables"])


def _out(session, deliverable) -> DeliverableOut:
    slug = deliverable_service.deliverable_partnership(session, deliverable).slug
    return deliverable_service.to_out(deliverable, slug)


def _saved(session, deliverable) -> DeliverableOut:
    """Commit what the request changed; the deliverable as it now is."""
    session.commit()
    return _out(session, deliverable)


@router.get("/deliverables", response_model=Page[DeliverableOut], summary="List deliverables, earliest due first")
def list_deliverables(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    limit: Limit = 50,
    offset: Offset = 0,
    partnership: PartnershipFilter = None,
    area: IdFilter = None,
    status_: Annotated[DeliverableStatus | None, Query(alias="status")] = None,
    owner: IdFilter = None,
    overdue: bool = False,
    q: Annotated[str | None, Query(max_length=200)] = None,
):
    rows, total = deliverable_service.list_deliverables(
        session,
        partnership_ids=listing_scope(session, viewer, partnership),
        filters=DeliverableFilter(area, status_, owner, overdue, q),
        today=today_for(request),
        limit=limit,
        offset=offset,
    )
    return Page(items=[_out(session, d) for d in rows], total=total, limit=limit, offset=offset)


@router.get("/deliverables/{deliverable_id}", response_model=DeliverableOut, summary="One deliverable")
def get_deliverable(deliverable_id: PathId, session: SessionDep, viewer: ViewerDep):
    return _out(session, deliverable_service.get_deliverable_or_404(session, deliverable_id, viewer))


@router.post(
    "/partnerships/{slug}/deliverables",
    response_model=DeliverableOut,
    status_code=status.HTTP_201_CREATED,
    summary="Add a deliverable (status: not started)",
)
def create_deliverable(slug: SlugParam, data: DeliverableIn, session: SessionDep, viewer: ManagerDep):
    partnership = partnership_service.get_partnership_or_404(session, slug, viewer)
    deliverable = deliverable_service.create_deliverable(session, partnership=partnership, data=data)
    return _saved(session, deliverable)


@router.patch("/deliverables/{deliverable_id}", response_model=DeliverableOut, summary="Change a deliverable")
def update_deliverable(deliverable_id: PathId, patch: DeliverablePatch, session: SessionDep, viewer: ManagerDep):
    deliverable = deliverable_service.get_deliverable_or_404(session, deliverable_id, viewer)
    data = merged(DeliverableIn, deliverable, patch, deliverable_service.DERIVED)
    deliverable_service.update_deliverable(session, deliverable=deliverable, data=data, version=patch.version)
    return _saved(session, deliverable)


@router.post(
    "/deliverables/{deliverable_id}/status",
    response_model=DeliverableOut,
    summary="Move a deliverable along its workflow (409 when the move is not allowed)",
)
def change_status(deliverable_id: PathId, data: StatusIn, request: Request, session: SessionDep, viewer: ManagerDep):
    deliverable = deliverable_service.get_deliverable_or_404(session, deliverable_id, viewer)
    deliverable_service.change_status(session, deliverable=deliverable, data=data, today=today_for(request))
    return _saved(session, deliverable)


@router.delete("/deliverables/{deliverable_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete a deliverable")
def delete_deliverable(deliverable_id: PathId, session: SessionDep, viewer: ManagerDep):
    deliverable_service.delete_deliverable(
        session, deliverable=deliverable_service.get_deliverable_or_404(session, deliverable_id, viewer)
    )
    session.commit()

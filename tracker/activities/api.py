"""JSON API for activities."""

from typing import Annotated

from fastapi import APIRouter, Body, Query, Request, status

from tracker.activities import actions as activity_actions
from tracker.activities import service as activity_service
from tracker.activities.schemas import ActivityIn, ActivityOut, ActivityPatch, HeldIn, PostponeIn, ReasonIn
from tracker.activities.service import ActivityFilter
from tracker.api import IdFilter, Limit, Offset, Page, PartnershipFilter, PathId, SlugParam, listing_scope, merged
from tracker.auth import ManagerDep, ViewerDep
from tracker.db import SessionDep
from tracker.models import ActivityKind, ActivityStatus, utcnow
from tracker.partnerships import service as partnership_service
from tracker.validation import Day

router = APIRouter(tags=["activities"])
# The body of an action that asks why: {"reason": "…"}, kept in the activity's history.
ReasonBody = Annotated[ReasonIn | None, Body()]


def _out(session, activity) -> ActivityOut:
    return activity_service.to_out(activity, activity_service.activity_partnership(session, activity).slug)


def _saved(session, activity) -> ActivityOut:
    """Commit what the request changed; the activity as it now is."""
    session.commit()
    return _out(session, activity)


@router.get("/activities", response_model=Page[ActivityOut], summary="List activities, soonest first")
def list_activities(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    limit: Limit = 50,
    offset: Offset = 0,
    partnership: PartnershipFilter = None,
    area: IdFilter = None,
    kind: ActivityKind | None = None,
    status_: Annotated[ActivityStatus | None, Query(alias="status")] = None,
    date_from: Annotated[Day | None, Query(alias="from", description="Ending on or after (UTC day)")] = None,
    date_to: Annotated[Day | None, Query(alias="to", description="Starting on or before (UTC day)")] = None,
    q: Annotated[str | None, Query(max_length=200, description="Text in title, summary or venue")] = None,
):
    rows, total = activity_service.list_activities(
        session,
        partnership_ids=listing_scope(session, viewer, partnership),
        filters=ActivityFilter(area, kind, status_, date_from, date_to, q),
        zone="UTC",
        limit=limit,
        offset=offset,
    )
    return Page(items=[_out(session, a) for a in rows], total=total, limit=limit, offset=offset)


@router.get("/activities/{activity_id}", response_model=ActivityOut, summary="One activity")
def get_activity(activity_id: PathId, session: SessionDep, viewer: ViewerDep):
    return _out(session, activity_service.get_activity_or_404(session, activity_id, viewer))


@router.post(
    "/partnerships/{slug}/activities",
    response_model=ActivityOut,
    status_code=status.HTTP_201_CREATED,
    summary="Log a new activity (status: planned)",
)
def create_activity(slug: SlugParam, data: ActivityIn, session: SessionDep, viewer: ManagerDep):
    found = partnership_service.get_partnership_or_404(session, slug, viewer)
    activity = activity_service.create_activity(session, partnership=found, data=data)
    return _saved(session, activity)


@router.patch("/activities/{activity_id}", response_model=ActivityOut, summary="Change an activity's details")
def update_activity(activity_id: PathId, patch: ActivityPatch, session: SessionDep, viewer: ManagerDep):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    data = merged(ActivityIn, activity, patch, activity_service.DERIVED)
    activity_service.update_activity(session, activity=activity, data=data, version=patch.version)
    return _saved(session, activity)


@router.post("/activities/{activity_id}/confirm", response_model=ActivityOut, summary="Confirm a planned activity")
def confirm_activity(activity_id: PathId, session: SessionDep, viewer: ManagerDep):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    activity_actions.confirm(session, activity=activity)
    return _saved(session, activity)


@router.post(
    "/activities/{activity_id}/postpone",
    response_model=ActivityOut,
    summary="Move an activity to new dates, saying why",
)
def postpone_activity(activity_id: PathId, data: PostponeIn, session: SessionDep, viewer: ManagerDep):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    activity_actions.postpone(session, activity=activity, data=data)
    return _saved(session, activity)


def _reason(data: ReasonIn | None) -> str | None:
    # No body at all is refused like an empty one: on the `reason` field, not on the body.
    return data.reason if data is not None else None


@router.post("/activities/{activity_id}/cancel", response_model=ActivityOut, summary="Cancel an activity, saying why")
def cancel_activity(activity_id: PathId, session: SessionDep, viewer: ManagerDep, data: ReasonBody = None):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    activity_actions.cancel(session, activity=activity, reason=_reason(data))
    return _saved(session, activity)


@router.post(
    "/activities/{activity_id}/reopen",
    response_model=ActivityOut,
    summary="Reopen a cancelled activity, saying why (planned again, or postponed if it was)",
)
def reopen_activity(activity_id: PathId, session: SessionDep, viewer: ManagerDep, data: ReasonBody = None):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    activity_actions.reopen(session, activity=activity, reason=_reason(data))
    return _saved(session, activity)


@router.post(
    "/activities/{activity_id}/held", response_model=ActivityOut, summary="Mark an activity held, with outcomes"
)
def hold_activity(activity_id: PathId, data: HeldIn, session: SessionDep, viewer: ManagerDep):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    activity_actions.mark_held(session, activity=activity, data=data, now=utcnow())
    return _saved(session, activity)


@router.post(
    "/activities/{activity_id}/undo-held",
    response_model=ActivityOut,
    summary="Undo “held”, saying why: confirmed again, its outcomes cleared",
)
def undo_held_activity(activity_id: PathId, session: SessionDep, viewer: ManagerDep, data: ReasonBody = None):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    activity_actions.undo_held(session, activity=activity, reason=_reason(data))
    return _saved(session, activity)


@router.delete("/activities/{activity_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete an activity")
def delete_activity(activity_id: PathId, session: SessionDep, viewer: ManagerDep):
    activity_service.delete_activity(
        session, activity=activity_service.get_activity_or_404(session, activity_id, viewer)
    )
    session.commit()

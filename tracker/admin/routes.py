"""Administration pages: the home page, publication and shared addresses, and the audit trail."""

import secrets
from datetime import date, datetime, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from pydantic import Field
from sqlmodel import Session

from tracker.audit import service as audit_service
from tracker.audit.service import AuditFilter
from tracker.auth import AdminDep
from tracker.db import SessionDep
from tracker.forms import FormDep
from tracker.labels import ENTITIES
from tracker.pages import PAGE_SIZE, ListQuery, list_page, parse_query
from tracker.partnerships import service as partnership_service
from tracker.templating import render, viewer_zone
from tracker.times import day_start
from tracker.validation import MAX_ID, Day

router = APIRouter(prefix="/admin", include_in_schema=False)


@router.get("", name="admin")
def admin_home(request: Request, session: SessionDep, _admin: AdminDep):
    return render(request, "admin/index.html", {"partnerships": partnership_service.list_partnerships(session)})


@router.post("/partnerships/{slug}/publication", name="admin_publication")
def publication(slug: str, request: Request, session: SessionDep, form: FormDep, _admin: AdminDep):
    partnership = partnership_service.get_partnership_or_404(session, slug)
    partnership.published = form.get("published") == "on"
    session.commit()
    return RedirectResponse("/admin", status_code=303)


# Secret addresses an admin shares: the calendar feeds and the public progress page.
SHARED = {"calendar": "calendar_token", "public": "public_token"}


def _set_address(session: Session, slug: str, what: str, token: str | None):
    """Give a shared page a new secret address (the old one stops at once), or none."""
    partnership = partnership_service.get_partnership_or_404(session, slug)
    setattr(partnership, SHARED[what], token)
    session.commit()
    return RedirectResponse("/admin", status_code=303)


@router.post("/partnerships/{slug}/calendar", name="admin_calendar_token")
def share_feed(slug: str, session: SessionDep, _admin: AdminDep):
    return _set_address(session, slug, "calendar", secrets.token_urlsafe(24))


@router.post("/partnerships/{slug}/calendar/revoke", name="admin_calendar_revoke")
def revoke_feed(slug: str, session: SessionDep, _admin: AdminDep):
    return _set_address(session, slug, "calendar", None)


@router.post("/partnerships/{slug}/public", name="admin_public_token")
def share_public_page(slug: str, session: SessionDep, _admin: AdminDep):
    return _set_address(session, slug, "public", secrets.token_urlsafe(24))


@router.post("/partnerships/{slug}/public/revoke", name="admin_public_revoke")
def revoke_public_page(slug: str, session: SessionDep, _admin: AdminDep):
    return _set_address(session, slug, "public", None)


class AuditQuery(ListQuery):
    """The audit page's filters."""

    person: int | None = Field(None, ge=1, le=MAX_ID)
    kind: str | None = Field(None, max_length=40)
    date_from: Day | None = None
    date_to: Day | None = None


@router.get("/audit", name="admin_audit")
def audit_page(request: Request, session: SessionDep, _admin: AdminDep):
    query, errors = parse_query(request, AuditQuery)
    zone = viewer_zone(request) or request.app.state.settings.default_timezone

    def bound(day: date | None) -> datetime | None:
        return day_start(day, zone) if day else None

    events, total = audit_service.recent(
        session,
        filters=AuditFilter(query.person, query.kind if query.kind in ENTITIES else None),
        start=bound(query.date_from),
        end=bound(query.date_to + timedelta(days=1)) if query.date_to else None,
        limit=PAGE_SIZE,
        offset=query.offset,
    )
    context = {"events": events, "actors": audit_service.actors(session), "entities": list(ENTITIES)}
    return list_page(request, "admin/audit", query, total, context, errors)

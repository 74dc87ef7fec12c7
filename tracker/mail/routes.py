"""Pages: the Outbox (every email, for administrators; a partnership's, read-only, for its managers)
and the preview of one message as it will be sent."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import Field
from sqlmodel import Session, func, select

from tracker.api import PathId
from tracker.auth import AdminDep, ManagerDep, Viewer
from tracker.db import SessionDep
from tracker.errors import NotFound
from tracker.labels import MAIL_KINDS
from tracker.mail import outbox
from tracker.mail.preview import preview
from tracker.models import OutboxMessage, Partnership, utcnow
from tracker.pages import PAGE_SIZE, ListQuery, list_page, parse_query
from tracker.paging import paged
from tracker.partnerships import service as partnership_service
from tracker.templating import render

router = APIRouter(include_in_schema=False)
STATUSES = ("pending", "sending", "sent", "written", "failed", "dropped")
# The HTML part, shown in a frame of the preview page: no script, no form, no request anywhere, ever.
BODY_POLICY = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"


class OutboxQuery(ListQuery):
    """The Outbox's filters."""

    status: str | None = Field(None, max_length=12)
    kind: str | None = Field(None, max_length=24)


def _listing(request: Request, session: Session, partnership: Partnership | None):
    query, errors = parse_query(request, OutboxQuery)
    scope = [] if partnership is None else [OutboxMessage.partnership_id == partnership.id]
    statement = select(OutboxMessage).where(*scope)
    if query.status in STATUSES:
        statement = statement.where(OutboxMessage.status == query.status)
    if query.kind in MAIL_KINDS:
        statement = statement.where(OutboxMessage.kind == query.kind)
    rows, total = paged(session, statement, order_by=(OutboxMessage.id.desc(),), limit=PAGE_SIZE, offset=query.offset)
    counts = dict(
        session.exec(select(OutboxMessage.status, func.count()).where(*scope).group_by(OutboxMessage.status)).all()
    )
    context = {
        "messages": rows,
        "statuses": STATUSES,
        "kinds": list(MAIL_KINDS),
        "counts": counts,
        "partnership": partnership,
        "scoped": partnership is not None,
        "action": f"/partnerships/{partnership.slug}/outbox" if partnership else "/admin/outbox",
    }
    return list_page(request, "mail/outbox", query, total, context, errors)


@router.get("/admin/outbox", name="admin_outbox")
def outbox_page(request: Request, session: SessionDep, _admin: AdminDep):
    return _listing(request, session, None)


@router.get("/partnerships/{slug}/outbox", name="partnership_outbox")
def partnership_outbox(slug: str, request: Request, session: SessionDep, viewer: ManagerDep):
    return _listing(request, session, partnership_service.get_partnership_or_404(session, slug, viewer))


@router.post("/admin/outbox/{message_id}/retry", name="admin_outbox_retry")
def outbox_retry(message_id: PathId, request: Request, session: SessionDep, _admin: AdminDep):
    outbox.retry(session, message_id=message_id, now=utcnow())
    session.commit()
    return RedirectResponse("/admin/outbox", status_code=303)


def _message_or_404(session: Session, message_id: int, viewer: Viewer) -> OutboxMessage:
    """A message the viewer may read: any, for administrators; their partnerships', for managers."""
    message = session.get(OutboxMessage, message_id)
    visible = message is not None and (
        viewer.is_admin or (message.partnership_id is not None and viewer.can_see(message.partnership_id))
    )
    if not visible:
        raise NotFound()
    return message


@router.get("/outbox/{message_id}", name="outbox_message")
def message_page(message_id: PathId, request: Request, session: SessionDep, viewer: ManagerDep):
    message = _message_or_404(session, message_id, viewer)
    partnership = session.get(Partnership, message.partnership_id) if message.partnership_id else None
    context = {"message": message, "preview": preview(message), "partnership": partnership}
    return render(request, "mail/message.html", context)


@router.get("/outbox/{message_id}/body.html", name="outbox_message_html")
def message_html(message_id: PathId, session: SessionDep, viewer: ManagerDep):
    shown = preview(_message_or_404(session, message_id, viewer))
    if shown is None or shown.html is None:
        raise NotFound()
    headers = {"Content-Security-Policy": BODY_POLICY, "X-Frame-Options": "SAMEORIGIN", "Cache-Control": "no-store"}
    return HTMLResponse(shown.html, headers=headers)

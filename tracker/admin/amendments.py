"""Administration: a partnership's term and its amendments (record one, remove the latest after a
confirmation page). Amended areas are edited with the areas themselves, not here."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlmodel import Session

from tracker.api import SlugParam
from tracker.auth import AdminDep
from tracker.confirming import confirm_page
from tracker.db import SessionDep
from tracker.errors import Conflict, NotFound
from tracker.forms import FormDep, form_values
from tracker.i18n import N_, request_language
from tracker.models import Amendment, Partnership
from tracker.partnerships import service as partnership_service
from tracker.steering import amendments as amendment_service
from tracker.steering.forms import AmendmentIn, RemovalIn, field_messages
from tracker.templating import gettext_of, render, today_for
from tracker.times import long_date
from tracker.validation import FieldErrors, collect

router = APIRouter(prefix="/admin", include_in_schema=False)
NO_AMENDMENT = N_("This MOU has no amendment to remove.")
NOT_LATEST = N_(
    "The amendments changed while you were deciding: only the latest one can be removed. Look at the list again."
)
REMOVE_TITLE = N_("Remove the latest amendment?")
REMOVE_BUTTON = N_("Remove the amendment")
REMOVED = N_("The amendment signed on %(signed)s is removed; the audit trail keeps it.")
RESTORED = N_(
    "The term ends on %(previous)s again (it ends on %(current)s now): the overview, the timeline and the "
    "statuses follow."
)
SAVED = ("recorded", "removed")


def _url(partnership: Partnership, saved: str | None = None) -> str:
    return f"/admin/partnerships/{partnership.slug}/amendments" + (f"?saved={saved}" if saved else "")


def _page(request: Request, session: Session, partnership: Partnership, status=200, values=None, errors=None):
    listed = amendment_service.amendments(session, partnership=partnership)
    latest = amendment_service.latest(session, partnership=partnership)
    after_end = amendment_service.after_end(session, partnership=partnership, ends_on=partnership.ends_on)
    saved = request.query_params.get("saved")
    context = {
        "partnership": partnership,
        "amendments": listed,
        "latest": latest,
        "original_end": min(listed, key=lambda a: a.id).previous_ends_on if listed else partnership.ends_on,
        "after_end": after_end,
        "values": values if values is not None else {"current_end": partnership.ends_on.isoformat()},
        "errors": errors or {},
        "saved": saved if saved in SAVED else None,
    }
    return render(request, "admin/amendments.html", context, status)


@router.get("/partnerships/{slug}/amendments", name="admin_amendments")
def amendments_page(slug: SlugParam, request: Request, session: SessionDep, _admin: AdminDep):
    partnership = partnership_service.get_partnership_or_404(session, slug)
    return _page(request, session, partnership)


@router.post("/partnerships/{slug}/amendments", name="admin_amendment_add")
def amendment_add(slug: SlugParam, request: Request, session: SessionDep, form: FormDep, _admin: AdminDep):
    partnership = partnership_service.get_partnership_or_404(session, slug)
    values = form_values(form, AmendmentIn) | {"current_end": form.get("current_end") or ""}
    language = request_language(request)
    if values["current_end"] and values["current_end"] != partnership.ends_on.isoformat():
        # Someone recorded or removed an amendment since this form was opened: the new end would rest on
        # a term the admin has not seen.
        errors = field_messages({"ends_on": ("term_changed", {"end": partnership.ends_on})}, language)
        values["current_end"] = partnership.ends_on.isoformat()
        return _page(request, session, partnership, 409, values, errors)
    try:
        data = amendment_service.validated(session, partnership=partnership, values=values, today=today_for(request))
    except FieldErrors as exc:
        return _page(request, session, partnership, 422, values, field_messages(collect(exc), language))
    amendment_service.record(session, partnership=partnership, data=data)
    session.commit()
    return RedirectResponse(_url(partnership, "recorded"), status_code=303)


def _latest_or_404(session: Session, partnership: Partnership) -> Amendment:
    latest = amendment_service.latest(session, partnership=partnership)
    if latest is None:
        raise NotFound(NO_AMENDMENT)
    return latest


def _confirm(request: Request, partnership: Partnership, latest: Amendment, values=None, errors=None):
    gettext, language = gettext_of(request), request_language(request)
    previous, current = long_date(latest.previous_ends_on, language), long_date(partnership.ends_on, language)
    consequences = [
        gettext(REMOVED) % {"signed": long_date(latest.signed_on, language)},
        gettext(RESTORED) % {"previous": previous, "current": current},
    ]
    return confirm_page(
        request,
        title=gettext(REMOVE_TITLE),
        consequences=consequences,
        action=f"/admin/partnerships/{partnership.slug}/amendments/remove",
        back=_url(partnership),
        submit=gettext(REMOVE_BUTTON),
        reason=True,
        values=values,
        errors=errors,
        hidden={"amendment_id": str(latest.id)},
        partnership=partnership,
    )


@router.get("/partnerships/{slug}/amendments/remove", name="admin_amendment_remove_page")
def amendment_remove_page(slug: SlugParam, request: Request, session: SessionDep, _admin: AdminDep):
    partnership = partnership_service.get_partnership_or_404(session, slug)
    return _confirm(request, partnership, _latest_or_404(session, partnership))


@router.post("/partnerships/{slug}/amendments/remove", name="admin_amendment_remove")
def amendment_remove(slug: SlugParam, request: Request, session: SessionDep, form: FormDep, _admin: AdminDep):
    partnership = partnership_service.get_partnership_or_404(session, slug)
    latest = _latest_or_404(session, partnership)
    if form.get("amendment_id") != str(latest.id):
        raise Conflict(NOT_LATEST)
    values = form_values(form, RemovalIn)
    try:
        data = RemovalIn.model_validate(values)
    except ValidationError as exc:
        errors = field_messages(collect(exc), request_language(request))
        return _confirm(request, partnership, latest, values, errors)
    amendment_service.remove(session, partnership=partnership, amendment=latest, reason=data.reason)
    session.commit()
    return RedirectResponse(_url(partnership, "removed"), status_code=303)

"""Pages: the deliverable list, a deliverable, its form and its status changes."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from pydantic import Field, ValidationError
from sqlmodel import Session, select

from tracker.api import PathId
from tracker.auth import ManagerDep, ViewerDep
from tracker.confirming import confirm_page
from tracker.db import SessionDep
from tracker.deliverables import service as deliverable_service
from tracker.deliverables.schemas import DeliverableIn, StatusIn
from tracker.deliverables.service import DeliverableFilter
from tracker.documents import sections as document_sections
from tracker.documents.service import of_deliverable
from tracker.forms import FormDep, display_values, form_values, submitted_version
from tracker.i18n import N_, localized, request_language, translate
from tracker.models import Activity, Deliverable, DeliverableStatus, Partnership, utcnow
from tracker.pages import PAGE_SIZE, ListQuery, form_page, list_page, parse_query, save_form, saved
from tracker.partnerships import service as partnership_service
from tracker.people import service as people_service
from tracker.reminders.planner import item_reminders
from tracker.templating import gettext_of, is_htmx, render, today_for
from tracker.validation import MAX_ID, FieldErrors, messages

router = APIRouter(include_in_schema=False)


class DeliverableQuery(ListQuery):
    """The deliverable list's filters."""

    area: int | None = Field(None, ge=1, le=MAX_ID)
    status: DeliverableStatus | None = None
    overdue: bool = False


@router.get("/partnerships/{slug}/deliverables", name="deliverables")
def deliverable_list(slug: str, request: Request, session: SessionDep, viewer: ViewerDep):
    partnership = partnership_service.get_partnership_or_404(session, slug, viewer)
    query, errors = parse_query(request, DeliverableQuery)
    today = today_for(request)
    rows, total = deliverable_service.list_deliverables(
        session,
        partnership_ids=[partnership.id],
        filters=DeliverableFilter(query.area, query.status, None, query.overdue, query.search),
        today=today,
        limit=PAGE_SIZE,
        offset=query.offset,
    )
    context = {
        "partnership": partnership,
        "deliverables": rows,
        "statuses": list(DeliverableStatus),
        "today": today,
        "is_overdue": deliverable_service.is_overdue,
    }
    return list_page(request, "deliverables", query, total, context, errors)


def _form_context(session: Session, partnership: Partnership, values: dict, errors: dict, deliverable=None) -> dict:
    return {
        "partnership": partnership,
        "deliverable": deliverable,
        "values": values,
        "errors": errors,
        "organizations": partnership_service.list_organizations(session),
        "people": people_service.all_people(session),
        "activities": list(
            session.exec(select(Activity).where(Activity.partnership_id == partnership.id).order_by(Activity.starts_at))
        ),
    }


def _page_of(request: Request):
    return lambda deliverable: request.url_for("deliverable", deliverable_id=deliverable.id).path


@router.get("/partnerships/{slug}/deliverables/new", name="deliverable_new")
def deliverable_new(slug: str, request: Request, session: SessionDep, viewer: ManagerDep):
    partnership = partnership_service.get_partnership_or_404(session, slug, viewer)
    values = {"area_id": request.query_params.get("area", "")}
    return form_page(request, "deliverables", _form_context(session, partnership, values, {}))


@router.post("/partnerships/{slug}/deliverables", name="deliverable_create")
def deliverable_create(slug: str, request: Request, session: SessionDep, form: FormDep, viewer: ManagerDep):
    partnership = partnership_service.get_partnership_or_404(session, slug, viewer)
    values = form_values(form, DeliverableIn)

    def save():
        data = deliverable_service.validated(session, partnership=partnership, deliverable=None, values=values)
        return deliverable_service.create_deliverable(session, partnership=partnership, data=data)

    return save_form(
        request,
        session,
        "deliverables",
        save=save,
        context=lambda errors: _form_context(session, partnership, values, errors),
        url=_page_of(request),
    )


def _detail_context(session: Session, deliverable: Deliverable, request: Request, **extra) -> dict:
    return {
        "deliverable": deliverable,
        "partnership": deliverable_service.deliverable_partnership(session, deliverable),
        "next_statuses": deliverable_service.next_statuses(deliverable),
        "overdue": deliverable_service.is_overdue(deliverable, today_for(request)),
        "today": today_for(request),
        "errors": extra.get("errors", {}),
        "values": extra.get("values", {}),
        "notice": extra.get("notice"),
        "documents": document_sections.section(session, parent=of_deliverable(deliverable)),
        "history": document_sections.history(session, parent=of_deliverable(deliverable)),
        "reminders": item_reminders(
            session,
            item_type="deliverable",
            item=deliverable,
            partnership_id=deliverable.area.partnership_id,
            now=utcnow(),
        ),
    }


@router.get("/deliverables/{deliverable_id}", name="deliverable")
def deliverable_page(deliverable_id: PathId, request: Request, session: SessionDep, viewer: ViewerDep):
    deliverable = deliverable_service.get_deliverable_or_404(session, deliverable_id, viewer)
    return render(request, "deliverables/detail.html", _detail_context(session, deliverable, request))


@router.get("/deliverables/{deliverable_id}/edit", name="deliverable_edit")
def deliverable_edit(deliverable_id: PathId, request: Request, session: SessionDep, viewer: ManagerDep):
    deliverable = deliverable_service.get_deliverable_or_404(session, deliverable_id, viewer)
    partnership = deliverable_service.deliverable_partnership(session, deliverable)
    values = display_values(deliverable_service.to_input(deliverable)) | {"version": str(deliverable.version)}
    return form_page(request, "deliverables", _form_context(session, partnership, values, {}, deliverable))


@router.post("/deliverables/{deliverable_id}/edit", name="deliverable_update")
def deliverable_update(
    deliverable_id: PathId, request: Request, session: SessionDep, form: FormDep, viewer: ManagerDep
):
    deliverable = deliverable_service.get_deliverable_or_404(session, deliverable_id, viewer)
    partnership = deliverable_service.deliverable_partnership(session, deliverable)
    values = form_values(form, DeliverableIn)
    return save_form(
        request,
        session,
        "deliverables",
        save=lambda: deliverable_service.edit_deliverable(
            session, deliverable=deliverable, values=values, version=submitted_version(form)
        ),
        context=lambda errors: _form_context(session, partnership, values, errors, deliverable),
        url=_page_of(request),
    )


@router.post("/deliverables/{deliverable_id}/status", name="deliverable_status")
def deliverable_status(
    deliverable_id: PathId, request: Request, session: SessionDep, form: FormDep, viewer: ManagerDep
):
    deliverable = deliverable_service.get_deliverable_or_404(session, deliverable_id, viewer)
    values = form_values(form, StatusIn)
    template = "deliverables/_status.html" if is_htmx(request) else "deliverables/detail.html"
    try:
        deliverable_service.change_status(
            session, deliverable=deliverable, data=StatusIn.model_validate(values), today=today_for(request)
        )
    except (ValidationError, FieldErrors) as exc:
        session.rollback()
        deliverable = deliverable_service.get_deliverable_or_404(session, deliverable_id)
        context = _detail_context(
            session, deliverable, request, errors=messages(exc, gettext_of(request)), values=values
        )
        return render(request, template, context, 422)
    session.commit()
    if is_htmx(request):
        return render(request, template, _detail_context(session, deliverable, request, notice=deliverable.status))
    return RedirectResponse(request.url_for("deliverable", deliverable_id=deliverable.id).path, status_code=303)


DELETING = {
    "title": N_("Delete the deliverable “{title}”?"),
    "consequences": (
        N_("The deliverable will be removed."),
        N_("Its pending reminders are dropped; those already sent stay in its history."),
        N_("Its history stays in the audit trail; this cannot be undone."),
    ),
    "submit": N_("Delete the deliverable"),
}


@router.get("/deliverables/{deliverable_id}/delete", name="deliverable_delete_confirm")
def deliverable_delete_confirm(deliverable_id: PathId, request: Request, session: SessionDep, viewer: ManagerDep):
    deliverable = deliverable_service.get_deliverable_or_404(session, deliverable_id, viewer)
    language = request_language(request)
    title = localized(deliverable, "title", language)
    return confirm_page(
        request,
        title=translate(DELETING["title"], {"title": title}, language),
        consequences=[translate(line, {}, language) for line in DELETING["consequences"]],
        submit=translate(DELETING["submit"], {}, language),
        action=f"/deliverables/{deliverable.id}/delete",
        back=f"/deliverables/{deliverable.id}",
        partnership=deliverable_service.deliverable_partnership(session, deliverable),
    )


@router.post("/deliverables/{deliverable_id}/delete", name="deliverable_delete")
def deliverable_delete(deliverable_id: PathId, request: Request, session: SessionDep, viewer: ManagerDep):
    deliverable = deliverable_service.get_deliverable_or_404(session, deliverable_id, viewer)
    slug = deliverable_service.deliverable_partnership(session, deliverable).slug
    deliverable_service.delete_deliverable(session, deliverable=deliverable)
    session.commit()
    return saved(request, f"/partnerships/{slug}/deliverables")

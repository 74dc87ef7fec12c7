"""Pages: the deliverable list, a deliverable, its form and its status changes."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, ValidationError, field_validator
from sqlmodel import Session

from tracker.auth import EditorDep
from tracker.api import PathId
from tracker.db import SessionDep
from tracker.deliverables import service as deliverable_service
from tracker.deliverables.schemas import DeliverableIn, StatusIn
from tracker.deliverables.service import DeliverableFilter
from tracker.forms import FormDep, display_values, form_values
from tracker.models import Activity, Deliverable, DeliverableStatus, Partnership
from tracker.partnerships import service as partnership_service
from tracker.people import service as people_service
from tracker.templating import gettext_of, is_htmx, render, today_for
from tracker.validation import FieldErrors, messages, validate_all
from sqlmodel import select

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 25


class DeliverableQuery(BaseModel):
    """The list's filters as they arrive in the query string."""

    area: int | None = None
    status: DeliverableStatus | None = None
    overdue: bool = False
    q: str | None = None
    page: int = 1

    @field_validator("*", mode="before")
    @classmethod
    def _blank(cls, value):
        return None if value == "" else value


@router.get("/partnerships/{slug}/deliverables", name="deliverables")
def deliverable_list(slug: str, request: Request, session: SessionDep):
    partnership = partnership_service.get_partnership_or_404(session, slug)
    raw = {k: v for k, v in request.query_params.items() if k in DeliverableQuery.model_fields}
    try:
        query, errors = DeliverableQuery.model_validate(raw), {}
    except ValidationError as exc:
        errors = messages(exc, gettext_of(request))
        query = DeliverableQuery.model_validate({k: v for k, v in raw.items() if k not in errors})
    page = max(query.page, 1)
    today = today_for(request)
    rows, total = deliverable_service.list_deliverables(
        session,
        partnership=partnership,
        filters=DeliverableFilter(query.area, query.status, None, query.overdue, (query.q or "").strip()[:200] or None),
        today=today,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
    )
    context = {
        "partnership": partnership,
        "deliverables": rows,
        "total": total,
        "page": page,
        "pages": max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        "filters": {k: ("" if v is None else str(getattr(v, "value", v))) for k, v in query.model_dump().items()},
        "errors": errors,
        "statuses": list(DeliverableStatus),
        "today": today,
        "is_overdue": deliverable_service.is_overdue,
    }
    template = "deliverables/_results.html" if is_htmx(request) else "deliverables/list.html"
    return render(request, template, context, 422 if errors and not is_htmx(request) else 200)


def _validated(session: Session, partnership: Partnership, deliverable, values: dict) -> DeliverableIn:
    """The form's input, with every parse and rule error reported together."""

    def rules(parsed: dict) -> dict:
        return deliverable_service.check_rules(session, partnership=partnership, deliverable=deliverable, fields=parsed)

    return validate_all(DeliverableIn, values, rules)


def _form_context(session: Session, partnership: Partnership, values: dict, errors: dict, deliverable=None) -> dict:
    return {
        "partnership": partnership,
        "deliverable": deliverable,
        "values": values,
        "errors": errors,
        "organizations": partnership_service.list_organizations(session),
        "people": people_service.all_people(session),
        "activities": list(
            session.exec(
                select(Activity).where(Activity.partnership_id == partnership.id).order_by(Activity.starts_at)
            )
        ),
    }


def _form_response(request: Request, context: dict, status: int):
    template = "deliverables/_form.html" if is_htmx(request) else "deliverables/form.html"
    return render(request, template, context, status)


def _saved(request: Request, deliverable: Deliverable):
    url = request.url_for("deliverable", deliverable_id=deliverable.id).path
    if is_htmx(request):
        return render(request, "empty.html", {}, 200, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


@router.get("/partnerships/{slug}/deliverables/new", name="deliverable_new")
def deliverable_new(slug: str, request: Request, session: SessionDep, _editor: EditorDep):
    partnership = partnership_service.get_partnership_or_404(session, slug)
    values = {"area_id": request.query_params.get("area", "")}
    return render(request, "deliverables/form.html", _form_context(session, partnership, values, {}))


@router.post("/partnerships/{slug}/deliverables", name="deliverable_create")
def deliverable_create(slug: str, request: Request, session: SessionDep, form: FormDep, _editor: EditorDep):
    partnership = partnership_service.get_partnership_or_404(session, slug)
    values = form_values(form, DeliverableIn)
    try:
        deliverable = deliverable_service.create_deliverable(
            session, partnership=partnership, data=_validated(session, partnership, None, values)
        )
    except (ValidationError, FieldErrors) as exc:
        session.rollback()
        context = _form_context(session, partnership, values, messages(exc, gettext_of(request)))
        return _form_response(request, context, 422)
    session.commit()
    return _saved(request, deliverable)


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
    }


@router.get("/deliverables/{deliverable_id}", name="deliverable")
def deliverable_page(deliverable_id: PathId, request: Request, session: SessionDep):
    deliverable = deliverable_service.get_deliverable_or_404(session, deliverable_id)
    return render(request, "deliverables/detail.html", _detail_context(session, deliverable, request))


@router.get("/deliverables/{deliverable_id}/edit", name="deliverable_edit")
def deliverable_edit(deliverable_id: PathId, request: Request, session: SessionDep, _editor: EditorDep):
    deliverable = deliverable_service.get_deliverable_or_404(session, deliverable_id)
    partnership = deliverable_service.deliverable_partnership(session, deliverable)
    values = display_values(deliverable_service.to_input(deliverable))
    return render(request, "deliverables/form.html", _form_context(session, partnership, values, {}, deliverable))


@router.post("/deliverables/{deliverable_id}/edit", name="deliverable_update")
def deliverable_update(deliverable_id: PathId, request: Request, session: SessionDep, form: FormDep, _editor: EditorDep):
    deliverable = deliverable_service.get_deliverable_or_404(session, deliverable_id)
    partnership = deliverable_service.deliverable_partnership(session, deliverable)
    values = form_values(form, DeliverableIn)
    try:
        data = _validated(session, partnership, deliverable, values)
        deliverable_service.update_deliverable(session, deliverable=deliverable, data=data)
    except (ValidationError, FieldErrors) as exc:
        session.rollback()
        context = _form_context(session, partnership, values, messages(exc, gettext_of(request)), deliverable)
        return _form_response(request, context, 422)
    session.commit()
    return _saved(request, deliverable)


@router.post("/deliverables/{deliverable_id}/status", name="deliverable_status")
def deliverable_status(deliverable_id: PathId, request: Request, session: SessionDep, form: FormDep, _editor: EditorDep):
    deliverable = deliverable_service.get_deliverable_or_404(session, deliverable_id)
    values = form_values(form, StatusIn)
    template = "deliverables/_status.html" if is_htmx(request) else "deliverables/detail.html"
    try:
        deliverable_service.change_status(
            session, deliverable=deliverable, data=StatusIn.model_validate(values), today=today_for(request)
        )
    except (ValidationError, FieldErrors) as exc:
        session.rollback()
        deliverable = deliverable_service.get_deliverable_or_404(session, deliverable_id)
        context = _detail_context(session, deliverable, request, errors=messages(exc, gettext_of(request)), values=values)
        return render(request, template, context, 422)
    session.commit()
    if is_htmx(request):
        return render(request, template, _detail_context(session, deliverable, request, notice=deliverable.status))
    return RedirectResponse(request.url_for("deliverable", deliverable_id=deliverable.id).path, status_code=303)

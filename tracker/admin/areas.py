"""Administration: a partnership's cooperation areas (number, short name, names and descriptions in both
languages), edited and added one at a time. An area is never moved to another partnership here."""

from fastapi import APIRouter, Request
from sqlmodel import Session

from tracker.admin.partnerships import edit_url
from tracker.api import PathId, SlugParam
from tracker.audit import service as audit_service
from tracker.auth import AdminDep
from tracker.db import SessionDep
from tracker.editing import fields_of
from tracker.forms import FormDep, display_values, form_values, submitted_version
from tracker.models import CooperationArea, Partnership
from tracker.pages import form_page, save_form
from tracker.partnerships import service as partnership_service
from tracker.partnerships.schemas import AreaFields

router = APIRouter(prefix="/admin", include_in_schema=False)
FEATURE = "admin/partnerships/areas"


def _context(session: Session, partnership: Partnership, area: CooperationArea | None, values: dict, errors: dict):
    return {
        "partnership": partnership,
        "area": area,
        "values": values,
        "errors": errors,
        "history": audit_service.history(session, entity="area", entity_id=area.id) if area else None,
    }


def _next_number(partnership: Partnership) -> str:
    return str(max((a.number for a in partnership.areas), default=0) + 1)


@router.get("/partnerships/{slug}/areas/new", name="admin_area_new")
def area_new(slug: SlugParam, request: Request, session: SessionDep, _admin: AdminDep):
    partnership = partnership_service.get_partnership_or_404(session, slug)
    values = {"number": _next_number(partnership)}
    return form_page(request, FEATURE, _context(session, partnership, None, values, {}))


@router.post("/partnerships/{slug}/areas", name="admin_area_create")
def area_create(slug: SlugParam, request: Request, session: SessionDep, form: FormDep, _admin: AdminDep):
    partnership = partnership_service.get_partnership_or_404(session, slug)
    values = form_values(form, AreaFields)

    def save():
        data = partnership_service.validated_area(session, area_id=None, partnership_id=partnership.id, values=values)
        return partnership_service.save_area(session, area=CooperationArea(), data=data)

    return save_form(
        request,
        session,
        FEATURE,
        save=save,
        context=lambda errors: _context(session, partnership, None, values, errors),
        url=lambda _area: edit_url(partnership, "area") + "#areas-title",
    )


def _area_of(session: Session, slug: str, area_id: int) -> tuple[Partnership, CooperationArea]:
    partnership = partnership_service.get_partnership_or_404(session, slug)
    return partnership, partnership_service.get_area_or_404(session, area_id=area_id, partnership=partnership)


@router.get("/partnerships/{slug}/areas/{area_id}/edit", name="admin_area_edit")
def area_edit(slug: SlugParam, area_id: PathId, request: Request, session: SessionDep, _admin: AdminDep):
    partnership, area = _area_of(session, slug, area_id)
    values = display_values(fields_of(AreaFields, area)) | {"version": str(area.version)}
    return form_page(request, FEATURE, _context(session, partnership, area, values, {}))


@router.post("/partnerships/{slug}/areas/{area_id}/edit", name="admin_area_update")
def area_update(
    slug: SlugParam, area_id: PathId, request: Request, session: SessionDep, form: FormDep, _admin: AdminDep
):
    partnership, area = _area_of(session, slug, area_id)
    values = form_values(form, AreaFields)
    return save_form(
        request,
        session,
        FEATURE,
        save=lambda: partnership_service.edit_area(session, area=area, values=values, version=submitted_version(form)),
        context=lambda errors: _context(session, partnership, area, values, errors),
        url=lambda _area: edit_url(partnership, "area") + "#areas-title",
    )

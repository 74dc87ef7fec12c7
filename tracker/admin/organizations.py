"""Administration: the organizations that are parties to partnerships (and organize activities, employ
owners): acronym, names in both languages, country and time zone. A form opened from a partnership's
page returns there (`next`), where the new organization can be picked as a party."""

from fastapi import APIRouter, Request
from sqlalchemy import func
from sqlmodel import Session, select

from tracker.api import PathId
from tracker.audit import service as audit_service
from tracker.auth import AdminDep
from tracker.db import SessionDep
from tracker.editing import fields_of
from tracker.forms import FormDep, display_values, form_values, submitted_version
from tracker.i18n import babel_locale, request_language
from tracker.models import Organization, PartnershipParty
from tracker.pages import form_page, safe_next, save_form
from tracker.partnerships import service as partnership_service
from tracker.partnerships.schemas import OrganizationIn
from tracker.templating import render
from tracker.times import all_timezones

router = APIRouter(prefix="/admin", include_in_schema=False)
FEATURE = "admin/partnerships/organizations"
LIST = "/admin/organizations"


def _next_of(value) -> str:
    """Where to go once saved: a local page the form was opened from, else the list."""
    target = safe_next(value if isinstance(value, str) else None)
    return target if target != "/" else LIST


def _context(session: Session, organization: Organization | None, values: dict, errors: dict, back: str) -> dict:
    return {
        "organization": organization,
        "values": values,
        "errors": errors,
        "timezones": all_timezones(),
        "back": back,
        "history": audit_service.history(session, entity="organization", entity_id=organization.id)
        if organization
        else None,
    }


@router.get("/organizations", name="admin_organizations")
def organizations_page(request: Request, session: SessionDep, _admin: AdminDep):
    parties = dict(
        session.exec(
            select(PartnershipParty.organization_id, func.count()).group_by(PartnershipParty.organization_id)
        ).all()
    )
    context = {
        "organizations": partnership_service.list_organizations(session),
        "parties": parties,
        "countries": babel_locale(request_language(request)).territories,
    }
    return render(request, "admin/partnerships/organizations/list.html", context)


@router.get("/organizations/new", name="admin_organization_new")
def organization_new(request: Request, session: SessionDep, _admin: AdminDep):
    values = {"timezone": request.app.state.settings.default_timezone}
    back = _next_of(request.query_params.get("next"))
    return form_page(request, FEATURE, _context(session, None, values, {}, back))


@router.post("/organizations", name="admin_organization_create")
def organization_create(request: Request, session: SessionDep, form: FormDep, _admin: AdminDep):
    values = form_values(form, OrganizationIn)
    back = _next_of(form.get("next"))

    def save():
        data = partnership_service.validated_organization(session, organization_id=None, values=values)
        return partnership_service.save_organization(session, organization=Organization(), data=data)

    return save_form(
        request,
        session,
        FEATURE,
        save=save,
        context=lambda errors: _context(session, None, values, errors, back),
        url=lambda _organization: back,
    )


@router.get("/organizations/{organization_id}/edit", name="admin_organization_edit")
def organization_edit(organization_id: PathId, request: Request, session: SessionDep, _admin: AdminDep):
    organization = partnership_service.get_organization_or_404(session, organization_id)
    values = display_values(fields_of(OrganizationIn, organization)) | {"version": str(organization.version)}
    back = _next_of(request.query_params.get("next"))
    return form_page(request, FEATURE, _context(session, organization, values, {}, back))


@router.post("/organizations/{organization_id}/edit", name="admin_organization_update")
def organization_update(
    organization_id: PathId, request: Request, session: SessionDep, form: FormDep, _admin: AdminDep
):
    organization = partnership_service.get_organization_or_404(session, organization_id)
    values = form_values(form, OrganizationIn)
    back = _next_of(form.get("next"))
    return save_form(
        request,
        session,
        FEATURE,
        save=lambda: partnership_service.edit_organization(
            session, organization=organization, values=values, version=submitted_version(form)
        ),
        context=lambda errors: _context(session, organization, values, errors, back),
        url=lambda _organization: back,
    )

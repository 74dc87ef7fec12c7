"""Administration: each partnership's certificate signatories and logos (add with an image, reorder,
remove after a confirmation page)."""

import re
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from sqlmodel import Session, select
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from tracker.api import PathId, SlugParam
from tracker.auth import AdminDep
from tracker.certificates import branding, document
from tracker.certificates.forms import LogoIn, SignatoryIn, field_messages
from tracker.certificates.images import MAX_BYTES, ImageRefused, content_type_of
from tracker.db import SessionDep
from tracker.forms import FormDep
from tracker.i18n import request_language
from tracker.models import Organization, Partnership, PartnershipLogo, Signatory
from tracker.partnerships import service as partnership_service
from tracker.storage import FileStore, file_store
from tracker.templating import render
from tracker.validation import FieldErrors, collect, validate_all

router = APIRouter(prefix="/admin", include_in_schema=False)
StoreDep = Depends(file_store)
FORM_OVERHEAD = 64 * 1024  # the multipart envelope and the text fields around an image of the largest size
KINDS = {"signatories": Signatory, "logos": PartnershipLogo}


@dataclass(frozen=True)
class ImageForm:
    """A form with one image: its text fields, the image's bytes (None when none was chosen), or why the
    whole body was refused unread."""

    values: dict = field(default_factory=dict)
    data: bytes | None = None
    refusal: str | None = None


async def read_image_form(request: Request) -> ImageForm:
    """The fields and the one image of a signatory or logo form, read on the event loop (FormDep reads no files)."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_BYTES + FORM_OVERHEAD:
        return ImageForm(refusal="image_too_large")  # refused before reading it
    try:
        form = await request.form(max_files=1, max_fields=20)
    except HTTPException:  # a malformed multipart body, or more than one file
        return ImageForm(refusal="image_unreadable")
    values = {key: value for key, value in form.multi_items() if isinstance(value, str)}
    upload, data = form.get("image"), None
    if isinstance(upload, UploadFile):
        try:
            data = await upload.read(MAX_BYTES + 1)
        finally:
            await upload.close()
        if not upload.filename and not data:
            data = None  # the browser's empty part when no file was chosen
    return ImageForm(values=values, data=data)


ImageFormDep = Annotated[ImageForm, Depends(read_image_form)]


def _page_url(partnership: Partnership, saved: str | None = None) -> str:
    return f"/admin/partnerships/{partnership.slug}/certificates" + (f"?saved={saved}" if saved else "")


def _page(request: Request, session: Session, store: FileStore, partnership: Partnership, status=200, **extra):
    signatories = branding.signatories(session, partnership_id=partnership.id)
    logos = branding.logos(session, partnership_id=partnership.id)
    shown = [s.signature_sha256 for s, _ in signatories] + [logo.sha256 for logo in logos]
    images = document.Images(store, branding.content_types(session, shown), inline=True)
    organizations = list(session.exec(select(Organization).order_by(Organization.acronym)))
    saved = request.query_params.get("saved")
    context = {
        "partnership": partnership,
        "signatories": signatories,
        "logos": logos,
        "image_src": images.src,
        "organizations": organizations,
        "saved": saved if saved in ("signatory", "logo", "order", "removed") else None,
        "max_mb": MAX_BYTES // (1024 * 1024),
        "forms": {"signatory": ({}, {}), "logo": ({}, {})},
    } | extra
    return render(request, "certificates/admin/page.html", context, status)


@router.get("/partnerships/{slug}/certificates", name="admin_certificates")
def certificates_admin(slug: SlugParam, request: Request, session: SessionDep, _admin: AdminDep, store=StoreDep):
    partnership = partnership_service.get_partnership_or_404(session, slug)
    return _page(request, session, store, partnership)


def _image(upload: ImageForm, name: str, errors: dict, required: bool) -> str | None:
    """The content type of the form's image, or None; a refusal goes to `errors[name]`."""
    if upload.refusal:
        errors[name] = (upload.refusal, {})
    elif upload.data is None:
        if required:
            errors[name] = ("image_missing", {})
    else:
        try:
            return content_type_of(upload.data)
        except ImageRefused as exc:
            errors[name] = (exc.kind, {})
    return None


def _parsed(schema, values: dict, rules) -> tuple[object | None, dict]:
    try:
        return validate_all(schema, values, rules), {}
    except FieldErrors as exc:
        return None, collect(exc)


def _refused(request, session, store, partnership, form: str, values: dict, errors: dict):
    """The page again with this form's input and each field's message; nothing was stored."""
    shown = field_messages(errors, request_language(request))
    forms = {"signatory": ({}, {}), "logo": ({}, {})} | {form: (values, shown)}
    return _page(request, session, store, partnership, 422, forms=forms)


@router.post("/partnerships/{slug}/signatories", name="admin_signatory_add")
def signatory_add(
    slug: SlugParam, request: Request, session: SessionDep, upload: ImageFormDep, _admin: AdminDep, store=StoreDep
):
    partnership = partnership_service.get_partnership_or_404(session, slug)

    def rules(parsed: dict) -> dict:
        known = parsed.get("organization_id") is None or session.get(Organization, parsed["organization_id"])
        return {} if known else {"organization_id": ("unknown_organization", {})}

    values = {name: upload.values.get(name, "") for name in SignatoryIn.model_fields}
    data, errors = _parsed(SignatoryIn, values, rules)
    errors |= rules(dict(data)) if data is not None else {}
    content_type = _image(upload, "image", errors, required=False)
    if errors:
        return _refused(request, session, store, partnership, "signatory", values, errors)
    sha256 = branding.keep_image(session, store, data=upload.data, content_type=content_type) if content_type else None
    branding.add(session, Signatory(partnership_id=partnership.id, signature_sha256=sha256, **data.model_dump()))
    session.commit()
    return RedirectResponse(_page_url(partnership, "signatory"), status_code=303)


@router.post("/partnerships/{slug}/logos", name="admin_logo_add")
def logo_add(
    slug: SlugParam, request: Request, session: SessionDep, upload: ImageFormDep, _admin: AdminDep, store=StoreDep
):
    partnership = partnership_service.get_partnership_or_404(session, slug)
    values = {"alt_text": upload.values.get("alt_text", "")}
    data, errors = _parsed(LogoIn, values, lambda parsed: {})
    content_type = _image(upload, "image", errors, required=True)
    if errors:
        return _refused(request, session, store, partnership, "logo", values, errors)
    sha256 = branding.keep_image(session, store, data=upload.data, content_type=content_type)
    branding.add(session, PartnershipLogo(partnership_id=partnership.id, sha256=sha256, alt_text=data.alt_text))
    session.commit()
    return RedirectResponse(_page_url(partnership, "logo"), status_code=303)


def _record(session: Session, slug: str, kind: str, record_id: int):
    partnership = partnership_service.get_partnership_or_404(session, slug)
    record = branding.get_or_404(session, KINDS[kind], partnership_id=partnership.id, record_id=record_id)
    return partnership, record


def _move(session: Session, slug: str, kind: str, record_id: int, form) -> RedirectResponse:
    partnership, record = _record(session, slug, kind, record_id)
    branding.move(session, record, up=form.get("direction") != "down")
    session.commit()
    return RedirectResponse(_page_url(partnership, "order"), status_code=303)


@router.post("/partnerships/{slug}/signatories/{signatory_id}/move", name="admin_signatory_move")
def signatory_move(slug: SlugParam, signatory_id: PathId, session: SessionDep, form: FormDep, _admin: AdminDep):
    return _move(session, slug, "signatories", signatory_id, form)


@router.post("/partnerships/{slug}/logos/{logo_id}/move", name="admin_logo_move")
def logo_move(slug: SlugParam, logo_id: PathId, session: SessionDep, form: FormDep, _admin: AdminDep):
    return _move(session, slug, "logos", logo_id, form)


def _confirm(request: Request, session: Session, slug: str, kind: str, record_id: int):
    partnership, record = _record(session, slug, kind, record_id)
    if isinstance(record, Signatory):
        organization = session.get(Organization, record.organization_id)
        what = f"{record.name} ({organization.acronym})" if organization else record.name
    else:
        what = record.alt_text
    context = {"partnership": partnership, "kind": kind, "record": record, "what": re.sub(r"\s+", " ", what)}
    return render(request, "certificates/admin/remove.html", context)


def _remove(session: Session, slug: str, kind: str, record_id: int) -> RedirectResponse:
    partnership, record = _record(session, slug, kind, record_id)
    branding.remove(session, record)
    session.commit()
    return RedirectResponse(_page_url(partnership, "removed"), status_code=303)


@router.get("/partnerships/{slug}/signatories/{signatory_id}/remove", name="admin_signatory_remove_page")
def signatory_remove_page(slug: SlugParam, signatory_id: PathId, request: Request, session: SessionDep, _a: AdminDep):
    return _confirm(request, session, slug, "signatories", signatory_id)


@router.post("/partnerships/{slug}/signatories/{signatory_id}/remove", name="admin_signatory_remove")
def signatory_remove(slug: SlugParam, signatory_id: PathId, session: SessionDep, _admin: AdminDep):
    return _remove(session, slug, "signatories", signatory_id)


@router.get("/partnerships/{slug}/logos/{logo_id}/remove", name="admin_logo_remove_page")
def logo_remove_page(slug: SlugParam, logo_id: PathId, request: Request, session: SessionDep, _admin: AdminDep):
    return _confirm(request, session, slug, "logos", logo_id)


@router.post("/partnerships/{slug}/logos/{logo_id}/remove", name="admin_logo_remove")
def logo_remove(slug: SlugParam, logo_id: PathId, session: SessionDep, _admin: AdminDep):
    return _remove(session, slug, "logos", logo_id)

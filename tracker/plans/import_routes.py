"""Pages: importing a work plan from a spreadsheet. Upload, read the preview (every row, what it will
plan or why it is refused), confirm once: nothing is planned before the last step."""

from datetime import date
from types import SimpleNamespace

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from sqlmodel import Session

from tracker.api import PathId
from tracker.auth import ManagerDep
from tracker.db import SessionDep
from tracker.i18n import N_, request_language
from tracker.models import Partnership, PlanImport
from tracker.pages import saved
from tracker.participants import sheets
from tracker.participants.import_routes import UploadDep
from tracker.partnerships import service as partnership_service
from tracker.plans import importing
from tracker.plans.periods import label, parse_period, term_periods
from tracker.templating import gettext_of, render
from tracker.validation import FieldErrors, messages

router = APIRouter(include_in_schema=False)
# The columns a plan's sheet may have, as the upload page explains them (header words in both languages).
COLUMNS = (
    ("Área / Area", N_("The area's number (1–7) or its name."), True),
    (
        "Tipo / Kind",
        N_("actividad or entregable (activity, deliverable), or a kind of activity: taller, webinar…"),
        True,
    ),
    ("Título (es) / Title (en)", N_("The title in Spanish, in English, or in both (two columns)."), True),
    ("Periodo / Period", N_("A quarter or semester of the term: T3 2026, Q3 2026, 2026-S2, H2 2026."), False),
    ("Fecha / Date", N_("Instead of a period: the day, as 2026-10-15 or 15/10/2026."), False),
    ("Responsable / Owner", N_("The email of the person responsible, who must be in the tracker already."), False),
)


def _upload_page(request: Request, partnership: Partnership, errors: dict, status: int = 200):
    context = {
        "partnership": partnership,
        "errors": errors,
        "columns": COLUMNS,
        "max_mb": sheets.MAX_BYTES // (1024 * 1024),
        "max_rows": importing.MAX_ROWS,
        "nav": "plan",
    }
    return render(request, "plans/import.html", context, status)


@router.get("/partnerships/{slug}/plan/import", name="plan_import")
def plan_import_page(slug: str, request: Request, session: SessionDep, viewer: ManagerDep):
    partnership = partnership_service.get_partnership_or_404(session, slug, viewer)
    return _upload_page(request, partnership, {})


@router.post("/partnerships/{slug}/plan/import", name="plan_import_create")
def plan_import_create(slug: str, request: Request, session: SessionDep, upload: UploadDep, viewer: ManagerDep):
    partnership = partnership_service.get_partnership_or_404(session, slug, viewer)
    try:
        if upload.refusal:
            raise sheets.refused(upload.refusal, max_mb=sheets.MAX_BYTES // (1024 * 1024))
        table, columns = importing.read_plan(upload.data, upload.filename)
    except FieldErrors as exc:
        return _upload_page(request, partnership, messages(exc, gettext_of(request)), 422)
    batch = importing.stage(
        session,
        partnership=partnership,
        table=table,
        columns=columns,
        filename=upload.filename,
        by=viewer.person_id,
        zone=request.app.state.settings.default_timezone,
    )
    session.commit()
    return saved(request, f"/partnerships/{partnership.slug}/plan/imports/{batch.id}")


def _day(text) -> date | None:
    # A staged row's date, as stored (ISO text); anything else shows as nothing.
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def _preview(
    request: Request, session: Session, partnership: Partnership, batch: PlanImport, status: int = 200, **extra
):
    gettext = gettext_of(request)
    periods = term_periods(partnership.starts_on, partnership.ends_on)
    language = request_language(request)
    areas = {area.id: area for area in partnership.areas}
    rows = [r for r in batch.rows if isinstance(r, dict)]
    context = {
        "partnership": partnership,
        "batch": batch,
        "rows": rows,
        "areas": areas,
        "people": importing.names_of(session, rows),
        "problems": [
            p | {"messages": importing.problem_messages(p.get("errors") or {}, gettext)}
            for p in batch.problems
            if isinstance(p, dict)
        ],
        "period_name": lambda code: label(found, language) if (found := parse_period(code or "", periods)) else "",
        "activities": sum(1 for r in rows if r.get("type") == "activity"),
        "row_text": lambda row: SimpleNamespace(title_en=row.get("title_en"), title_es=row.get("title_es")),
        "to_date": _day,
        "field_names": importing.FIELD_NAMES,
        "cell_of": importing.CELL_OF,
        "nav": "plan",
    } | extra
    return render(request, "plans/import_preview.html", context, status)


@router.get("/partnerships/{slug}/plan/imports/{batch_id}", name="plan_import_preview")
def plan_import_preview(slug: str, batch_id: PathId, request: Request, session: SessionDep, viewer: ManagerDep):
    partnership = partnership_service.get_partnership_or_404(session, slug, viewer)
    batch = importing.get_import_or_404(session, partnership=partnership, batch_id=batch_id)
    return _preview(request, session, partnership, batch)


@router.post("/partnerships/{slug}/plan/imports/{batch_id}/confirm", name="plan_import_confirm")
def plan_import_confirm(slug: str, batch_id: PathId, request: Request, session: SessionDep, viewer: ManagerDep):
    partnership = partnership_service.get_partnership_or_404(session, slug, viewer)
    batch = importing.get_import_or_404(session, partnership=partnership, batch_id=batch_id)
    importing.ensure_pending(batch)
    zone = request.app.state.settings.default_timezone
    try:
        planned = importing.confirm(session, partnership=partnership, batch=batch, zone=zone)
    except FieldErrors:
        # An area, a person or the term changed since the preview: the rows are checked again, and shown.
        session.rollback()
        batch = importing.get_import_or_404(session, partnership=partnership, batch_id=batch_id)
        importing.restage(session, partnership=partnership, batch=batch, zone=zone)
        session.commit()
        return _preview(request, session, partnership, batch, 409, notice="changed")
    session.commit()
    return RedirectResponse(f"/partnerships/{partnership.slug}/plan?imported={planned}", status_code=303)


@router.post("/partnerships/{slug}/plan/imports/{batch_id}/discard", name="plan_import_discard")
def plan_import_discard(slug: str, batch_id: PathId, request: Request, session: SessionDep, viewer: ManagerDep):
    partnership = partnership_service.get_partnership_or_404(session, slug, viewer)
    batch = importing.get_import_or_404(session, partnership=partnership, batch_id=batch_id)
    importing.discard(session, batch=batch)
    session.commit()
    return saved(request, f"/partnerships/{partnership.slug}/plan/import")

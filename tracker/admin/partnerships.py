"""Administration: the partnerships and their MOU metadata (parties, signing date and its confirmation,
term, signed texts, titles and summaries), and a new partnership with its areas, made in one transaction.

The term's end is the amendments' once one is recorded (tracker/admin/amendments.py): this form then
shows it and links there, and never changes it."""

from fastapi import APIRouter, Request
from sqlmodel import Session, select

from tracker.api import SlugParam
from tracker.audit import service as audit_service
from tracker.auth import AdminDep
from tracker.db import SessionDep
from tracker.editing import fields_of
from tracker.forms import FormDep, display_values, form_values, submitted_version
from tracker.models import Amendment, CooperationArea, Partnership
from tracker.pages import form_page, save_form, saved
from tracker.partnerships import service as partnership_service
from tracker.partnerships.schemas import AreaFields, AreaIn, PartnershipIn
from tracker.templating import gettext_of, render
from tracker.validation import FieldErrors, collect, messages, parse_fields, validate_all

router = APIRouter(prefix="/admin", include_in_schema=False)
FEATURE = "admin/partnerships"
SAVED = ("created", "saved", "area")
# The new-partnership form's area rows: the blank ones it offers, and at most this many in all.
BLANK_ROWS = 2
MAX_ROWS = 99
AREA_FIELDS = tuple(AreaFields.model_fields)


def edit_url(partnership: Partnership, saved_what: str | None = None) -> str:
    """The partnership's administration page (after a save, with what was saved)."""
    return f"/admin/partnerships/{partnership.slug}/edit" + (f"?saved={saved_what}" if saved_what else "")


def _amended(session: Session, partnership: Partnership) -> bool:
    found = session.exec(select(Amendment.id).where(Amendment.partnership_id == partnership.id))
    return partnership.id is not None and found.first() is not None


@router.get("/partnerships", name="admin_partnerships")
def partnerships_page(request: Request, session: SessionDep, _admin: AdminDep):
    context = {"partnerships": partnership_service.list_partnerships(session)}
    return render(request, "admin/partnerships/list.html", context)


# One partnership's MOU -------------------------------------------------------------------------


def _context(session: Session, request: Request, partnership: Partnership, values: dict, errors: dict) -> dict:
    saved_what = request.query_params.get("saved")
    return {
        "partnership": partnership,
        "values": values,
        "errors": errors,
        "organizations": partnership_service.list_organizations(session),
        "amended": _amended(session, partnership),
        "areas": list(
            session.exec(
                select(CooperationArea)
                .where(CooperationArea.partnership_id == partnership.id)
                .order_by(CooperationArea.number)
            )
        ),
        "history": audit_service.history(session, entity="partnership", entity_id=partnership.id),
        "saved": saved_what if saved_what in SAVED else None,
    }


@router.get("/partnerships/{slug}/edit", name="admin_partnership_edit")
def partnership_edit(slug: SlugParam, request: Request, session: SessionDep, _admin: AdminDep):
    partnership = partnership_service.get_partnership_or_404(session, slug)
    shown = fields_of(PartnershipIn, partnership, partnership_service.DERIVED)
    values = display_values(shown) | {"version": str(partnership.version)}
    return form_page(request, FEATURE, _context(session, request, partnership, values, {}))


@router.post("/partnerships/{slug}/edit", name="admin_partnership_update")
def partnership_update(slug: SlugParam, request: Request, session: SessionDep, form: FormDep, _admin: AdminDep):
    partnership = partnership_service.get_partnership_or_404(session, slug)
    values = form_values(form, PartnershipIn)
    if _amended(session, partnership):
        # The end is the latest amendment's: recorded or removed on its own page, never here.
        values["ends_on"] = partnership.ends_on.isoformat()
    return save_form(
        request,
        session,
        FEATURE,
        save=lambda: partnership_service.edit_partnership(
            session, partnership=partnership, values=values, version=submitted_version(form)
        ),
        context=lambda errors: _context(session, request, partnership, values, errors),
        url=lambda record: edit_url(record, "saved"),
    )


# A new partnership, with its areas ----------------------------------------------------------------


def _row_count(form) -> int:
    raw = form.get("area_rows")
    count = int(raw) if isinstance(raw, str) and raw.isdigit() and len(raw) < 4 else 0
    return min(count, MAX_ROWS)


def _rows_of(form) -> list[dict]:
    """The area rows as typed (`areas-0-number`, `areas-0-name_es`…), blank rows included."""
    rows = []
    for index in range(_row_count(form)):
        row = {}
        for name in AREA_FIELDS:
            value = form.get(f"areas-{index}-{name}")
            row[name] = value if isinstance(value, str) else ""
        rows.append(row)
    return rows


def _filled(row: dict) -> bool:
    return any(value.strip() for value in row.values())


def _copied_rows(session: Session, source_id: str | None) -> list[dict] | None:
    """Another partnership's areas as rows of the form (numbers, slugs, names, descriptions)."""
    if not (isinstance(source_id, str) and source_id.isdigit() and len(source_id) < 10):
        return None
    areas = session.exec(
        select(CooperationArea).where(CooperationArea.partnership_id == int(source_id)).order_by(CooperationArea.number)
    ).all()
    return [display_values(fields_of(AreaFields, area)) for area in areas] or None


def _new_context(session: Session, values: dict, rows: list[dict], errors: dict, extra_rows: int = BLANK_ROWS):
    blank = dict.fromkeys(AREA_FIELDS, "")
    rows = [row for row in rows if _filled(row)] + [dict(blank) for _ in range(extra_rows)]
    return {
        "partnership": None,
        "values": values,
        "rows": rows[:MAX_ROWS],
        "errors": errors,
        "organizations": partnership_service.list_organizations(session),
        "sources": partnership_service.list_partnerships(session),
    }


@router.get("/partnerships/new", name="admin_partnership_new")
def partnership_new(request: Request, session: SessionDep, _admin: AdminDep):
    source = request.query_params.get("copy_from")
    copied = _copied_rows(session, source)
    values = {"signed_on_confirmed": False, "published": False, "copy_from": source if copied else ""}
    # Another partnership's areas fill the rows, to review before creating (a form of its own, above).
    rows, extra = (copied, BLANK_ROWS) if copied else ([], BLANK_ROWS + 1)
    return form_page(request, FEATURE, _new_context(session, values, rows, {}, extra_rows=extra))


def _row_errors(rows: list[dict]) -> tuple[list[AreaFields], dict]:
    """Each filled row as AreaFields, and every row's errors under its own fields' names."""
    parsed, errors = [], {}
    for index, row in enumerate(rows):
        try:
            parsed.append(validate_all(AreaFields, row, lambda _parsed: {}))
        except FieldErrors as exc:
            errors |= {f"areas-{index}-{name}": problem for name, problem in exc.errors.items()}
    # Two rows of the new partnership may not share a number or a short name (the rule save_area keeps),
    # told even of a row refused for another field.
    for field in ("number", "slug"):
        seen = set()
        for index, row in enumerate(rows):
            value = parse_fields(AreaFields, row).get(field)
            if value is not None and value in seen:
                errors.setdefault(f"areas-{index}-{field}", ("taken", {}))
            seen.add(value)
    return parsed, errors


@router.post("/partnerships", name="admin_partnership_create")
def partnership_create(request: Request, session: SessionDep, form: FormDep, _admin: AdminDep):
    values = form_values(form, PartnershipIn)
    rows = [row for row in _rows_of(form) if _filled(row)]
    errors: dict = {}
    try:
        data = partnership_service.validated_partnership(session, partnership_id=None, values=values)
    except FieldErrors as exc:
        data, errors = None, dict(exc.errors)
    areas, row_errors = _row_errors(rows)
    errors |= row_errors
    if data is not None and not errors:
        try:
            # One transaction: the partnership and every area, or (on any refusal) nothing at all.
            partnership = partnership_service.save_partnership(session, partnership=Partnership(), data=data)
            for index, area in enumerate(areas):
                try:
                    partnership_service.save_area(
                        session, area=CooperationArea(), data=AreaIn(partnership_id=partnership.id, **dict(area))
                    )
                except FieldErrors as exc:
                    raise FieldErrors({f"areas-{index}-{k}": v for k, v in exc.errors.items()}) from None
        except FieldErrors as exc:
            errors = collect(exc)
        else:
            session.commit()
            return saved(request, edit_url(partnership, "created"))
    session.rollback()
    shown = messages(FieldErrors(errors), gettext_of(request))
    return form_page(request, FEATURE, _new_context(session, values, rows, shown), 422)

"""Pages: importing a sign-in sheet or registration export (CSV, XLSX) into an activity's roster.

Upload, map the columns, check the preview, confirm: nothing is on the roster before the last step.
"""

import re
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from tracker.activities import service as activity_service
from tracker.api import PathId
from tracker.auth import ManagerDep
from tracker.db import SessionDep
from tracker.forms import FormDep
from tracker.models import Activity, ImportBatch, ImportLayout
from tracker.pages import saved
from tracker.participants import column_fields, import_plan, import_service, importing, sheets
from tracker.templating import gettext_of, is_htmx, render
from tracker.validation import FieldErrors, messages

router = APIRouter(include_in_schema=False)
# Room for the multipart envelope and the CSRF field around a file of the largest size allowed.
FORM_OVERHEAD = 64 * 1024
SAMPLES = 3
SHOWN_ROWS = 10
SHOWN_CHANGES = 200  # updates listed one by one; beyond them the preview says how many more


@dataclass(frozen=True)
class Upload:
    """The upload form's file: its name and bytes, or why there are none."""

    filename: str = ""
    data: bytes | None = None
    refusal: str | None = None  # a message kind of tracker.validation


async def read_upload(request: Request) -> Upload:
    """The one file of the upload form, read on the event loop (FormDep allows no files)."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > sheets.MAX_BYTES + FORM_OVERHEAD:
        return Upload(refusal="file_too_large")  # refused before reading it
    try:
        form = await request.form(max_files=1, max_fields=20)
    except HTTPException:  # a malformed multipart body, or more than one file
        return Upload(refusal="file_unreadable")
    file = form.get("file")
    if not isinstance(file, UploadFile):
        return Upload(refusal="missing")
    try:
        data = await file.read(sheets.MAX_BYTES + 1)
    finally:
        await file.close()  # its spooled temporary file: nobody else closes a form read by hand
    if not file.filename and not data:
        return Upload(refusal="missing")  # the browser's empty part when no file was chosen
    name = re.sub(r"[\x00-\x1f\x7f]", "", (file.filename or "").replace("\\", "/").rsplit("/", 1)[-1])
    return Upload(filename=name[:255] or "upload", data=data)


UploadDep = Annotated[Upload, Depends(read_upload)]


def _upload_page(request: Request, session: Session, activity: Activity, errors: dict, status: int = 200):
    context = {
        "activity": activity,
        "partnership": activity_service.activity_partnership(session, activity),
        "errors": errors,
        "max_mb": sheets.MAX_BYTES // (1024 * 1024),
        "max_rows": sheets.MAX_ROWS,
    }
    template = "participants/import/_upload.html" if is_htmx(request) else "participants/import/upload.html"
    return render(request, template, context, status)


def _columns(layout: ImportLayout, batch: ImportBatch) -> list[dict]:
    """Each column with its header, its letter in the sheet, and a few of its values."""
    source = importing.source_rows(batch.rows, batch.problems)
    columns = []
    for index, header in enumerate(layout.headers):
        samples: list[str] = []
        for _, cells in source:
            if cells[index] and cells[index] not in samples:
                samples.append(cells[index][:40])
                if len(samples) == SAMPLES:
                    break
        letter = column_fields.column_letter(index)
        columns.append({"name": f"column_{index}", "header": header, "letter": letter, "samples": samples})
    return columns


def _preview(
    request: Request,
    session: Session,
    *,
    activity: Activity,
    batch: ImportBatch,
    layout: ImportLayout,
    values: dict,
    errors: dict | None = None,
    remembered: bool = False,
    notice: str | None = None,
    status: int = 200,
):
    """The mapping form and the preview: the whole page, or the fragment for htmx."""
    rows = batch.rows
    by_action = {action: [r for r in rows if r.get("action") == action] for action in import_plan.counts([])}
    gettext = gettext_of(request)
    labels = {field: gettext(label) for field, label in column_fields.FIELD_LABELS.items()}
    mapping = {field: int(name.removeprefix("column_")) for name, field in values.items() if field in labels}
    context = {
        "activity": activity,
        "partnership": activity_service.activity_partnership(session, activity),
        "batch": batch,
        "layout": layout,
        "columns": _columns(layout, batch),
        "values": values,
        "mapping": mapping,
        "mapped": [f for f in column_fields.FIELDS if f in mapping],
        "errors": errors or {},
        "remembered": remembered,
        "notice": notice,
        "field_options": list(labels.items()),
        "field_labels": labels,
        "name_columns": column_fields.NAME_COLUMNS,
        "read": len(rows) + len(batch.problems),
        "counts": {action: len(found) for action, found in by_action.items()},
        "to_add": by_action["add"][:SHOWN_ROWS],
        "updates": by_action["update"][:SHOWN_CHANGES],
        "same": by_action["same"][:SHOWN_CHANGES],
        "problems": [p | {"errors": importing.problem_messages(p["errors"], gettext)} for p in batch.problems],
    }
    template = "participants/import/_preview.html" if is_htmx(request) else "participants/import/preview.html"
    return render(request, template, context, status)


def _form_values(mapping: dict[str, int]) -> dict[str, str]:
    return {f"column_{index}": field for field, index in mapping.items()}


def _choices(form, layout: ImportLayout) -> list[str]:
    return [value if isinstance(value := form.get(f"column_{i}"), str) else "" for i in range(len(layout.headers))]


@router.get("/activities/{activity_id}/import", name="import_upload")
def import_page(activity_id: PathId, request: Request, session: SessionDep, viewer: ManagerDep):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    return _upload_page(request, session, activity, {})


@router.post("/activities/{activity_id}/import", name="import_create")
def import_create(activity_id: PathId, request: Request, session: SessionDep, upload: UploadDep, viewer: ManagerDep):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    gettext = gettext_of(request)
    try:
        if upload.refusal:
            raise sheets.refused(upload.refusal, max_mb=sheets.MAX_BYTES // (1024 * 1024))
        table = sheets.read_table(upload.data, upload.filename)
        layout = import_service.layout_for(session, table.headers)
        mapping, remembered = import_service.proposed_mapping(layout)
        if not any(f in mapping for f in column_fields.NAMING):
            raise sheets.refused("no_name_column")
    except FieldErrors as exc:
        session.rollback()
        return _upload_page(request, session, activity, messages(exc, gettext), 422)
    batch = import_service.create_batch(
        session, activity=activity, table=table, mapping=mapping, filename=upload.filename, by=viewer.person_id
    )
    session.commit()
    values = _form_values(mapping)
    return _preview(
        request, session, activity=activity, batch=batch, layout=layout, values=values, remembered=remembered
    )


@router.post("/imports/{batch_id}/mapping", name="import_mapping")
def import_mapping(batch_id: PathId, request: Request, session: SessionDep, form: FormDep, viewer: ManagerDep):
    batch, activity = import_service.get_batch_or_404(session, batch_id, viewer)
    import_service.ensure_pending(batch)
    layout = import_service.batch_layout(session, batch, form.get("layout"))
    choices = _choices(form, layout)
    mapping, mapping_errors = column_fields.read_mapping(choices)
    values = {f"column_{i}": choice for i, choice in enumerate(choices)}
    if mapping_errors:
        errors = messages(FieldErrors(mapping_errors), gettext_of(request))
        return _preview(
            request, session, activity=activity, batch=batch, layout=layout, values=values, errors=errors, status=422
        )
    import_service.restage(session, batch=batch, activity=activity, mapping=mapping)
    session.commit()
    return _preview(request, session, activity=activity, batch=batch, layout=layout, values=_form_values(mapping))


@router.post("/imports/{batch_id}/confirm", name="import_confirm")
def import_confirm(batch_id: PathId, request: Request, session: SessionDep, form: FormDep, viewer: ManagerDep):
    batch, activity = import_service.get_batch_or_404(session, batch_id, viewer)
    import_service.ensure_pending(batch)
    layout = import_service.batch_layout(session, batch, form.get("layout"))
    mapping, mapping_errors = column_fields.read_mapping(_choices(form, layout))
    try:
        counts = import_service.confirm(session, batch=batch, activity=activity)
    except (FieldErrors, IntegrityError):
        # The activity changed since the preview (shorter dates, say): check the rows again.
        session.rollback()
        batch, activity = import_service.get_batch_or_404(session, batch_id, viewer)
        import_service.restage(session, batch=batch, activity=activity, mapping=mapping)
        session.commit()
        values = _form_values(mapping)
        return _preview(
            request, session, activity=activity, batch=batch, layout=layout, values=values, notice="changed", status=409
        )
    if not mapping_errors:
        import_service.remember(session, layout=layout, mapping=mapping)
    session.commit()
    return saved(request, f"/activities/{activity.id}/roster?added={counts['add']}&updated={counts['update']}")


@router.post("/imports/{batch_id}/discard", name="import_discard")
def import_discard(batch_id: PathId, request: Request, session: SessionDep, viewer: ManagerDep):
    batch, activity = import_service.get_batch_or_404(session, batch_id, viewer)
    import_service.discard(session, batch=batch)
    session.commit()
    return saved(request, f"/activities/{activity.id}/import")

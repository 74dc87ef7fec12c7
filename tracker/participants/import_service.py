"""Imports that touch the database: remembered layouts, staged batches, and putting a batch on the roster.

The request owns the transaction: nothing here commits.
"""

import re
from enum import Enum

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select, update

from tracker.activities import service as activity_service
from tracker.errors import Conflict, NotFound
from tracker.models import Activity, Enrollment, ImportBatch, ImportLayout, Participant, utcnow
from tracker.participants import column_fields, import_apply, import_plan, importing, sheets
from tracker.participants.rules import activity_days
from tracker.validation import N_, FieldErrors

NOT_PENDING = N_("This import is no longer waiting for confirmation: it was confirmed or discarded.")
STALE_LAYOUT = N_("This import no longer matches its file. Upload the file again.")
CHUNK = 500  # values per IN (...): well under every database's limit on parameters


def layout_for(session: Session, headers: list[str]) -> ImportLayout:
    """The layout of this header row, recorded the first time it is seen (its mapping empty until confirmed)."""
    signature = column_fields.layout_signature(headers)
    layout = session.exec(select(ImportLayout).where(ImportLayout.signature == signature)).first()
    if layout is not None:
        return layout
    layout = ImportLayout(signature=signature, headers=headers, mapping={})
    try:
        with session.begin_nested():
            session.add(layout)
    except IntegrityError:
        # Someone uploaded the same layout at the same instant: theirs is as good.
        return session.exec(select(ImportLayout).where(ImportLayout.signature == signature)).one()
    return layout


def proposed_mapping(layout: ImportLayout) -> tuple[dict[str, int], bool]:
    """The mapping saved for this layout when there is one (True), else a guess from the headers (False)."""
    saved = column_fields.clean_mapping(layout.mapping or {}, len(layout.headers))
    if any(f in saved for f in column_fields.NAMING):
        return saved, True
    return column_fields.guess_mapping(layout.headers), False


def batch_layout(session: Session, batch: ImportBatch, signature: str | None) -> ImportLayout:
    """The layout a preview form names, checked against the batch's own rows."""
    layout = None
    if isinstance(signature, str) and re.fullmatch(r"[0-9a-f]{64}", signature):
        layout = session.exec(select(ImportLayout).where(ImportLayout.signature == signature)).first()
    entry = (batch.rows or batch.problems or [None])[0]
    if layout is None or entry is None or len(entry["cells"]) != len(layout.headers):
        raise Conflict(STALE_LAYOUT)
    return layout


def known_for(session: Session, *, activity: Activity, rows: list[dict]) -> import_plan.Known:
    """The participants a sheet's rows may name (by email or match key) and the activity's roster, as plain rows.

    Read in a few queries whatever the sheet's length: one per chunk of emails and of keys.
    """
    emails = sorted({r["person"]["email"] for r in rows if r["person"].get("email")})
    keys = sorted({import_plan.key_of(r["person"]) for r in rows})
    person_columns = [getattr(Participant, f) for f in import_plan.PERSON_FIELDS]
    columns = [Participant.id, Participant.version, *person_columns, Participant.match_key]
    found: dict[int, tuple] = {}
    for column, values in ((Participant.email, emails), (Participant.match_key, keys)):
        for start in range(0, len(values), CHUNK):
            chunk = values[start : start + CHUNK]
            found |= {row[0]: row for row in session.exec(select(*columns).where(column.in_(chunk))).all()}
    known = import_plan.Known()
    for row in sorted(found.values()):
        values = {name: _plain(value) for name, value in zip(import_plan.PERSON_FIELDS, row[2:-1], strict=True)}
        known.people[row[0]] = values | {"_version": row[1]}
        if values["email"]:
            known.by_email[values["email"]] = row[0]
        known.by_key.setdefault(row[-1], []).append(row[0])
    attendance = [getattr(Enrollment, f) for f in import_plan.ATTENDANCE_FIELDS]
    for row in session.exec(
        select(Enrollment.participant_id, Enrollment.id, Enrollment.version, *attendance).where(
            Enrollment.activity_id == activity.id
        )
    ).all():
        known.enrollments[row[0]] = {"id": row[1], "_version": row[2]} | {
            name: _plain(value) for name, value in zip(import_plan.ATTENDANCE_FIELDS, row[3:], strict=True)
        }
    return known


def _plain(value):
    return value.value if isinstance(value, Enum) else value


def stage_rows(session: Session, *, activity: Activity, rows, mapping: dict[str, int]) -> tuple:
    """(planned rows, problems) of a sheet's rows under a mapping: what each valid row will do."""
    valid, problems = importing.stage(
        rows, mapping, days=activity_days(activity.starts_at, activity.ends_at, activity.timezone)
    )
    return import_plan.plan(valid, known_for(session, activity=activity, rows=valid)), problems


def create_batch(
    session: Session, *, activity: Activity, table: sheets.Table, mapping: dict, filename: str, by: int
) -> ImportBatch:
    """Stage an uploaded sheet as a preview: nothing goes on the roster until it is confirmed."""
    rows, problems = stage_rows(session, activity=activity, rows=table.rows, mapping=mapping)
    batch = ImportBatch(activity_id=activity.id, created_by=by, filename=filename[:255], rows=rows, problems=problems)
    session.add(batch)
    session.flush()
    return batch


def restage(session: Session, *, batch: ImportBatch, activity: Activity, mapping: dict[str, int]) -> None:
    """Read the batch's rows again under another mapping."""
    ensure_pending(batch)
    source = importing.source_rows(batch.rows, batch.problems)
    batch.rows, batch.problems = stage_rows(session, activity=activity, rows=source, mapping=mapping)
    session.add(batch)
    session.flush()


def get_batch_or_404(session: Session, batch_id: int, viewer) -> tuple[ImportBatch, Activity]:
    """A staged import and its activity (if the viewer may see it)."""
    batch = session.get(ImportBatch, batch_id)
    if batch is None:
        raise NotFound(N_("This import does not exist."))
    return batch, activity_service.get_activity_or_404(session, batch.activity_id, viewer)


def ensure_pending(batch: ImportBatch) -> None:
    """Refuse to change a batch already confirmed or discarded."""
    if batch.status != "preview":
        raise Conflict(NOT_PENDING)


def _claim(session: Session, batch: ImportBatch, status: str) -> None:
    # A conditional update: of two confirmations sent at once, exactly one finds the batch pending.
    result = session.exec(
        update(ImportBatch)
        .where(ImportBatch.id == batch.id, ImportBatch.status == "preview")
        .values(status=status)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict(NOT_PENDING)
    batch.status = status


def confirm(session: Session, *, batch: ImportBatch, activity: Activity) -> dict[str, int]:
    """Apply the batch to the roster, planned again against the records as they are now; the counts per action.

    Everything in the caller's transaction, in a few statements whatever the batch's size.
    """
    _claim(session, batch, "confirmed")
    if any("person" not in entry for entry in batch.rows):
        raise Conflict(STALE_LAYOUT)  # staged by an older version of the tracker
    days = activity_days(activity.starts_at, activity.ends_at, activity.timezone)
    if any((entry["attendance"].get("days_attended") or 0) > days for entry in batch.rows):
        raise FieldErrors({"days_attended": ("days_over_length", {"days": days})})  # shortened since the preview
    known = known_for(session, activity=activity, rows=batch.rows)
    planned = import_plan.plan(batch.rows, known)
    language = (activity.languages or ["es"])[0]
    import_apply.apply(session, activity=activity, planned=planned, known=known, language=language)
    return import_plan.counts(planned)


def discard(session: Session, *, batch: ImportBatch) -> None:
    """Drop a staged import."""
    _claim(session, batch, "discarded")


def remember(session: Session, *, layout: ImportLayout, mapping: dict[str, int]) -> None:
    """Save the mapping of a confirmed import, proposed the next time this layout is uploaded."""
    layout.mapping = dict(mapping)
    layout.updated_at = utcnow()
    session.add(layout)
    session.flush()

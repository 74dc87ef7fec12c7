"""Imports that touch the database: remembered layouts, staged batches, and putting a batch on the roster.

The request owns the transaction: nothing here commits.
"""

import re
from collections.abc import Callable

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select, update

from tracker.activities import service as activity_service
from tracker.errors import Conflict, NotFound
from tracker.models import Activity, Enrollment, ImportBatch, ImportLayout, Participant, utcnow
from tracker.participants import column_fields, importing, sheets
from tracker.participants import service as participant_service
from tracker.participants.rules import activity_days, match_key
from tracker.participants.schemas import ParticipantIn
from tracker.validation import N_

NOT_PENDING = N_("This import is no longer waiting for confirmation: it was confirmed or discarded.")
STALE_LAYOUT = N_("This import no longer matches its file. Upload the file again.")


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
    if "name" in saved:
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


def roster_check(session: Session, activity: Activity) -> Callable[[ParticipantIn], bool]:
    """Whether a sheet's person is already on this activity's roster, matched as enroll() matches people."""
    rows = session.exec(
        select(Participant.id, Participant.email, Participant.match_key)
        .join(Enrollment, Enrollment.participant_id == Participant.id)
        .where(Enrollment.activity_id == activity.id)
    ).all()
    ids = {r[0] for r in rows}
    emails = {r[1] for r in rows if r[1]}
    keys = {r[2] for r in rows}

    def on_roster(person: ParticipantIn) -> bool:
        # Only someone sharing an email or a name and organization with the roster can be on it.
        if person.email not in emails and match_key(person.name, person.organization or "") not in keys:
            return False
        found = participant_service.find_participant(session, person)
        return found is not None and found.id in ids

    return on_roster


def stage_rows(session: Session, *, activity: Activity, rows, mapping: dict[str, int]) -> tuple:
    """(valid rows, problems) of a sheet's rows under a mapping, duplicates marked."""
    return importing.stage(
        rows,
        mapping,
        days=activity_days(activity.starts_at, activity.ends_at, activity.timezone),
        on_roster=roster_check(session, activity),
    )


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


def confirm(session: Session, *, batch: ImportBatch, activity: Activity) -> int:
    """Put the batch's valid rows on the roster, skipping duplicates; returns how many were added.

    May raise FieldErrors (the activity changed since the preview): the caller rolls back.
    """
    _claim(session, batch, "confirmed")
    on_roster = roster_check(session, activity)
    added = 0
    for entry in batch.rows:
        if entry.get("duplicate") == "file":
            continue
        person = importing.person_of(entry)
        if on_roster(person):
            continue  # on the roster already (perhaps since the preview): left as it is
        _, created = participant_service.enroll(
            session, activity=activity, data=person, attendance=importing.attendance_of(entry)
        )
        added += created
    return added


def discard(session: Session, *, batch: ImportBatch) -> None:
    """Drop a staged import."""
    _claim(session, batch, "discarded")


def remember(session: Session, *, layout: ImportLayout, mapping: dict[str, int]) -> None:
    """Save the mapping of a confirmed import, proposed the next time this layout is uploaded."""
    layout.mapping = dict(mapping)
    layout.updated_at = utcnow()
    session.add(layout)
    session.flush()

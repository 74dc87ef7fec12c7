"""A work plan from a spreadsheet (CSV or XLSX): its columns found by their headers in Spanish or English,
each row checked as the plan's short form checks it, staged for a preview, and planned once confirmed.

The request owns the transaction: nothing here commits.
"""

import re
from datetime import date

from sqlmodel import Session, select, update

from tracker.errors import Conflict, NotFound
from tracker.models import CooperationArea, Partnership, Person, PlanImport
from tracker.participants import sheets
from tracker.plans import service as plan_service
from tracker.plans.comparison import ACTIVITY, DELIVERABLE
from tracker.plans.periods import parse_period
from tracker.search import fold
from tracker.validation import N_, FieldErrors, message, normalize_email, raise_if

NOT_PENDING = N_("This import is no longer waiting for confirmation: it was confirmed or discarded.")
MAX_ROWS = 500  # a plan has tens of rows; a longer sheet is another kind of file
# Header words, folded (accents, case and punctuation ignored): a header is the word, or starts with it.
HEADERS = {
    "area": ("area", "area de cooperacion", "cooperation area", "numero de area", "area number", "componente"),
    "type": ("tipo", "kind", "type", "clase"),
    "title": ("titulo", "title", "nombre", "name", "nombre de la actividad", "activity name"),
    "period": ("periodo", "period", "trimestre", "quarter", "semestre", "semester"),
    "on": ("fecha", "date", "due date", "due", "deadline", "start date", "fecha de entrega", "fecha limite"),
    "owner": ("responsable", "owner", "responsible", "email", "e mail", "correo", "correo electronico"),
}
# What a Tipo/Kind cell may say: the kind of item, or the kind of activity (then an activity of that kind).
TYPES = {
    "actividad": (ACTIVITY, None), "activity": (ACTIVITY, None), "evento": (ACTIVITY, None), "event": (ACTIVITY, None),
    "entregable": (DELIVERABLE, None), "deliverable": (DELIVERABLE, None), "producto": (DELIVERABLE, None),
    "product": (DELIVERABLE, None),
    "taller": (ACTIVITY, "workshop"), "workshop": (ACTIVITY, "workshop"),
    "capacitacion": (ACTIVITY, "technical_training"), "capacitacion tecnica": (ACTIVITY, "technical_training"),
    "formacion tecnica": (ACTIVITY, "technical_training"), "technical training": (ACTIVITY, "technical_training"),
    "training": (ACTIVITY, "technical_training"),
    "seminario web": (ACTIVITY, "webinar"), "webinar": (ACTIVITY, "webinar"),
    "visita de estudio": (ACTIVITY, "study_visit"), "study visit": (ACTIVITY, "study_visit"),
    "reunion de expertos": (ACTIVITY, "expert_meeting"), "expert meeting": (ACTIVITY, "expert_meeting"),
}  # fmt: skip
# A refused row's fields as the preview names them, and the cell each one was read from.
FIELD_NAMES = {
    "area_id": N_("Area"),
    "type": N_("Kind"),
    "activity_kind": N_("Kind"),
    "title_es": N_("Title in Spanish"),
    "title_en": N_("Title in English"),
    "period": N_("Period"),
    "on": N_("Date"),
    "responsible_id": N_("Responsible"),
}
CELL_OF = {"area_id": "area", "activity_kind": "type", "responsible_id": "owner"}
# Words that name a field only alone: "Nombre del responsable" is not a title.
ALONE = {"nombre", "name"}
_SPANISH, _ENGLISH = {"es", "espanol", "spanish", "castellano"}, {"en", "ingles", "english"}
_AREA_NUMBER = re.compile(r"^(?:area\s*)?(\d{1,3})(?:\s*0)?\b")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def words(text: str) -> str:
    """Text folded to plain lower-case words: "Título (es)" → "titulo es"."""
    return re.sub(r"[^a-z0-9]+", " ", fold(text or "")).strip()


def _title_language(header: str) -> str:
    tokens = set(header.split())
    if tokens & {"espanol", "spanish", "castellano"}:
        return "title_es"
    if tokens & {"ingles", "english"}:
        return "title_en"
    if tokens & _SPANISH:
        return "title_es"
    if tokens & _ENGLISH:
        return "title_en"
    # No language named: the word itself says it (Título, Nombre: Spanish; Title, Name: English).
    return "title_en" if header.split()[0] in ("title", "name") else "title_es"


def column_map(headers: list[str]) -> dict[str, int]:
    """field -> column index from the header row (the first column naming a field wins); refused as a whole
    without an area, a kind, a title, and a period or a date."""
    found: dict[str, int] = {}
    for index, header in enumerate(words(h) for h in headers):
        for field, names in HEADERS.items():
            if any(header == name or (name not in ALONE and header.startswith(name + " ")) for name in names):
                key = _title_language(header) if field == "title" else field
                found.setdefault(key, index)
                break
    has_title = "title_es" in found or "title_en" in found
    if not ({"area", "type"} <= found.keys() and has_title and ("period" in found or "on" in found)):
        raise sheets.refused("plan_no_columns")
    return found


def read_plan(data: bytes, filename: str) -> tuple[sheets.Table, dict[str, int]]:
    """The table of an uploaded plan and where each field is; FieldErrors under `file` when it cannot be used.

    The column names are looked for in the first rows: a plan often carries its title above the table.
    """
    try:
        table = sheets.read_table(data, filename)
    except FieldErrors as exc:
        # The sheet reader words a few refusals for sign-in sheets: a plan's say what a plan needs.
        kind, context = exc.errors["file"]
        plan_kind = {"no_header": "plan_no_columns", "no_rows": "plan_no_rows"}.get(kind, kind)
        raise sheets.refused(plan_kind, **context) from None
    candidates = [(0, table.headers)] + [
        (i + 1, cells) for i, (_, cells) in enumerate(table.rows[: sheets.HEADER_SEARCH])
    ]
    for at, headers in candidates:
        try:
            columns = column_map(headers)
        except FieldErrors:
            continue
        rows = table.rows[at:]
        if not rows:
            raise sheets.refused("plan_no_rows")
        if len(rows) > MAX_ROWS:
            raise sheets.refused("too_many_rows", max_rows=MAX_ROWS)
        return sheets.Table(headers=headers, rows=rows), columns
    raise sheets.refused("plan_no_columns")


def _day(text: str) -> tuple[str | None, tuple | None]:
    """A date cell as ISO text (ISO, or day first as written in Panama), or why it cannot be read."""
    cell = text.strip().split(" ")[0].split("T")[0]
    try:
        return date.fromisoformat(cell).isoformat(), None
    except ValueError:
        pass
    found = _DMY.match(cell)
    if not found:
        return None, ("sheet_date", {})
    first, second, year = (int(g) for g in found.groups())
    if first <= 12 and second <= 12 and first != second:
        return None, ("sheet_date_ambiguous", {"text": cell})  # 03/04/2026: 3 April or March 4?
    day, month = (first, second) if second <= 12 else (second, first)
    try:
        return date(year, month, day).isoformat(), None
    except ValueError:
        return None, ("sheet_date", {})


def _area(text: str, areas: list[CooperationArea]) -> int | None:
    folded = words(text)
    number = _AREA_NUMBER.match(folded)
    for area in areas:
        if number and int(number.group(1)) == area.number:
            return area.id
        if folded and folded in {words(area.name_es or ""), words(area.name_en or ""), words(area.slug)}:
            return area.id
    return None


def row_values(cells: dict[str, str], *, areas: list[CooperationArea], people: dict[str, int]) -> tuple[dict, dict]:
    """A row's cells (field -> text) as the plan form's values, and what could not be read (field -> error)."""
    values: dict = {"title_es": cells.get("title_es", ""), "title_en": cells.get("title_en", "")}
    errors: dict = {}
    found = TYPES.get(words(cells.get("type", "")))
    if found is None:
        errors["type"] = ("sheet_type", {})
    else:
        values["type"] = found[0]
        if found[1]:
            values["activity_kind"] = found[1]
    area_id = _area(cells.get("area", ""), areas)
    if area_id is None:
        errors["area_id"] = ("sheet_area", {})
    else:
        values["area_id"] = area_id
    if cells.get("on", "").strip():
        values["on"], problem = _day(cells["on"])
        if problem:
            errors["on"] = problem
    values["period"] = cells.get("period", "")
    owner = cells.get("owner", "").strip()
    if owner:
        try:
            email = normalize_email(owner)
        except ValueError:
            errors["responsible_id"] = ("email", {})
        else:
            if email in people:
                values["responsible_id"] = people[email]
            else:
                errors["responsible_id"] = ("sheet_owner", {})
    return values, errors


def _jsonable(errors: dict) -> dict:
    # Error contexts may hold dates (the term's, for a date outside it): kept as tagged ISO text.
    return {
        field: [kind, {k: {"date": v.isoformat()} if isinstance(v, date) else v for k, v in context.items()}]
        for field, (kind, context) in errors.items()
    }


def problem_messages(errors: dict, gettext) -> dict[str, str]:
    """A refused row's stored errors as sentences in the reader's language."""
    shown = {}
    for field, entry in errors.items():
        kind, context = entry if isinstance(entry, list | tuple) and len(entry) == 2 else ("", {})
        context = {
            k: date.fromisoformat(v["date"]) if isinstance(v, dict) and "date" in v else v
            for k, v in (context if isinstance(context, dict) else {}).items()
        }
        shown[field] = message(kind, context, gettext)
    return shown


def _people(session: Session, rows: list[dict]) -> dict[str, int]:
    emails = set()
    for row in rows:
        try:
            emails.add(normalize_email(row["cells"].get("owner", "")))
        except ValueError:
            continue
    found = session.exec(select(Person.email, Person.id).where(Person.email.in_(sorted(emails)))).all()
    return dict(found)


def names_of(session: Session, rows: list[dict]) -> dict[int, str]:
    """The names of the people staged rows make responsible (by id)."""
    ids = {r["responsible_id"] for r in rows if isinstance(r.get("responsible_id"), int)}
    return dict(session.exec(select(Person.id, Person.name).where(Person.id.in_(sorted(ids)))).all()) if ids else {}


def _checked(session: Session, partnership: Partnership, entries: list[dict], zone: str) -> tuple[list, list]:
    """Each staged row checked against the records as they are now: (rows that will be planned, refused)."""
    people = _people(session, entries)
    rows, problems = [], []
    for entry in entries:
        cells = entry["cells"]
        values, errors = row_values(cells, areas=list(partnership.areas), people=people)
        if not errors:
            try:
                plan, data = plan_service.item_input(session, partnership=partnership, values=values, zone=zone)
            except FieldErrors as exc:
                errors = exc.errors
        if errors:
            problems.append({"row": entry["row"], "cells": cells, "errors": _jsonable(errors)})
            continue
        planned_on = data.due_on if plan.type == DELIVERABLE else data.start_local.date()
        period = parse_period(plan.period, plan_service.periods_of(partnership, "quarter")) if plan.period else None
        rows.append(
            {
                "row": entry["row"],
                "cells": cells,
                "type": str(plan.type),
                "activity_kind": str(plan.activity_kind) if plan.type == ACTIVITY else None,
                "area_id": plan.area_id,
                "title_en": plan.title_en,
                "title_es": plan.title_es,
                "planned_on": planned_on.isoformat(),
                "period": period.code if period and not plan.on else None,
                "responsible_id": plan.responsible_id,
            }
        )
    return rows, problems


def stage(
    session: Session, *, partnership: Partnership, table: sheets.Table, columns: dict, filename: str, by: int | None,
    zone: str,
) -> PlanImport:  # fmt: skip
    """A staged import of the sheet's rows, each checked: nothing is planned until it is confirmed."""
    entries = [
        {"row": number, "cells": {field: cells[index] for field, index in columns.items()}}
        for number, cells in table.rows
    ]
    rows, problems = _checked(session, partnership, entries, zone)
    batch = PlanImport(partnership_id=partnership.id, created_by=by, filename=filename, rows=rows, problems=problems)
    session.add(batch)
    session.flush()
    return batch


def get_import_or_404(session: Session, *, partnership: Partnership, batch_id: int) -> PlanImport:
    """A staged import of this partnership."""
    batch = session.get(PlanImport, batch_id)
    if batch is None or batch.partnership_id != partnership.id:
        raise NotFound(N_("This import does not exist."))
    return batch


def _claim(session: Session, batch: PlanImport, status: str) -> None:
    """Move a batch out of its preview, once: of two confirmations at the same time, one wins, the other 409."""
    claimed = session.exec(
        update(PlanImport).where(PlanImport.id == batch.id, PlanImport.status == "preview").values(status=status)
    ).rowcount
    if claimed != 1:
        raise Conflict(NOT_PENDING)
    session.refresh(batch)


def confirm(session: Session, *, partnership: Partnership, batch: PlanImport, zone: str) -> int:
    """Plan every row that passes, checked again against the records as they are now; how many were planned.

    FieldErrors when a row no longer passes (an area or a person changed since the preview): the caller
    rolls back, restages and shows the preview again.
    """
    _claim(session, batch, "confirmed")
    entries = [r for r in batch.rows if isinstance(r, dict) and isinstance(r.get("cells"), dict)]
    people = _people(session, entries)
    for entry in entries:
        values, errors = row_values(entry["cells"], areas=list(partnership.areas), people=people)
        raise_if(errors)
        plan_service.add_item(session, partnership=partnership, values=values, zone=zone)
    return len(entries)


def restage(session: Session, *, partnership: Partnership, batch: PlanImport, zone: str) -> None:
    """Check a batch's rows again (after a refused confirmation), keeping it waiting for confirmation."""
    entries = [
        {"row": r.get("row"), "cells": r["cells"]}
        for r in batch.rows + batch.problems
        if isinstance(r, dict) and isinstance(r.get("cells"), dict)
    ]
    batch.rows, batch.problems = _checked(session, partnership, sorted(entries, key=lambda e: e["row"] or 0), zone)
    session.add(batch)
    session.flush()


def discard(session: Session, *, batch: PlanImport) -> None:
    """Drop a staged import: nothing of it is planned."""
    _claim(session, batch, "discarded")


def ensure_pending(batch: PlanImport) -> None:
    """Refuse (409) a batch already confirmed or discarded."""
    if batch.status != "preview":
        raise Conflict(NOT_PENDING)

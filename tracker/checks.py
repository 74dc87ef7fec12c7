"""Rules that need the database: ids that must name records (of the right partnership), values no other
record may hold. Each notes field -> (kind, context) in `errors`, so a form reports every rule at once."""

from sqlmodel import select


def check_ids(
    session,
    model,
    ids: list[int],
    *,
    field: str,
    errors: dict,
    unknown: str,
    foreign: str | None = None,
    partnership_id: int | None = None,
) -> list:
    """The `model` records with these ids: `unknown` noted if one does not exist, `foreign` if another partnership's."""
    unique = list(dict.fromkeys(ids))
    found = list(session.exec(select(model).where(model.id.in_(unique)))) if unique else []
    if len(found) != len(unique):
        errors[field] = (unknown, {})
    elif foreign and any(record.partnership_id != partnership_id for record in found):
        errors[field] = (foreign, {})
    return found


def check_unique(session, model, field: str, value, *, record_id: int | None, errors: dict, scope: tuple = ()) -> None:
    """Note `taken` under `field` when another `model` record (among those `scope` selects) holds `value`."""
    clash = session.exec(select(model.id).where(getattr(model, field) == value, *scope)).first()
    if clash is not None and clash != record_id:
        errors[field] = ("taken", {})

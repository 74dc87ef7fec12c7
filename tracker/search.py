"""Search that ignores accents and case on SQLite and PostgreSQL alike.

Neither database folds "Ó" to "o" by itself (SQLite's lower() knows only ASCII, PostgreSQL needs an
extension), so each searched record keeps its searchable fields folded in one column, `search_text`,
written whenever the record is saved; a search folds its needle the same way and matches it with LIKE.
"""

import unicodedata

from sqlalchemy import event

from tracker.models import Activity, Deliverable, Person

# The fields a list's search box looks in, per searched table.
SEARCHED = {
    Activity: ("title_en", "title_es", "summary_en", "summary_es", "venue"),
    Deliverable: ("title_en", "title_es", "description_en", "description_es"),
    Person: ("name", "email"),
}


def fold(text: str) -> str:
    """Text as search compares it: compatibility forms decomposed, accents dropped, case folded.

    "MEDICIÓN", "medición" and "medicion" all fold to "medicion"; "ﬁ" to "fi", "ß" to "ss".
    """
    # Decomposed before and after folding: casefold may itself add a combining mark ("İ" → "i̇").
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def search_text(values) -> str:
    """Several fields' texts folded and joined, one a line (blank ones left out)."""
    return "\n".join(fold(value) for value in values if value)


def _fill(_mapper, _connection, record) -> None:
    record.search_text = search_text(getattr(record, name) for name in SEARCHED[type(record)])


def install() -> None:
    """Keep every searched record's `search_text` current on each insert and update (idempotent)."""
    for model in SEARCHED:
        for name in ("before_insert", "before_update"):
            if not event.contains(model, name, _fill):
                event.listen(model, name, _fill)

"""either language is enough: titles and names may stand in one language; objectives, outcomes and
deliverable descriptions bilingual (each old text moved to the language it is written in); a folded
search text on activities, deliverables and people

Revision ID: 89d2636d043f
Revises: d7ff9e84b4a9
Create Date: 2026-12-02 08:04:17
"""

import re
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from tracker.search import search_text

revision: str = '89d2636d043f'
down_revision: str | None = 'd7ff9e84b4a9'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Words common in one language and rare in the other. Short words both share ("a", "no", "me", "he",
# "son", "has") are left out: they tell nothing.
SPANISH_WORDS = frozenset(
    """
    de la el los las del que en y un una unos unas por para con sin sobre entre hacia desde durante
    se su sus al lo como más pero también muy ya este esta estos estas ese esa eso porque cuando donde
    fue ser es está están hay ha sido será cada otro otra otros nuestro nuestra nos mediante según
    """.split()
)
ENGLISH_WORDS = frozenset(
    """
    the of and to in is are was were be been for with on at by from that this these those it its
    as an or not which will would can could should have had their our we they into about than
    """.split()
)
SPANISH_LETTERS = re.compile(r"[áéíóúüñ¿¡]")
WORD = re.compile(r"[^\W\d_]+")


def written_in(text: str) -> str:
    """The language a text is most likely written in, "es" or "en".

    Each word that is common in Spanish (or has an accent, an "ñ", an "¿" or "¡") counts for Spanish,
    each common English word for English; Spanish must win. A tie (no telling words) is English: the old
    single fields sat on forms that asked for English first.
    """
    words = WORD.findall(text.casefold())
    spanish = sum(1 for word in words if word in SPANISH_WORDS or SPANISH_LETTERS.search(word))
    english = sum(1 for word in words if word in ENGLISH_WORDS)
    return "es" if spanish > english else "en"


# Each old single-language column, and the pair that replaces it.
MOVED = {
    'activity': ('objectives', 'outcomes'),
    'deliverable': ('description',),
}
# What the search box looks in, per table (as tracker.search keeps it from now on).
SEARCHED = {
    'activity': ('title_en', 'title_es', 'summary_en', 'summary_es', 'venue'),
    'deliverable': ('title_en', 'title_es', 'description_en', 'description_es'),
    'person': ('name', 'email'),
}
# Titles and names that may now stand in the other language alone.
ONE_LANGUAGE_ENOUGH = {
    'organization': ('name_en', 'name_es'),
    'partnership': ('title_en', 'title_es'),
    'cooperation_area': ('name_en', 'name_es'),
    'activity': ('title_en',),
    'deliverable': ('title_en',),
}


def _title_type():
    return sqlmodel.sql.sqltypes.AutoString(length=200)


def _text_type():
    return sqlmodel.sql.sqltypes.AutoString(length=8000)


def _table(name: str, *columns: str) -> sa.Table:
    return sa.table(name, sa.column('id', sa.Integer), *(sa.column(c, sa.String) for c in columns))


def _move_texts(connection, name: str) -> None:
    """Each old text into its language's column, and every row's search text."""
    old = MOVED.get(name, ())
    new = [f'{field}_{code}' for field in old for code in ('en', 'es')]
    searched = [c for c in SEARCHED[name] if c not in new]
    table = _table(name, *old, *new, *searched, 'search_text')
    rows = connection.execute(sa.select(table.c.id, *(table.c[c] for c in (*old, *searched)))).mappings().all()
    updates = []
    for row in rows:
        values = {c: row[c] for c in searched}
        for field in old:
            text = row[field] or ''
            language = written_in(text) if text.strip() else 'en'
            for code in ('en', 'es'):
                values[f'{field}_{code}'] = text if code == language else ''
        values['search_text'] = search_text(values.get(c) for c in SEARCHED[name])
        updates.append({'_id': row['id'], **{k: v for k, v in values.items() if k in new or k == 'search_text'}})
    if updates:
        columns = [*new, 'search_text']
        statement = table.update().where(table.c.id == sa.bindparam('_id')).values(
            {c: sa.bindparam(c) for c in columns}
        )
        connection.execute(statement, updates)


def upgrade() -> None:
    for name, columns in ONE_LANGUAGE_ENOUGH.items():
        with op.batch_alter_table(name, schema=None) as batch_op:
            for column in columns:
                batch_op.alter_column(column, existing_type=_title_type(), nullable=True)
            for field in MOVED.get(name, ()):
                for code in ('en', 'es'):
                    batch_op.add_column(sa.Column(f'{field}_{code}', _text_type(), server_default='', nullable=False))
            if name in SEARCHED:
                batch_op.add_column(sa.Column('search_text', sa.Text(), server_default='', nullable=False))
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_text', sa.Text(), server_default='', nullable=False))

    connection = op.get_bind()
    for name in SEARCHED:
        _move_texts(connection, name)

    for name, fields in MOVED.items():
        with op.batch_alter_table(name, schema=None) as batch_op:
            for field in fields:
                batch_op.drop_column(field)
                for code in ('en', 'es'):
                    # The default only filled the rows already there; the application writes every value.
                    batch_op.alter_column(
                        f'{field}_{code}', existing_type=_text_type(), existing_nullable=False, server_default=None
                    )


def downgrade() -> None:
    connection = op.get_bind()
    for name, fields in MOVED.items():
        with op.batch_alter_table(name, schema=None) as batch_op:
            for field in fields:
                batch_op.add_column(sa.Column(field, _text_type(), server_default='', nullable=False))
        # Back to one text: the English one, else the Spanish one.
        table = _table(name, *fields, *(f'{f}_{code}' for f in fields for code in ('en', 'es')))
        connection.execute(
            table.update().values(
                {
                    field: sa.case(
                        (table.c[f'{field}_en'] != '', table.c[f'{field}_en']), else_=table.c[f'{field}_es']
                    )
                    for field in fields
                }
            )
        )
    for name, columns in ONE_LANGUAGE_ENOUGH.items():
        # A title or name written only in the other language stands in for the missing one.
        pairs = {c: c[:-2] + ('es' if c.endswith('_en') else 'en') for c in columns}
        table = _table(name, *pairs, *pairs.values())
        for column, other in pairs.items():
            connection.execute(
                table.update().where(table.c[column].is_(None)).values({column: sa.func.coalesce(table.c[other], '')})
            )
        with op.batch_alter_table(name, schema=None) as batch_op:
            for column in columns:
                batch_op.alter_column(column, existing_type=_title_type(), nullable=False)
            for field in MOVED.get(name, ()):
                batch_op.alter_column(field, existing_type=_text_type(), existing_nullable=False, server_default=None)
                for code in ('en', 'es'):
                    batch_op.drop_column(f'{field}_{code}')
            if name in SEARCHED:
                batch_op.drop_column('search_text')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_column('search_text')

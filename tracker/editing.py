"""One edit shape: a record's fields as its schema names them, read for an edit form, a PATCH or an API
answer, and written back once the input is valid.

Each schema field is the column of the same name, unless the feature's `derived` mapping says how to
read it (ids of related records, a wall-clock time, a confirmation the form asks for): a field added to
a schema is then read back with no edit here, and one with neither fails loudly instead of showing blank.
"""

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel

Derived = Mapping[str, Callable[[Any], Any]]


def fields_of(schema: type[BaseModel], record, derived: Derived | None = None) -> dict:
    """Every field of `schema`, read from `record`."""
    derived = derived or {}
    values = {}
    for name in schema.model_fields:
        value = derived[name](record) if name in derived else getattr(record, name)
        # A copy: the edit shape may change without changing the record's own (JSON) list.
        values[name] = list(value) if isinstance(value, list) else value
    return values


def copy_fields(record, data: BaseModel, derived: Derived | None = None) -> None:
    """Set each field of `data` on the record's column of the same name; `derived` ones are the caller's."""
    for name, value in data.model_dump(exclude=set(derived or ())).items():
        setattr(record, name, value)

"""Turning a submitted HTML form into schema input, and schema errors back into field messages."""

import typing
from datetime import date, datetime
from typing import Annotated

from fastapi import Depends, Request
from pydantic import BaseModel
from starlette.datastructures import FormData


def _is_list(annotation) -> bool:
    for candidate in (annotation, *typing.get_args(annotation)):
        if typing.get_origin(candidate) is list:
            return True
    return False


def _is_bool(annotation) -> bool:
    return annotation is bool


def form_values(form: FormData, schema: type[BaseModel]) -> dict:
    """The schema's fields as typed in the form: lists from repeated inputs, booleans from checkboxes."""
    values: dict = {}
    for name, info in schema.model_fields.items():
        if _is_list(info.annotation):
            values[name] = [v for v in form.getlist(name) if isinstance(v, str) and v.strip()]
        elif _is_bool(info.annotation):
            values[name] = form.get(name) in ("on", "true", "1", "yes")
        elif name in form and isinstance(form.get(name), str):
            values[name] = form.get(name)
    return values


def display_values(data: dict) -> dict:
    """Stored values as form inputs show them (datetime-local wants YYYY-MM-DDTHH:MM)."""
    shown = {}
    for name, value in data.items():
        if isinstance(value, datetime):
            # isoformat pads the year (0001-…) where strftime does not, and browsers need four digits.
            shown[name] = value.replace(tzinfo=None).isoformat(timespec="minutes")
        elif isinstance(value, date):
            shown[name] = value.isoformat()
        elif isinstance(value, list):
            shown[name] = [str(getattr(v, "value", v)) for v in value]
        elif value is None:
            shown[name] = ""
        else:
            shown[name] = str(getattr(value, "value", value))
    return shown


async def read_form(request: Request) -> FormData:
    """The submitted form, read on the event loop so the route itself can stay a plain `def`.

    Its values reach the database only through the schemas, which refuse control characters
    field by field; the few looked up before that (a sign-in email) are checked where used.
    """
    return await request.form(max_files=0, max_fields=500)


FormDep = Annotated[FormData, Depends(read_form)]


def submitted_version(form: FormData) -> int | None:
    """The record version a form was filled from (None when absent or garbled)."""
    raw = form.get("version")
    return int(raw) if isinstance(raw, str) and raw.isdigit() and len(raw) < 10 else None

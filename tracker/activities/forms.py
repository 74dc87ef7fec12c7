"""The activity forms: from submitted fields to schema input and back."""

from starlette.datastructures import FormData

from tracker.activities.schemas import ActivityIn
from tracker.forms import form_values


def activity_values(form: FormData) -> dict:
    """ActivityIn input from the form; materials come one link per line."""
    values = form_values(form, ActivityIn)
    raw = form.get("materials")
    values["materials"] = [line.strip() for line in (raw or "").splitlines() if line.strip()]
    return values


def materials_text(values: dict) -> str:
    """Materials as the form's textarea shows them."""
    materials = values.get("materials") or []
    return "\n".join(materials) if isinstance(materials, list) else str(materials)

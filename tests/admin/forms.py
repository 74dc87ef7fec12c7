"""What an administrator's browser sends from the MOU forms, built from the records as the forms show them."""

from tracker.editing import fields_of
from tracker.forms import display_values
from tracker.partnerships.schemas import AreaFields, OrganizationIn, PartnershipIn
from tracker.partnerships.service import DERIVED

CHECKBOXES = ("signed_on_confirmed", "published")


def _posted(values: dict, record, changes: dict) -> dict:
    data = {key: value for key, value in values.items() if key not in CHECKBOXES}
    data |= {key: "on" for key in CHECKBOXES if values.get(key) == "True"}
    if record is not None:
        data["version"] = str(record.version)
    data |= changes
    return {key: value for key, value in data.items() if value is not None}  # None: a box left unticked


def mou_form(partnership, **changes) -> dict:
    """The MOU form as it comes filled in, with `changes` typed over it."""
    return _posted(display_values(fields_of(PartnershipIn, partnership, DERIVED)), partnership, changes)


def area_form(area, **changes) -> dict:
    """An area's form as it comes filled in, with `changes` typed over it."""
    return _posted(display_values(fields_of(AreaFields, area)), area, changes)


def organization_form(organization, **changes) -> dict:
    """An organization's form as it comes filled in, with `changes` typed over it."""
    return _posted(display_values(fields_of(OrganizationIn, organization)), organization, changes)


def area_rows(areas) -> dict:
    """The new-partnership form's area rows, one per area (records or dicts of AreaFields)."""
    data = {"area_rows": str(len(areas))}
    for index, area in enumerate(areas):
        values = area if isinstance(area, dict) else display_values(fields_of(AreaFields, area))
        data |= {f"areas-{index}-{key}": str(value) for key, value in values.items()}
    return data

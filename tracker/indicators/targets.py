"""Indicator targets: what a partnership aims for, per period, area and breakdown."""

from sqlmodel import Session, select

from tracker.errors import NotFound
from tracker.indicators.rules import parse_dimension
from tracker.indicators.schemas import TargetIn
from tracker.indicators.service import COUNTS
from tracker.models import IndicatorTarget, Partnership
from tracker.partnerships.service import check_areas
from tracker.validation import raise_if, validate_all

# The highest target that makes sense: gains are on a 0–100 test, satisfaction on 1–5.
TARGET_MAX = {"average_knowledge_gain": 100, "average_satisfaction": 5}


def list_targets(session: Session, *, partnership: Partnership) -> list[IndicatorTarget]:
    """Every target of a partnership, by period, indicator and area."""
    return list(
        session.exec(
            select(IndicatorTarget)
            .where(IndicatorTarget.partnership_id == partnership.id)
            .order_by(
                IndicatorTarget.period_start,
                IndicatorTarget.period_end,
                IndicatorTarget.indicator,
                IndicatorTarget.area_id,
                IndicatorTarget.dimension,
            )
        )
    )


def check_target(session: Session, *, partnership: Partnership, fields: dict) -> dict:
    """The rule errors of parsed target input (possibly only some fields), field -> (kind, context)."""
    errors: dict = {}
    code, value = fields.get("indicator"), fields.get("value")
    start, end = fields.get("period_start"), fields.get("period_end")
    if start and end and end < start:
        errors["period_end"] = ("period_order", {})
    area_id = fields.get("area_id")
    if area_id is not None:
        check_areas(session, partnership, [area_id], "area_id", errors)
    dimension = fields.get("dimension", "")
    if parse_dimension(dimension) is None:
        errors["dimension"] = ("unknown_dimension", {})
    elif dimension and code and code != "people_trained":
        errors["dimension"] = ("dimension_not_broken_down", {})
    if code and value is not None:
        if code in COUNTS and not float(value).is_integer():
            errors["value"] = ("int_from_float", {})
        elif code in TARGET_MAX and value > TARGET_MAX[code]:
            errors["value"] = ("less_than_equal", {"le": TARGET_MAX[code]})
    keys = ("indicator", "period_start", "period_end", "value")
    if not errors and all(fields.get(k) is not None for k in keys):
        scope = IndicatorTarget.area_id.is_(None) if area_id is None else IndicatorTarget.area_id == area_id
        clash = session.exec(
            select(IndicatorTarget.id).where(
                IndicatorTarget.partnership_id == partnership.id,
                scope,
                IndicatorTarget.indicator == code,
                IndicatorTarget.dimension == dimension,
                IndicatorTarget.period_start == start,
                IndicatorTarget.period_end == end,
            )
        ).first()
        if clash is not None:
            errors["indicator"] = ("target_exists", {})
    return errors


def add_target(session: Session, *, partnership: Partnership, values: dict) -> IndicatorTarget:
    """Store a target from form values, or raise FieldErrors (every problem at once) and store nothing."""

    def rules(parsed: dict) -> dict:
        return check_target(session, partnership=partnership, fields=parsed)

    data = validate_all(TargetIn, values, rules)
    raise_if(rules(dict(data)))
    target = IndicatorTarget(partnership_id=partnership.id, **data.model_dump())
    session.add(target)
    session.flush()
    return target


def delete_target(session: Session, *, partnership: Partnership, target_id: int) -> None:
    """Remove one of a partnership's targets."""
    target = session.get(IndicatorTarget, target_id)
    if target is None or target.partnership_id != partnership.id:
        raise NotFound()
    session.delete(target)
    session.flush()

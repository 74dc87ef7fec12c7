"""Pages: capacity indicators of a partnership for a period, and the administrators' targets."""

from babel import Locale
from fastapi import APIRouter, Request
from pydantic import TypeAdapter, ValidationError
from sqlmodel import Session

from tracker.api import PathId
from tracker.auth import AdminDep, ViewerDep
from tracker.db import SessionDep
from tracker.errors import NotFound
from tracker.forms import FormDep, form_values
from tracker.i18n import request_language
from tracker.indicators import service as indicator_service
from tracker.indicators import targets as target_service
from tracker.indicators.rules import SEXES, Period
from tracker.indicators.schemas import INDICATOR_CODES, IndicatorPeriod, IndicatorReport, TargetIn
from tracker.models import Partnership
from tracker.pages import saved
from tracker.partnerships import service as partnership_service
from tracker.surveys import indicators as survey_indicators
from tracker.templating import gettext_of, is_htmx, render
from tracker.validation import FieldErrors, OptionalDay, OptionalId, message, messages

router = APIRouter(include_in_schema=False)
FILTERS = {"from": TypeAdapter(OptionalDay), "to": TypeAdapter(OptionalDay), "area": TypeAdapter(OptionalId)}
ORGANIZATIONS_SHOWN = 25


def _filters(request: Request, session: Session, partnership: Partnership) -> tuple:
    """(period, area, the filters as typed, a message per filter that could not be used: then ignored)."""
    gettext = gettext_of(request)
    shown = {key: request.query_params.get(key, "") for key in FILTERS}
    parsed, errors = {}, {}
    for key, adapter in FILTERS.items():
        try:
            parsed[key] = adapter.validate_python(shown[key])
        except ValidationError as exc:
            errors[key] = next(iter(messages(exc, gettext).values()))
    term = indicator_service.term_of(partnership)
    period = Period(parsed.get("from") or term.start, parsed.get("to") or term.end)
    if period.end < period.start:
        errors["to" if parsed.get("to") else "from"] = message("period_order", {}, gettext)
        period = term
    area = None
    if parsed.get("area") is not None:
        try:
            area = partnership_service.get_area_or_404(session, area_id=parsed["area"], partnership=partnership)
        except NotFound:
            errors["area"] = message("unknown_area", {}, gettext)
    return period, area, shown, errors


def _matching(values, dimensions) -> int | float | None:
    return next((v.value for v in values if v.dimensions == dimensions), None)


def _progress(actual, target) -> float | None:
    return actual / target if actual is not None and target else None


def _tables(report: IndicatorReport, gettext) -> dict:
    """The report as the page's tables: indicators for the period, breakdowns, and the target periods."""
    rows, sex, organizations, countries, targets = [], [], [], [], []
    for indicator in report.indicators:
        main: IndicatorPeriod = indicator.periods[0]
        actual, target = _matching(main.actual, []), _matching(main.target, [])
        rows.append({"indicator": indicator, "actual": actual, "target": target, "progress": _progress(actual, target)})
        if indicator.code == "people_trained":
            total = actual or 0
            for value in main.actual[1:]:
                dim = value.dimensions[0]
                if dim.name == "sex":
                    goal = _matching(main.target, value.dimensions)
                    sex.append(
                        {
                            "label": gettext(indicator_service.SEX_LABELS[dim.value]),
                            "people": value.value,
                            "share": value.value / total if total else None,
                            "target": goal,
                            "progress": _progress(value.value, goal),
                        }
                    )
                elif dim.name == "organization":
                    organizations.append((dim.value, value.value))
                else:
                    countries.append((dim.value, value.value))
        for period in indicator.periods:
            for goal in period.target:
                if period is main and not goal.dimensions:
                    continue  # already in the main table
                reached = _matching(period.actual, goal.dimensions)
                targets.append(
                    {
                        "indicator": indicator,
                        "dimension": goal.dimensions[0].value if goal.dimensions else "",
                        "start": period.period_start,
                        "end": period.period_end,
                        "target": goal.value,
                        "actual": reached,
                        "progress": _progress(reached, goal.value),
                    }
                )
    return {
        "rows": rows,
        "by_sex": sex,
        "by_organization": organizations[:ORGANIZATIONS_SHOWN],
        "organizations_hidden": max(len(organizations) - ORGANIZATIONS_SHOWN, 0),
        "by_country": countries,
        "target_rows": targets,
    }


def _country_namer(request: Request):
    territories = Locale.parse(request_language(request)).territories
    return lambda code: territories.get(code, code)


@router.get("/partnerships/{slug}/indicators", name="indicators")
def indicators_page(slug: str, request: Request, session: SessionDep, viewer: ViewerDep):
    partnership = partnership_service.get_partnership_or_404(session, slug, viewer)
    period, area, filters, errors = _filters(request, session, partnership)
    gettext = gettext_of(request)
    report = indicator_service.report(
        session, partnership=partnership, period=period, area_id=area.id if area else None, gettext=gettext
    )
    context = {
        "partnership": partnership,
        "area": area,
        "period": period,
        "filters": filters,
        "errors": errors,
        "sex_labels": indicator_service.SEX_LABELS,
        "country_name": _country_namer(request),
        "averages": ("average_knowledge_gain", "average_satisfaction"),
        "surveys": survey_indicators.page_section(
            session, partnership=partnership, period=period, area_id=area.id if area else None, request=request
        ),
    } | _tables(report, gettext)
    if is_htmx(request):
        return render(request, "indicators/_results.html", context)
    return render(request, "indicators/page.html", context, 422 if errors else 200)


# Targets (administrators) -------------------------------------------------------------------


def _targets_context(request: Request, session: Session, partnership: Partnership, **extra) -> dict:
    gettext = gettext_of(request)
    term = indicator_service.term_of(partnership)
    return {
        "partnership": partnership,
        "targets": target_service.list_targets(session, partnership=partnership),
        "areas_by_id": {a.id: a for a in partnership.areas},
        "titles": indicator_service.TITLES,
        "sex_labels": indicator_service.SEX_LABELS,
        "indicator_options": [(code, gettext(indicator_service.TITLES[code])) for code in INDICATOR_CODES],
        "dimension_options": [(f"sex={s}", gettext(indicator_service.SEX_LABELS[s])) for s in SEXES],
        "values": {"period_start": term.start.isoformat(), "period_end": term.end.isoformat()},
        "errors": {},
    } | extra


@router.get("/admin/indicators/{slug}", name="admin_indicators")
def targets_page(slug: str, request: Request, session: SessionDep, _admin: AdminDep):
    partnership = partnership_service.get_partnership_or_404(session, slug)
    return render(request, "indicators/targets.html", _targets_context(request, session, partnership))


@router.post("/admin/indicators/{slug}", name="admin_indicator_add")
def target_add(slug: str, request: Request, session: SessionDep, form: FormDep, _admin: AdminDep):
    partnership = partnership_service.get_partnership_or_404(session, slug)
    values = form_values(form, TargetIn)
    try:
        target_service.add_target(session, partnership=partnership, values=values)
    except FieldErrors as exc:
        session.rollback()
        errors = messages(exc, gettext_of(request))
        context = _targets_context(request, session, partnership, values=values, errors=errors)
        return render(request, "indicators/targets.html", context, 422)
    session.commit()
    return saved(request, f"/admin/indicators/{partnership.slug}")


@router.post("/admin/indicators/{slug}/targets/{target_id}/delete", name="admin_indicator_delete")
def target_delete(slug: str, target_id: PathId, request: Request, session: SessionDep, _admin: AdminDep):
    partnership = partnership_service.get_partnership_or_404(session, slug)
    target_service.delete_target(session, partnership=partnership, target_id=target_id)
    session.commit()
    return saved(request, f"/admin/indicators/{partnership.slug}")

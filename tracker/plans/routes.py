"""Pages: the work plan (all areas, or one), and adding, moving and dropping its items.

Every form works without JavaScript; with htmx, adding swaps the area's section and a move or a drop
swaps the item's row in place.
"""

from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlmodel import Session

from tracker.activities import actions as activity_actions
from tracker.activities import confirmations
from tracker.activities import service as activity_service
from tracker.api import PathId
from tracker.auth import ManagerDep, Viewer, ViewerDep
from tracker.confirming import confirm_page
from tracker.db import SessionDep
from tracker.deliverables import service as deliverable_service
from tracker.errors import Conflict, StaleEdit
from tracker.forms import FormDep, form_values, submitted_version
from tracker.i18n import N_, localized, request_language, translate
from tracker.indicators.service import SEX_LABELS, TITLES
from tracker.labels import status_label
from tracker.models import ActivityKind, CooperationArea, DeliverableStatus, Partnership
from tracker.pages import safe_next
from tracker.partnerships import service as partnership_service
from tracker.people import service as people_service
from tracker.plans import baseline_routes, baselines, import_routes
from tracker.plans import service as plan_service
from tracker.plans.comparison import ACTIVITY, DELIVERABLE, PlanItem
from tracker.plans.periods import KINDS, QUARTER, label, period_of
from tracker.plans.schemas import REASON_LENGTH, DropIn, MoveIn, PlanItemIn
from tracker.templating import gettext_of, is_htmx, render, today_for
from tracker.validation import MESSAGES, FieldErrors, collect, messages

router = APIRouter(include_in_schema=False)
# The import's and the baselines' pages first: "/plan/import" must not be read as the plan of an area "import".
router.include_router(import_routes.router)
router.include_router(baseline_routes.router)
DROPPING_DELIVERABLE = {
    "title": N_("Drop the deliverable “{title}” from the plan?"),
    "consequences": (
        N_("The deliverable will be marked cancelled; it can be set back to “not started” later."),
        N_("Its pending reminders are dropped; those already sent stay in its history."),
        N_("The baseline comparison lists it as dropped, with your reason."),
    ),
    "submit": N_("Drop the deliverable"),
}
DROPPED_FROM_COMPARISON = N_("The baseline comparison lists it as dropped, with your reason.")


def conflict_text(exc: Conflict, gettext) -> str:
    """A refusal of the record's state in words ("…while the status is “Held”.")."""
    context = {k: status_label(v, gettext) if k == "status" else v for k, v in exc.context.items()}
    return gettext(exc.reason).format(**context)


def by_of(request: Request) -> str:
    """The periods the plan is shown by: quarters (the default) or semesters (?by=semester)."""
    by = request.query_params.get("by")
    return by if by in KINDS else QUARTER


def plan_url(partnership: Partnership, area: CooperationArea | None = None) -> str:
    """The address of the plan, or of one area's plan."""
    base = f"/partnerships/{partnership.slug}/plan"
    return f"{base}/{area.slug}" if area is not None else base


def _context(request: Request, session: Session, partnership: Partnership, area=None, **extra) -> dict:
    """What the plan's pages and fragments show: the areas' plans, the latest baseline, the forms' state."""
    language = request_language(request)
    by = by_of(request)
    plans = plan_service.area_plans(session, partnership=partnership, by=by, areas=[area] if area is not None else None)
    periods = plan_service.periods_of(partnership, by)
    baseline = baselines.latest(session, partnership=partnership)
    viewer: Viewer = request.state.viewer
    return {
        "partnership": partnership,
        "plans": plans,
        "single": area is not None,
        "by": by,
        "periods": periods,
        "current_period": period_of(today_for(request), periods),
        "period_label": lambda period: label(period, language),
        "period_options": [(p.code, label(p, language)) for p in periods],
        "baseline": baseline,
        "approved_by": baselines.approvers(session, [baseline]).get(baseline.approved_by) if baseline else None,
        "baseline_dates": {i.key: i.planned_on for i in baselines.items_of(baseline)} if baseline else {},
        "people": people_service.all_people(session) if viewer.can_manage(partnership.id) else [],
        "activity_kinds": list(ActivityKind),
        "indicator_titles": TITLES,
        "sex_labels": SEX_LABELS,
        # Where a row's forms come back to without JavaScript: this page (after a POST, the plan's page).
        "here": request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.method == "GET"
        else plan_url(partnership, area) + (f"?by={by}" if by != QUARTER else ""),
        "values": {},
        "errors": {},
        "rows": {},
        "nav": "plan",
    } | extra


def _area_page(request: Request, session: Session, partnership, area, status: int = 200, **extra):
    """One area's plan: the whole page, or its section alone for htmx."""
    context = _context(request, session, partnership, area, **extra)
    template = "plans/_area.html" if is_htmx(request) else "plans/area.html"
    return render(request, template, context | {"plan": context["plans"][0]}, status)


@router.get("/partnerships/{slug}/plan", name="plan")
def plan_page(slug: str, request: Request, session: SessionDep, viewer: ViewerDep):
    partnership = partnership_service.get_partnership_or_404(session, slug, viewer)
    notice = "imported" if request.query_params.get("imported", "").isdigit() else None
    context = _context(request, session, partnership, notice=notice, imported=request.query_params.get("imported"))
    return render(request, "plans/plan.html", context)


@router.post("/partnerships/{slug}/plan/items", name="plan_add")
def plan_add(slug: str, request: Request, session: SessionDep, form: FormDep, viewer: ManagerDep):
    partnership = partnership_service.get_partnership_or_404(session, slug, viewer)
    values = form_values(form, PlanItemIn)
    area = next((a for a in partnership.areas if str(a.id) == str(values.get("area_id", ""))), None)
    try:
        plan_service.add_item(
            session, partnership=partnership, values=values, zone=request.app.state.settings.default_timezone
        )
    except (ValidationError, FieldErrors) as exc:
        session.rollback()
        errors = messages(exc, gettext_of(request))
        outside = any(kind == "outside_term" for kind, _ in collect(exc).values())
        if area is None:  # no area to show the form in: the plan, with what was refused
            context = _context(request, session, partnership, errors=errors, values=values)
            return render(request, "plans/plan.html", context, 422)
        return _area_page(request, session, partnership, area, 422, values=values, errors=errors, ask_outside=outside)
    session.commit()
    if is_htmx(request):
        return _area_page(request, session, partnership, area, notice="added")
    return RedirectResponse(f"{plan_url(partnership, area)}?added=1#add", status_code=303)


@router.get("/partnerships/{slug}/plan/{area_slug}", name="plan_area")
def plan_area_page(slug: str, area_slug: str, request: Request, session: SessionDep, viewer: ViewerDep):
    partnership = partnership_service.get_partnership_or_404(session, slug, viewer)
    area = partnership_service.get_area_or_404(session, slug=area_slug, partnership=partnership)
    notice = "added" if request.query_params.get("added") else None
    return _area_page(request, session, partnership, area, notice=notice)


# Moving and dropping an item --------------------------------------------------------------------


def _next(form) -> str | None:
    value = form.get("next") if form is not None else None
    return value if isinstance(value, str) else None


def _area_of(partnership: Partnership, form, item: PlanItem) -> CooperationArea:
    """The area whose plan the form was sent from (the item's first area when it does not say)."""
    chosen = form.get("area_id") if form is not None else None
    areas = [a for a in partnership.areas if a.id in item.area_ids] or list(partnership.areas)
    return next((a for a in areas if str(a.id) == chosen), areas[0])


def _row(request: Request, session: Session, partnership, item: PlanItem, area, status: int = 200, **state):
    """One item's row of the plan (for htmx), with its forms' state."""
    context = _context(request, session, partnership, area)
    prefix = row_prefix(area.id, item)
    here = safe_next(state.pop("next", None))
    context |= {"item": item, "area": area, "rows": {prefix: state}, "here": here if here != "/" else context["here"]}
    return render(request, "plans/_row.html", context, status)


def row_prefix(area_id: int, item: PlanItem) -> str:
    """What makes a row's ids unique on a page that shows an item in each of its areas."""
    return f"a{area_id}-{item.type}-{item.id}"


def _item_of(session: Session, item_type: str, item_id: int) -> PlanItem:
    if item_type == ACTIVITY:
        return plan_service.activity_item(activity_service.get_activity_or_404(session, item_id))
    return plan_service.deliverable_item(deliverable_service.get_deliverable_or_404(session, item_id))


def _changed(
    request: Request,
    session: Session,
    *,
    partnership: Partnership,
    item: PlanItem,
    form,
    action: str,
    change: Callable[[], object],
    values: dict,
    refused_page: Callable[[dict], object] | None = None,
):
    """Run a move or a drop; the row again (htmx) or back to the plan (303). Refused: the row with its form
    open and each field's message (422; 409 when the item changed meanwhile), or without JavaScript the
    area's page (a drop: its confirmation page)."""
    area = _area_of(partnership, form, item)
    gettext = gettext_of(request)
    try:
        change()
    except (ValidationError, FieldErrors, StaleEdit, Conflict) as exc:
        session.rollback()
        status = 422
        if isinstance(exc, StaleEdit):
            status, errors = 409, {"__all__": gettext(MESSAGES["stale"])}
        elif isinstance(exc, Conflict):
            status, errors = 409, {"__all__": conflict_text(exc, gettext)}
        else:
            errors = messages(exc, gettext)
        item = _item_of(session, item.type, item.id)
        outside = not isinstance(exc, StaleEdit | Conflict) and any(
            kind == "outside_term" for kind, _ in collect(exc).values()
        )
        state = {"open": action, "errors": errors, "values": values, "ask_outside": outside, "next": _next(form)}
        if is_htmx(request):
            return _row(request, session, partnership, item, area, status, **state)
        if refused_page is not None and status == 422:
            return refused_page(errors)
        rows = {row_prefix(area.id, item): state}
        return _area_page(request, session, partnership, area, status, rows=rows)
    session.commit()
    if is_htmx(request):
        if action == "drop":
            return _row(request, session, partnership, item, area, notice="dropped", next=_next(form))
        moved = _item_of(session, item.type, item.id)
        return _row(request, session, partnership, moved, area, notice="moved", next=_next(form))
    target = safe_next(_next(form))
    return RedirectResponse(target if target != "/" else plan_url(partnership, area), status_code=303)


@router.post("/plan/activities/{activity_id}/move", name="plan_activity_move")
def activity_move(activity_id: PathId, request: Request, session: SessionDep, form: FormDep, viewer: ManagerDep):
    activity = activity_service.get_activity_or_404(session, activity_id, viewer)
    partnership = activity_service.activity_partnership(session, activity)
    values = form_values(form, MoveIn)
    return _changed(
        request,
        session,
        partnership=partnership,
        item=plan_service.activity_item(activity),
        form=form,
        action="move",
        values=values,
        change=lambda: plan_service.move_activity(
            session, activity=activity, values=values, version=submitted_version(form)
        ),
    )


@router.post("/plan/deliverables/{deliverable_id}/move", name="plan_deliverable_move")
def deliverable_move(deliverable_id: PathId, request: Request, session: SessionDep, form: FormDep, viewer: ManagerDep):
    deliverable = deliverable_service.get_deliverable_or_404(session, deliverable_id, viewer)
    partnership = deliverable_service.deliverable_partnership(session, deliverable)
    values = form_values(form, MoveIn)
    return _changed(
        request,
        session,
        partnership=partnership,
        item=plan_service.deliverable_item(deliverable),
        form=form,
        action="move",
        values=values,
        change=lambda: plan_service.move_deliverable(
            session, deliverable=deliverable, values=values, version=submitted_version(form)
        ),
    )


def _drop_page(request: Request, partnership, item: PlanItem, asking: dict, values: dict, hidden: dict, errors=None):
    """The confirmation page of a drop (without JavaScript), asking why."""
    back = safe_next(hidden.get("next"))
    return confirm_page(
        request,
        title=asking["title"],
        consequences=asking["consequences"],
        submit=asking["submit"],
        action=f"/plan/{item.path}/{item.id}/drop",
        back=back if back != "/" else plan_url(partnership),
        reason=True,
        values=values,
        errors=errors,
        hidden=hidden,
        partnership=partnership,
    )


def _asking(item_type: str, record, language: str) -> dict:
    if item_type == ACTIVITY:
        asking = confirmations.cancelling(record, language)
        consequences = [*asking.consequences, translate(DROPPED_FROM_COMPARISON, {}, language)]
        return {"title": asking.title, "consequences": consequences, "submit": asking.submit}
    title = localized(record, "title", language)
    return {
        "title": translate(DROPPING_DELIVERABLE["title"], {"title": title}, language),
        "consequences": [translate(line, {}, language) for line in DROPPING_DELIVERABLE["consequences"]],
        "submit": translate(DROPPING_DELIVERABLE["submit"], {}, language),
    }


def _drop_hidden(source) -> dict:
    hidden = {}
    for name in ("next", "area_id"):
        value = source.get(name)
        if isinstance(value, str) and value:
            hidden[name] = safe_next(value) if name == "next" else value[:12]
    return hidden


def _record(session: Session, item_type: str, item_id: int, viewer):
    if item_type == ACTIVITY:
        activity = activity_service.get_activity_or_404(session, item_id, viewer)
        return activity, activity_service.activity_partnership(session, activity), plan_service.activity_item(activity)
    deliverable = deliverable_service.get_deliverable_or_404(session, item_id, viewer)
    partnership = deliverable_service.deliverable_partnership(session, deliverable)
    return deliverable, partnership, plan_service.deliverable_item(deliverable)


def _require_droppable(item_type: str, record) -> None:
    if item_type == ACTIVITY:
        activity_actions.require(record, "cancel")
    elif DeliverableStatus.cancelled not in deliverable_service.next_statuses(record):
        raise Conflict(N_("This change is not possible while the status is “{status}”."), status=record.status)


def _drop_confirm(item_type: str, item_id: int, request: Request, session: Session, viewer):
    record, partnership, item = _record(session, item_type, item_id, viewer)
    _require_droppable(item_type, record)
    values = {"reason": request.query_params.get("reason", "")[:REASON_LENGTH]}
    asking = _asking(item_type, record, request_language(request))
    return _drop_page(request, partnership, item, asking, values, _drop_hidden(request.query_params))


def _drop(item_type: str, item_id: int, request: Request, session: Session, form, viewer):
    record, partnership, item = _record(session, item_type, item_id, viewer)
    values = form_values(form, DropIn)

    def change():
        _require_droppable(item_type, record)  # a status that forbids it answers 409, whatever the input
        reason = DropIn.model_validate(values).reason
        if item_type == ACTIVITY:
            plan_service.drop_activity(session, activity=record, reason=reason)
        else:
            plan_service.drop_deliverable(session, deliverable=record, reason=reason, today=today_for(request))

    def refused(errors):
        asking = _asking(item_type, record, request_language(request))
        return _drop_page(request, partnership, item, asking, values, _drop_hidden(form), errors)

    return _changed(
        request,
        session,
        partnership=partnership,
        item=item,
        form=form,
        action="drop",
        values=values,
        change=change,
        refused_page=refused,
    )


@router.get("/plan/activities/{activity_id}/drop", name="plan_activity_drop_confirm")
def activity_drop_confirm(activity_id: PathId, request: Request, session: SessionDep, viewer: ManagerDep):
    return _drop_confirm(ACTIVITY, activity_id, request, session, viewer)


@router.post("/plan/activities/{activity_id}/drop", name="plan_activity_drop")
def activity_drop(activity_id: PathId, request: Request, session: SessionDep, form: FormDep, viewer: ManagerDep):
    return _drop(ACTIVITY, activity_id, request, session, form, viewer)


@router.get("/plan/deliverables/{deliverable_id}/drop", name="plan_deliverable_drop_confirm")
def deliverable_drop_confirm(deliverable_id: PathId, request: Request, session: SessionDep, viewer: ManagerDep):
    return _drop_confirm(DELIVERABLE, deliverable_id, request, session, viewer)


@router.post("/plan/deliverables/{deliverable_id}/drop", name="plan_deliverable_drop")
def deliverable_drop(deliverable_id: PathId, request: Request, session: SessionDep, form: FormDep, viewer: ManagerDep):
    return _drop(DELIVERABLE, deliverable_id, request, session, form, viewer)

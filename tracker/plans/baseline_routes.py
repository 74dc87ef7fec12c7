"""Pages: the plan's baselines, approving the plan (a confirmation page, a note from the second time on),
and the comparison of the plan now with any baseline."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlmodel import Session

from tracker.auth import AdminDep, ViewerDep
from tracker.db import SessionDep
from tracker.forms import FormDep, form_values
from tracker.i18n import N_
from tracker.models import Baseline, Partnership
from tracker.partnerships import service as partnership_service
from tracker.plans import baselines
from tracker.plans import service as plan_service
from tracker.plans.comparison import ACTIVITY, CATEGORIES, totals
from tracker.plans.schemas import BaselineIn
from tracker.templating import gettext_of, render
from tracker.validation import FieldErrors, messages

router = APIRouter(include_in_schema=False)
# What each group of a comparison is called, in the order the page shows them.
CATEGORY_TITLES = {
    "moved": N_("Moved"),
    "done_late": N_("Done late"),
    "dropped": N_("Dropped from the plan"),
    "added": N_("Added after the baseline"),
    "done_on_time": N_("Done on time"),
    "unchanged": N_("Unchanged, still planned"),
}
CATEGORY_HINTS = {
    "moved": N_("Still to do, on another date than the baseline's: the difference, and why it moved."),
    "done_late": N_("Held or accepted after the baseline's date."),
    "dropped": N_("Cancelled or deleted since the baseline, and why."),
    "added": N_("Planned after the baseline was approved."),
    "done_on_time": N_("Held or accepted on or before the baseline's date."),
    "unchanged": N_("Still planned on the baseline's date."),
}


@router.get("/partnerships/{slug}/baselines", name="baselines")
def baselines_page(slug: str, request: Request, session: SessionDep, viewer: ViewerDep):
    partnership = partnership_service.get_partnership_or_404(session, slug, viewer)
    rows, total = baselines.list_baselines(session, partnership=partnership)
    context = {
        "partnership": partnership,
        "baselines": rows,
        "total": total,
        "approvers": baselines.approvers(session, rows),
        "item_counts": {b.id: len(baselines.items_of(b)) for b in rows},
        "next_number": baselines.next_number(session, partnership=partnership),
        "nav": "plan",
    }
    return render(request, "plans/baselines.html", context)


def _approve_page(request: Request, session: Session, partnership: Partnership, values: dict, errors: dict):
    items = plan_service.plan_items(session, partnership=partnership)
    activities = sum(1 for item in items if item.type == ACTIVITY)
    context = {
        "partnership": partnership,
        "number": baselines.next_number(session, partnership=partnership),
        "latest": baselines.latest(session, partnership=partnership),
        "activities": activities,
        "deliverables": len(items) - activities,
        "values": values,
        "errors": errors,
        "nav": "plan",
    }
    return render(request, "plans/approve.html", context, 422 if errors else 200)


@router.get("/partnerships/{slug}/baselines/new", name="baseline_new")
def baseline_new(slug: str, request: Request, session: SessionDep, viewer: AdminDep):
    partnership = partnership_service.get_partnership_or_404(session, slug, viewer)
    return _approve_page(request, session, partnership, {}, {})


@router.post("/partnerships/{slug}/baselines", name="baseline_create")
def baseline_create(slug: str, request: Request, session: SessionDep, form: FormDep, viewer: AdminDep):
    partnership = partnership_service.get_partnership_or_404(session, slug, viewer)
    values = form_values(form, BaselineIn)
    try:
        data = BaselineIn.model_validate(values)
        baseline = baselines.approve(session, partnership=partnership, by=viewer.person_id, note=data.note)
    except (ValidationError, FieldErrors) as exc:
        session.rollback()
        return _approve_page(request, session, partnership, values, messages(exc, gettext_of(request)))
    session.commit()
    return RedirectResponse(f"/partnerships/{partnership.slug}/baselines/{baseline.number}", status_code=303)


def comparison_context(session: Session, partnership: Partnership, baseline: Baseline) -> dict:
    """What the comparison page shows: each area's groups, the totals, and the other baselines."""
    areas = baselines.comparison(session, partnership=partnership, baseline=baseline)
    empty = {category: [] for category in CATEGORIES}
    others, _ = baselines.list_baselines(session, partnership=partnership)
    return {
        "partnership": partnership,
        "baseline": baseline,
        "approved_by": baselines.approvers(session, [baseline]).get(baseline.approved_by),
        "groups": {area.id: areas.get(area.id, empty) for area in partnership.areas},
        "area_totals": {area.id: sum(map(len, areas.get(area.id, empty).values())) for area in partnership.areas},
        "totals": totals(areas, {area.id for area in partnership.areas}),
        "categories": CATEGORIES,
        "category_titles": CATEGORY_TITLES,
        "category_hints": CATEGORY_HINTS,
        "others": [b.number for b in others if b.id != baseline.id],
        "latest_number": max([b.number for b in others], default=baseline.number),
        "nav": "plan",
    }


@router.get("/partnerships/{slug}/baselines/{number}", name="baseline")
def baseline_page(slug: str, number: str, request: Request, session: SessionDep, viewer: ViewerDep):
    partnership = partnership_service.get_partnership_or_404(session, slug, viewer)
    baseline = baselines.get_baseline_or_404(session, partnership=partnership, number=number)
    return render(request, "plans/comparison.html", comparison_context(session, partnership, baseline))

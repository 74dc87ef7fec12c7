"""JSON API for the work plan: the plan by area and period, its baselines, each baseline's comparison, and
approving the plan."""

from typing import Annotated, Literal

from fastapi import APIRouter, Body, Path, Query, status
from sqlmodel import Session

from tracker.api import Limit, Offset, Page, SlugParam
from tracker.auth import AdminDep, ViewerDep
from tracker.db import SessionDep
from tracker.models import Baseline, Partnership
from tracker.partnerships import service as partnership_service
from tracker.plans import baselines
from tracker.plans import service as plan_service
from tracker.plans.comparison import CATEGORIES, Compared, PlanItem
from tracker.plans.schemas import (
    AreaComparisonOut,
    BaselineIn,
    BaselineItemOut,
    BaselineOut,
    BaselineSummaryOut,
    ComparedOut,
    ComparisonOut,
    PlanAreaOut,
    PlanItemOut,
    PlanOut,
    PlanPeriodOut,
    TargetOut,
)

router = APIRouter(tags=["work plan"])
# A number as typed in the address: anything but an existing baseline's number answers 404.
Number = Annotated[str, Path(max_length=12, description="The baseline's number: 1, 2…", examples=["1"])]


def _item(item: PlanItem) -> PlanItemOut:
    return PlanItemOut(
        type=item.type,
        id=item.id,
        title_en=item.title_en,
        title_es=item.title_es,
        area_ids=list(item.area_ids),
        planned_on=item.planned_on,
        status=item.status,
        done_on=item.done_on,
        kind=item.kind,
        responsible=list(item.responsible),
    )


def _summary(baseline: Baseline, names: dict[int, str]) -> BaselineSummaryOut:
    return BaselineSummaryOut(
        number=baseline.number,
        approved_at=baseline.approved_at,
        approved_by=baseline.approved_by,
        approved_by_name=names.get(baseline.approved_by),
        note=baseline.note or "",
        item_count=len(baselines.items_of(baseline)),
    )


def _baseline(session: Session, slug: str, number: str, viewer) -> tuple[Partnership, Baseline]:
    partnership = partnership_service.get_partnership_or_404(session, slug, viewer)
    return partnership, baselines.get_baseline_or_404(session, partnership=partnership, number=number)


@router.get("/partnerships/{slug}/plan", response_model=PlanOut, summary="The work plan: areas, periods, items")
def get_plan(
    slug: SlugParam,
    session: SessionDep,
    viewer: ViewerDep,
    by: Annotated[Literal["quarter", "semester"], Query(description="Periods of the term")] = "quarter",
):
    partnership = partnership_service.get_partnership_or_404(session, slug, viewer)
    latest = baselines.latest(session, partnership=partnership)
    areas = [
        PlanAreaOut(
            id=plan.area.id,
            number=plan.area.number,
            slug=plan.area.slug,
            name_en=plan.area.name_en,
            name_es=plan.area.name_es,
            targets=[
                TargetOut(
                    indicator=t.indicator,
                    dimension=t.dimension,
                    period_start=t.period_start,
                    period_end=t.period_end,
                    value=t.value,
                )
                for t in plan.targets
            ],
            periods=[
                PlanPeriodOut(
                    code=period.code,
                    starts_on=period.start,
                    ends_on=period.end,
                    items=[_item(i) for i in items],
                )
                for period, items in plan.periods
            ],
            outside_term=[_item(i) for i in plan.outside],
        )
        for plan in plan_service.area_plans(session, partnership=partnership, by=by)
    ]
    baseline = _summary(latest, baselines.approvers(session, [latest])) if latest else None
    return PlanOut(partnership=partnership.slug, by=by, baseline=baseline, areas=areas)


@router.get(
    "/partnerships/{slug}/baselines",
    response_model=Page[BaselineSummaryOut],
    summary="The plan's baselines, the latest first",
)
def list_baselines(slug: SlugParam, session: SessionDep, viewer: ViewerDep, limit: Limit = 50, offset: Offset = 0):
    partnership = partnership_service.get_partnership_or_404(session, slug, viewer)
    rows, total = baselines.list_baselines(session, partnership=partnership, limit=limit, offset=offset)
    names = baselines.approvers(session, rows)
    return Page(items=[_summary(b, names) for b in rows], total=total, limit=limit, offset=offset)


def _full(session: Session, baseline: Baseline) -> BaselineOut:
    summary = _summary(baseline, baselines.approvers(session, [baseline]))
    items = [
        BaselineItemOut(
            type=i.type,
            id=i.id,
            area_ids=list(i.area_ids),
            title_en=i.title_en,
            title_es=i.title_es,
            planned_on=i.planned_on,
        )
        for i in baselines.items_of(baseline)
    ]
    return BaselineOut(**summary.model_dump(), items=items)


@router.post(
    "/partnerships/{slug}/baselines",
    response_model=BaselineOut,
    status_code=status.HTTP_201_CREATED,
    summary="Approve the plan as it stands: a new baseline (a note is required from the second one on)",
)
def approve(slug: SlugParam, session: SessionDep, viewer: AdminDep, data: Annotated[BaselineIn | None, Body()] = None):
    partnership = partnership_service.get_partnership_or_404(session, slug, viewer)
    baseline = baselines.approve(
        session, partnership=partnership, by=viewer.person_id, note=data.note if data is not None else None
    )
    session.commit()
    return _full(session, baseline)


@router.get("/partnerships/{slug}/baselines/{number}", response_model=BaselineOut, summary="One baseline and its items")
def get_baseline(slug: SlugParam, number: Number, session: SessionDep, viewer: ViewerDep):
    return _full(session, _baseline(session, slug, number, viewer)[1])


def _compared(entry: Compared) -> ComparedOut:
    return ComparedOut(
        type=entry.item.type,
        id=entry.item.id,
        title_en=entry.item.title_en,
        title_es=entry.item.title_es,
        status=entry.item.status if entry.exists else None,
        baseline_on=entry.baseline_on,
        current_on=entry.current_on,
        slip_days=entry.slip_days,
        reason=entry.reason,
    )


@router.get(
    "/partnerships/{slug}/baselines/{number}/comparison",
    response_model=ComparisonOut,
    summary="The plan now against a baseline: added, dropped, moved (days and reason), done on time or late",
)
def get_comparison(slug: SlugParam, number: Number, session: SessionDep, viewer: ViewerDep):
    partnership, baseline = _baseline(session, slug, number, viewer)
    found = baselines.comparison(session, partnership=partnership, baseline=baseline)
    areas = []
    for area in partnership.areas:
        groups = found.get(area.id, {})
        lists = {category: [_compared(e) for e in groups.get(category, [])] for category in CATEGORIES}
        areas.append(
            AreaComparisonOut(area_id=area.id, number=area.number, name_en=area.name_en, name_es=area.name_es, **lists)
        )
    summary = _summary(baseline, baselines.approvers(session, [baseline]))
    return ComparisonOut(baseline=summary, areas=areas)

"""The figures of the overview and area pages, aggregated in SQL: counts per area and each area's
status, the activities on the term's line, the cumulative deliverables, deliverables by status."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, func
from sqlmodel import Session, select

from tracker.i18n import LANGUAGES, localized
from tracker.models import (
    OPEN_ACTIVITY_STATUSES,
    OPEN_DELIVERABLE_STATUSES,
    Activity,
    ActivityArea,
    ActivityStatus,
    CooperationArea,
    Deliverable,
    DeliverableStatus,
    Partnership,
)
from tracker.progress.charts import Cumulative, Timeline, cumulative, timeline
from tracker.progress.status import SOON_DAYS, AreaFigures, MouFigures, Status, Term, area_status
from tracker.times import day_start, in_zone


@dataclass(frozen=True)
class AreaCounts:
    """The overview's figures for one cooperation area."""

    area: CooperationArea
    activities_held: int
    activities_planned: int  # still to take place (planned, confirmed, postponed)
    deliverables_accepted: int
    deliverables_total: int
    deliverables_overdue: int
    figures: AreaFigures
    status: Status


def _count(condition):
    return func.sum(case((condition, 1), else_=0))


def _grouped_counts(session: Session, *, partnership_ids: list[int], today: date, zone: str) -> dict[int, tuple]:
    """Every count the pages and the status rule read, per area of these partnerships, in two grouped
    queries: (held, open, not cancelled, started by today, held and started by today, postponed) of the
    activities, then (accepted, not cancelled, overdue, due by today, accepted of those, due soon and not
    started) of the deliverables."""
    # "Started on or before today" on the clock today is read on: before tomorrow's first instant there.
    tomorrow = day_start(today + timedelta(days=1), zone)
    held = Activity.status == ActivityStatus.held
    kept = Activity.status != ActivityStatus.cancelled
    started = Activity.starts_at < tomorrow
    activity_rows = session.exec(
        select(
            ActivityArea.area_id,
            _count(held),
            _count(Activity.status.in_(OPEN_ACTIVITY_STATUSES)),
            _count(kept),
            _count(kept & started),
            _count(held & started),
            _count(Activity.status == ActivityStatus.postponed),
        )
        .join(Activity, Activity.id == ActivityArea.activity_id)
        .where(Activity.partnership_id.in_(partnership_ids))
        .group_by(ActivityArea.area_id)
    ).all()
    accepted = Deliverable.status == DeliverableStatus.accepted
    counted = Deliverable.status != DeliverableStatus.cancelled
    deliverable_rows = session.exec(
        select(
            Deliverable.area_id,
            _count(accepted),
            _count(counted),
            _count(Deliverable.status.in_(OPEN_DELIVERABLE_STATUSES) & (Deliverable.due_on < today)),
            _count(counted & (Deliverable.due_on <= today)),
            _count(accepted & (Deliverable.due_on <= today)),
            _count(
                (Deliverable.status == DeliverableStatus.not_started)
                & (Deliverable.due_on > today)
                & (Deliverable.due_on <= today + timedelta(days=SOON_DAYS))
            ),
        )
        .join(CooperationArea, CooperationArea.id == Deliverable.area_id)
        .where(CooperationArea.partnership_id.in_(partnership_ids))
        .group_by(Deliverable.area_id)
    ).all()
    activities = {row[0]: tuple(int(n or 0) for n in row[1:]) for row in activity_rows}
    deliverables = {row[0]: tuple(int(n or 0) for n in row[1:]) for row in deliverable_rows}
    return {
        area_id: activities.get(area_id, (0,) * 6) + deliverables.get(area_id, (0,) * 6)
        for area_id in activities.keys() | deliverables.keys()
    }


def _area_counts(area: CooperationArea, counts: tuple, term: Term) -> AreaCounts:
    held, open_, kept, started, held_started, postponed, accepted, total, overdue, due, accepted_due, soon = counts
    figures = AreaFigures(
        planned_to_date=started + due,
        done_to_date=held_started + accepted_due,
        planned_total=kept + total,
        done_total=held + accepted,
        due_soon_not_started=soon,
        postponed=postponed,
    )
    return AreaCounts(area, held, open_, accepted, total, overdue, figures, area_status(figures, term))


def area_counts(session: Session, *, partnership: Partnership, today: date, zone: str) -> list[AreaCounts]:
    """Each area's activities and deliverables counted, its status and the figures behind it, in three
    queries; `zone` is the clock `today` was read on."""
    areas = list(
        session.exec(
            select(CooperationArea)
            .where(CooperationArea.partnership_id == partnership.id)
            .order_by(CooperationArea.number)
        )
    )
    counts = _grouped_counts(session, partnership_ids=[partnership.id], today=today, zone=zone)
    term = Term(partnership.starts_on, partnership.ends_on, today)
    return [_area_counts(area, counts.get(area.id, (0,) * 12), term) for area in areas]


def counts_of_areas(session: Session, *, areas: list[CooperationArea], today: date, zone: str) -> dict[int, AreaCounts]:
    """`area_counts` for any areas (of several partnerships, as an API page lists them), by area id."""
    if not areas:
        return {}
    partnership_ids = sorted({area.partnership_id for area in areas})
    counts = _grouped_counts(session, partnership_ids=partnership_ids, today=today, zone=zone)
    terms = {
        p.id: Term(p.starts_on, p.ends_on, today)
        for p in session.exec(select(Partnership).where(Partnership.id.in_(partnership_ids)))
    }
    return {area.id: _area_counts(area, counts.get(area.id, (0,) * 12), terms[area.partnership_id]) for area in areas}


def mou_figures(*, areas: list[AreaCounts], timeline: Timeline, term: Term) -> MouFigures:
    """The one-sentence summary's figures, from what the overview has already counted."""
    # The timeline holds every activity of the MOU but the cancelled, each once: counting its marks
    # costs no query (summing the areas would count an activity of two areas twice).
    return MouFigures(
        months_elapsed=term.months_elapsed,
        months_total=term.months_total,
        activities_held=sum(1 for mark in timeline.marks if mark.held),
        activities_planned=len(timeline.marks),
        statuses=tuple(a.status.code for a in areas),
    )


def term_timeline(
    session: Session,
    *,
    partnership: Partnership,
    today: date,
    titles: bool,
    language: str,
    area_id: int | None = None,
) -> Timeline:
    """The term, with held and planned activities on it (of one area, or all); `titles` for signed-in
    viewers, in their `language` when written in it."""
    title_columns = [getattr(Activity, f"title_{code}") for code in LANGUAGES]
    query = select(Activity.starts_at, Activity.timezone, Activity.status, *title_columns).where(
        Activity.partnership_id == partnership.id, Activity.status != ActivityStatus.cancelled
    )
    if area_id is not None:
        query = query.where(Activity.id.in_(select(ActivityArea.activity_id).where(ActivityArea.area_id == area_id)))
    marks = [
        (
            in_zone(row.starts_at, row.timezone).date(),
            row.status == ActivityStatus.held,
            localized(row, "title", language) if titles else "",
        )
        for row in session.exec(query).all()
    ]
    return timeline(partnership.starts_on, partnership.ends_on, today, marks)


def cumulative_deliverables(session: Session, *, partnership: Partnership, area: CooperationArea) -> Cumulative:
    """An area's deliverables due by each day of the term, and those accepted (cancelled ones left out)."""
    rows = session.exec(
        select(Deliverable.due_on, Deliverable.status, Deliverable.completed_on).where(
            Deliverable.area_id == area.id, Deliverable.status != DeliverableStatus.cancelled
        )
    ).all()
    due = [due_on for due_on, _, _ in rows]
    accepted = [completed for _, status, completed in rows if status == DeliverableStatus.accepted and completed]
    return cumulative(partnership.starts_on, partnership.ends_on, due, accepted)


def deliverables_by_status(session: Session, *, area: CooperationArea) -> list[tuple[DeliverableStatus, int]]:
    """How many of an area's deliverables are in each status, every status listed."""
    counts = dict(
        session.exec(
            select(Deliverable.status, func.count()).where(Deliverable.area_id == area.id).group_by(Deliverable.status)
        ).all()
    )
    return [(status, counts.get(status, 0)) for status in DeliverableStatus]


@dataclass(frozen=True)
class PartnershipFigures:
    """One partnership at a glance, as the portfolio shows it: the one-sentence summary's figures and
    how many of its deliverables are overdue."""

    mou: MouFigures
    deliverables_overdue: int


def partnership_figures(
    session: Session, *, partnerships: list, today: date, zone: str
) -> dict[int, PartnershipFigures]:
    """`mou_figures` of several partnerships (rows with id, starts_on, ends_on) in four grouped queries,
    whatever their number: each area's status by the one rule, the activities planned and held."""
    ids = [p.id for p in partnerships]
    if not ids:
        return {}
    areas = session.exec(
        select(CooperationArea.id, CooperationArea.partnership_id).where(CooperationArea.partnership_id.in_(ids))
    ).all()
    counts = _grouped_counts(session, partnership_ids=ids, today=today, zone=zone)
    # As the timeline counts them: every activity but the cancelled, each once (held ones included).
    activities = {
        row[0]: (int(row[1] or 0), int(row[2] or 0))
        for row in session.exec(
            select(
                Activity.partnership_id,
                _count(Activity.status != ActivityStatus.cancelled),
                _count(Activity.status == ActivityStatus.held),
            )
            .where(Activity.partnership_id.in_(ids))
            .group_by(Activity.partnership_id)
        ).all()
    }
    by_partnership: dict[int, list[AreaCounts]] = {pid: [] for pid in ids}
    terms = {p.id: Term(p.starts_on, p.ends_on, today) for p in partnerships}
    for area in areas:
        term = terms[area.partnership_id]
        by_partnership[area.partnership_id].append(_area_counts(area, counts.get(area.id, (0,) * 12), term))
    found = {}
    for pid in ids:
        planned, held = activities.get(pid, (0, 0))
        term, rows = terms[pid], by_partnership[pid]
        figures = MouFigures(
            months_elapsed=term.months_elapsed,
            months_total=term.months_total,
            activities_held=held,
            activities_planned=planned,
            statuses=tuple(row.status.code for row in rows),
        )
        found[pid] = PartnershipFigures(figures, sum(row.deliverables_overdue for row in rows))
    return found

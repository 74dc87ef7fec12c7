"""Capacity indicators: what was achieved in a period (per area or overall), targets, and the headline.

Scope: the partnership's activities marked held whose start falls in the period on their own clock
(and, for an area, linked to it). Counting happens in SQL; only activity lengths, a few per period,
are worked out in Python.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import case, false, func, or_
from sqlmodel import Session, select

from tracker.indicators.rules import (
    Figure,
    Period,
    Tally,
    fewest_days,
    local_start_day,
    organization_key,
    parse_dimension,
    public_average,
    public_count,
    public_share,
    share,
    tally,
)
from tracker.indicators.schemas import (
    INDICATOR_CODES,
    Dimension,
    Indicator,
    IndicatorPeriod,
    IndicatorReport,
    ResultValue,
)
from tracker.models import (
    Activity,
    ActivityArea,
    ActivityKind,
    ActivityStatus,
    AttendanceStatus,
    CooperationArea,
    Enrollment,
    IndicatorTarget,
    Participant,
    Partnership,
    Sex,
)
from tracker.participants.rules import SMALL_CELL, activity_days, completed
from tracker.validation import N_

TITLES = {
    "people_trained": N_("People trained"),
    "institutions_reached": N_("Institutions reached"),
    "trainings_held": N_("Trainings held"),
    "average_knowledge_gain": N_("Average knowledge gain"),
    "average_satisfaction": N_("Average satisfaction"),
}
UNITS = {
    "people_trained": "people",
    "institutions_reached": "organizations",
    "trainings_held": "activities",
    "average_knowledge_gain": "points",
    "average_satisfaction": "score",
}
COUNTS = ("people_trained", "institutions_reached", "trainings_held")
SEX_LABELS = {
    "female": N_("Women"),
    "male": N_("Men"),
    "another": N_("Another"),
    "not_stated": N_("Not stated"),
}
TRAINING_KINDS = (ActivityKind.workshop, ActivityKind.technical_training)


@dataclass(frozen=True)
class Measures:
    """What happened in one period and scope."""

    period: Period
    activities_held: int
    trainings_held: int
    people: Tally
    average_gain: float | None
    gain_respondents: int
    average_satisfaction: float | None
    satisfaction_respondents: int

    def actual(self, code: str) -> int | float | None:
        """The whole value of one indicator."""
        return {
            "people_trained": self.people.total,
            "institutions_reached": self.people.institutions,
            "trainings_held": self.trainings_held,
            "average_knowledge_gain": self.average_gain,
            "average_satisfaction": self.average_satisfaction,
        }[code]


def term_of(partnership: Partnership) -> Period:
    """The MOU term, the period pages show unless asked for another."""
    return Period(partnership.starts_on, partnership.ends_on)


def _held(session: Session, partnership: Partnership, period: Period, area_id: int | None) -> list:
    """Held activities starting in the period on their own clock (the UTC query is a day wider each way)."""
    lower = datetime.combine(period.start - timedelta(days=1), time(), UTC)
    upper = datetime.combine(period.end + timedelta(days=2), time(), UTC)
    query = select(
        Activity.id,
        Activity.kind,
        Activity.starts_at,
        Activity.ends_at,
        Activity.timezone,
        Activity.completion_threshold,
    ).where(
        Activity.partnership_id == partnership.id,
        Activity.status == ActivityStatus.held,
        Activity.starts_at >= lower,
        Activity.starts_at < upper,
    )
    if area_id is not None:
        query = query.where(Activity.id.in_(select(ActivityArea.activity_id).where(ActivityArea.area_id == area_id)))
    return [row for row in session.exec(query).all() if local_start_day(row.starts_at, row.timezone) in period]


def _completed_clause(activities: list):
    """SQL for "this roster row completed its activity", per `participants.rules.completed`.

    Activities are grouped by the fewest days that complete them (1-day events: 1; a 3-day course
    at 80%: 3), so the clause stays a handful of IN lists whatever the number of activities.
    """
    unrecorded_ok, by_fewest = [], {}
    for row in activities:
        days = activity_days(row.starts_at, row.ends_at, row.timezone)
        if completed("attended", None, days, row.completion_threshold):
            unrecorded_ok.append(row.id)
        fewest = fewest_days(days, row.completion_threshold)
        if fewest is not None:
            by_fewest.setdefault(fewest, []).append(row.id)
    branches = [Enrollment.days_attended.is_(None) & Enrollment.activity_id.in_(unrecorded_ok)]
    branches += [Enrollment.activity_id.in_(ids) & (Enrollment.days_attended >= n) for n, ids in by_fewest.items()]
    return (Enrollment.status == AttendanceStatus.attended) & or_(false(), *branches)


def _gain():
    """A roster row's knowledge gain: post-test minus pre-test, when it has both."""
    both = Enrollment.pre_score.is_not(None) & Enrollment.post_score.is_not(None)
    return case((both, Enrollment.post_score - Enrollment.pre_score), else_=None)


def _average_gain(session: Session, ids: list[int]) -> tuple[float | None, int]:
    gain = _gain()
    average, respondents = session.exec(
        select(func.avg(gain), func.count(gain)).where(
            Enrollment.activity_id.in_(ids), Enrollment.status == AttendanceStatus.attended
        )
    ).one()
    return _number(average), int(respondents or 0)


def _number(value) -> float | None:
    return None if value is None else float(value)


def measure(session: Session, *, partnership: Partnership, period: Period, area_id: int | None = None) -> Measures:
    """Every indicator's actual for one period and scope, in three queries.

    - people trained: distinct participants who completed at least one activity in scope (any kind);
    - trainings held: activities in scope that are workshops or technical trainings (TRAINING_KINDS):
      webinars, study visits and expert meetings train people too, but are not counted as trainings;
    - average gain and satisfaction: over roster rows marked attended that have the scores
      (a person in two trainings gives two gains), as `participants.rules.evaluate` does per activity.
    """
    activities = _held(session, partnership, period, area_id)
    if not activities:
        return Measures(period, 0, 0, Tally(), None, 0, None, 0)
    ids = [row.id for row in activities]
    trained = select(Enrollment.participant_id).where(Enrollment.activity_id.in_(ids), _completed_clause(activities))
    groups = session.exec(
        select(Participant.sex, Participant.organization, Participant.country, func.count())
        .where(Participant.id.in_(trained))
        .group_by(Participant.sex, Participant.organization, Participant.country)
    ).all()
    gain = _gain()
    scores = session.exec(
        select(
            func.avg(gain), func.count(gain), func.avg(Enrollment.satisfaction), func.count(Enrollment.satisfaction)
        ).where(Enrollment.activity_id.in_(ids), Enrollment.status == AttendanceStatus.attended)
    ).one()
    return Measures(
        period=period,
        activities_held=len(activities),
        trainings_held=sum(1 for row in activities if row.kind in TRAINING_KINDS),
        people=tally(groups),
        average_gain=_number(scores[0]),
        gain_respondents=int(scores[1] or 0),
        average_satisfaction=_number(scores[2]),
        satisfaction_respondents=int(scores[3] or 0),
    )


# The IATI-shaped report ---------------------------------------------------------------------


def targets_for(session: Session, *, partnership: Partnership, area_id: int | None) -> list[IndicatorTarget]:
    """The targets of one scope: the whole partnership (no area) or one area."""
    scope = IndicatorTarget.area_id.is_(None) if area_id is None else IndicatorTarget.area_id == area_id
    return list(
        session.exec(
            select(IndicatorTarget)
            .where(IndicatorTarget.partnership_id == partnership.id, scope)
            .order_by(IndicatorTarget.period_start, IndicatorTarget.period_end, IndicatorTarget.dimension)
        )
    )


def _value(value: float | None, code: str) -> int | float | None:
    if value is not None and code in COUNTS and float(value).is_integer():
        return int(value)
    return value


def _dimensions(text: str) -> list[Dimension]:
    parsed = parse_dimension(text)
    return [Dimension(name=parsed[0], value=parsed[1])] if parsed and parsed[0] else []


def actuals(measures: Measures, code: str) -> list[ResultValue]:
    """The whole, then (for people trained) every breakdown: by sex, organization and country."""
    values = [ResultValue(value=measures.actual(code))]
    if code == "people_trained":
        people = measures.people
        for name, pairs in (
            ("sex", people.by_sex.items()),
            ("organization", people.by_organization),
            ("country", people.by_country),
        ):
            values += [ResultValue(value=n, dimensions=[Dimension(name=name, value=v)]) for v, n in pairs]
    return values


def report(
    session: Session, *, partnership: Partnership, period: Period, area_id: int | None = None, gettext=lambda s: s
) -> IndicatorReport:
    """Each indicator over the period asked for, then over each target period inside it.

    A target whose period only overlaps the one asked for is left out: its actual would mix in days
    outside it.
    """
    targets = [
        t
        for t in targets_for(session, partnership=partnership, area_id=area_id)
        if Period(t.period_start, t.period_end).within(period)
    ]
    measured: dict[Period, Measures] = {}

    def measures_of(p: Period) -> Measures:
        if p not in measured:
            measured[p] = measure(session, partnership=partnership, period=p, area_id=area_id)
        return measured[p]

    indicators = []
    for code in INDICATOR_CODES:
        own = [t for t in targets if t.indicator == code]
        periods = [period] + sorted(
            {Period(t.period_start, t.period_end) for t in own} - {period}, key=lambda p: (p.start, p.end)
        )
        indicators.append(
            Indicator(
                code=code,
                title=gettext(TITLES[code]),
                unit=UNITS[code],
                periods=[
                    IndicatorPeriod(
                        period_start=p.start,
                        period_end=p.end,
                        target=[
                            ResultValue(value=_value(t.value, code), dimensions=_dimensions(t.dimension))
                            for t in own
                            if (t.period_start, t.period_end) == (p.start, p.end)
                        ],
                        actual=actuals(measures_of(p), code),
                    )
                    for p in periods
                ],
            )
        )
    return IndicatorReport(
        partnership=partnership.slug,
        area_id=area_id,
        period_start=period.start,
        period_end=period.end,
        indicators=indicators,
    )


# The headline -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    """The four figures the overview and area pages lead with, over the whole MOU term."""

    period: Period
    public: bool
    people_trained: Figure
    women_share: Figure
    institutions: Figure
    average_gain: Figure

    small_cell: int = SMALL_CELL

    @property
    def any_suppressed(self) -> bool:
        figures = (self.people_trained, self.women_share, self.institutions, self.average_gain)
        return any(f.suppressed for f in figures)


def headline(
    session: Session, partnership: Partnership, area: CooperationArea | None = None, public: bool = True
) -> Headline:
    """People trained, share of women, institutions reached and average gain over the MOU term.

    The same figures as `measure` (a test holds them equal), counted in two queries that return one
    row per organization, not per person: the overview's first render stays fast as rosters grow.

    With `public` (anonymous visitors; the default, so forgetting it errs on the safe side) counts of
    1–4 people are suppressed, and so is every figure worked out from such a count: the share of
    women, institutions reached when people trained is suppressed, an average of fewer than 5 scores.
    """
    period = term_of(partnership)
    activities = _held(session, partnership, period, area.id if area else None)
    total = women = institutions = respondents = 0
    gain = None
    if activities:
        ids = [row.id for row in activities]
        trained = select(Enrollment.participant_id).where(
            Enrollment.activity_id.in_(ids), _completed_clause(activities)
        )
        by_organization = session.exec(
            select(Participant.organization, func.count(), func.sum(case((Participant.sex == Sex.female, 1), else_=0)))
            .where(Participant.id.in_(trained))
            .group_by(Participant.organization)
        ).all()
        total = sum(people for _, people, _ in by_organization)
        women = sum(int(n or 0) for _, _, n in by_organization)
        institutions = len({organization_key(name or "") for name, _, _ in by_organization} - {""})
        gain, respondents = _average_gain(session, ids)
    if not public:
        return Headline(period, False, Figure(total), Figure(share(women, total)), Figure(institutions), Figure(gain))
    people = public_count(total)
    return Headline(
        period,
        True,
        people,
        public_share(women, total),
        Figure(None, True) if people.suppressed else Figure(institutions),
        public_average(gain, respondents),
    )

"""An area's indicators against its targets, for the steering-committee report: the value in the period,
and for each target that runs during it, what has been reached of it by the period's end."""

from dataclasses import dataclass

from sqlmodel import Session

from tracker.indicators import service as indicator_service
from tracker.indicators.rules import Period, parse_dimension
from tracker.indicators.schemas import INDICATOR_CODES
from tracker.indicators.service import COUNTS, Measures
from tracker.models import CooperationArea, Partnership


@dataclass(frozen=True)
class IndicatorLine:
    """One indicator (or one breakdown of it, `dimension` = ("sex", "female")) of an area.

    `this_period`: its value in the report's period. With a target: the target's value and period, and
    `reached`: the value from the target period's start to the report period's end (or the target's end).
    """

    code: str
    dimension: tuple[str, str] | None
    this_period: int | float | None
    target: int | float | None = None
    target_period: Period | None = None
    reached: int | float | None = None

    @property
    def share(self) -> float | None:
        """How much of the target has been reached (1.0 = all of it)."""
        if self.target is None or self.reached is None or not self.target:
            return None
        return self.reached / self.target


class Measured:
    """Measures of one partnership, each (area, period) measured once however many lines ask."""

    def __init__(self, session: Session, partnership: Partnership):
        self.session, self.partnership, self.found = session, partnership, {}

    def __call__(self, area_id: int, period: Period) -> Measures:
        key = (area_id, period)
        if key not in self.found:
            self.found[key] = indicator_service.measure(
                self.session, partnership=self.partnership, period=period, area_id=area_id
            )
        return self.found[key]


def value_of(measures: Measures, code: str, dimension: tuple[str, str] | None) -> int | float | None:
    """An indicator's value, or one breakdown's (targets break down people trained by sex only)."""
    if dimension and dimension[0] == "sex":
        return measures.people.by_sex.get(dimension[1], 0)
    value = measures.actual(code)
    if value is not None and code in COUNTS and float(value).is_integer():
        return int(value)
    return value


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def lines(
    session: Session, measured: Measured, *, partnership: Partnership, area: CooperationArea, period: Period
) -> list[IndicatorLine]:
    """The area's indicators: each target whose period overlaps the report's, and the counted
    indicators without a target (the averages only when measured)."""
    in_period = measured(area.id, period)
    running = [
        t
        for t in indicator_service.targets_for(session, partnership=partnership, area_id=area.id)
        if t.period_start <= period.end and t.period_end >= period.start
    ]
    found = []
    for code in INDICATOR_CODES:
        own = [t for t in running if t.indicator == code]
        # The whole comes first, with its target or without one (a target for women only still shows it).
        if not any(not t.dimension for t in own) and (code in COUNTS or in_period.actual(code) is not None):
            found.append(IndicatorLine(code=code, dimension=None, this_period=value_of(in_period, code, None)))
        for target in own:
            dimension = parse_dimension(target.dimension) or None
            dimension = dimension if dimension and dimension[0] else None
            span = Period(target.period_start, min(target.period_end, period.end))
            found.append(
                IndicatorLine(
                    code=code,
                    dimension=dimension,
                    this_period=value_of(in_period, code, dimension),
                    target=_number(target.value),
                    target_period=Period(target.period_start, target.period_end),
                    reached=value_of(measured(area.id, span), code, dimension),
                )
            )
    return found

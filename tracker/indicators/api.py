"""JSON API: capacity indicators of a partnership or one of its areas, for a period, in the IATI result shape."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.exceptions import RequestValidationError

from tracker.api import SlugParam
from tracker.auth import ViewerDep
from tracker.db import SessionDep
from tracker.errors import NotFound
from tracker.indicators import service as indicator_service
from tracker.indicators.rules import Period
from tracker.indicators.schemas import IndicatorReport
from tracker.partnerships import service as partnership_service
from tracker.surveys import indicators as survey_indicators
from tracker.templating import gettext_of
from tracker.validation import MAX_ID, MESSAGES, Day

router = APIRouter(tags=["indicators"])


def _refuse(name: str, kind: str) -> RequestValidationError:
    return RequestValidationError([{"loc": ("query", name), "type": kind, "msg": MESSAGES[kind], "ctx": {}}])


@router.get(
    "/partnerships/{slug}/indicators",
    response_model=IndicatorReport,
    summary="Capacity indicators for a period",
    description=(
        "People trained (once each, when they completed at least one held activity starting in the period), "
        "broken down by sex, organization and country; institutions reached; trainings held (workshops and "
        "technical trainings); average knowledge gain and satisfaction. Each indicator lists the period asked "
        "for, then every period inside it that has a target. Partners see their own partnership only."
    ),
)
def get_indicators(
    slug: SlugParam,
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    date_from: Annotated[
        Day | None, Query(alias="from", description="First day, YYYY-MM-DD (default: the start of the MOU term)")
    ] = None,
    date_to: Annotated[
        Day | None, Query(alias="to", description="Last day, included (default: the end of the MOU term)")
    ] = None,
    area: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Id of one of the partnership's areas")] = None,
):
    partnership = partnership_service.get_partnership_or_404(session, slug, viewer)
    term = indicator_service.term_of(partnership)
    period = Period(date_from or term.start, date_to or term.end)
    if period.end < period.start:
        raise _refuse("to" if date_to else "from", "period_order")
    if area is not None:
        try:
            partnership_service.get_area_or_404(session, area_id=area, partnership=partnership)
        except NotFound:
            # Another partnership's area answers like one that does not exist.
            raise _refuse("area", "unknown_area") from None
    result = indicator_service.report(
        session, partnership=partnership, period=period, area_id=area, gettext=gettext_of(request)
    )
    surveys = survey_indicators.measure(session, partnership=partnership, period=period, area_id=area)
    result.surveys = survey_indicators.iati(surveys, period=period, gettext=gettext_of(request))
    return result

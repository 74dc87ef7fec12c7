"""Survey indicators over a period: response rates of the evaluation and the follow-up, and the share of
follow-up respondents applying what they learned (yes or partly), by area, sex and organization.

Scope as the capacity indicators': held activities starting in the period on their own clock. Counted in
SQL, a few grouped rows; visitors get the project's small-cell suppression (`indicators.rules`).
"""

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import case, func
from sqlmodel import Session, select

from tracker.i18n import N_, localized, request_language
from tracker.indicators.rules import Figure, Period, organization_key, public_count, public_share, share
from tracker.indicators.schemas import SURVEY_CODES, Dimension, Indicator, IndicatorPeriod, ResultValue
from tracker.indicators.service import SEX_LABELS, _held
from tracker.models import ActivityArea, CooperationArea, Enrollment, Participant, Partnership, SurveyInvitation
from tracker.participants.rules import SMALL_CELL
from tracker.surveys.schedule import APPLYING, EVALUATION, FOLLOWUP
from tracker.templating import gettext_of

TITLES = {
    "evaluation_response_rate": N_("Evaluation response rate"),
    "followup_response_rate": N_("Follow-up response rate"),
    "applying_at_followup": N_("Applying what they learned, at follow-up"),
}


@dataclass(frozen=True)
class Cell:
    """`part` of `whole` people: answered of invited, or applying of follow-up respondents."""

    part: int = 0
    whole: int = 0
    label: str = ""  # a breakdown's value: an area's id, a sex code, an organization's name

    @property
    def share(self) -> float | None:
        return share(self.part, self.whole)


@dataclass(frozen=True)
class SurveyMeasures:
    evaluation: Cell = Cell()
    followup: Cell = Cell()
    applying: Cell = Cell()
    by_area: list[tuple[CooperationArea, Cell]] = field(default_factory=list)
    by_sex: list[Cell] = field(default_factory=list)
    by_organization: list[Cell] = field(default_factory=list)


def _scoped(query, ids: list[int]):
    """A query of survey invitations narrowed to the roster rows of these activities."""
    return (
        query.select_from(SurveyInvitation)
        .join(Enrollment, Enrollment.id == SurveyInvitation.enrollment_id)
        .where(Enrollment.activity_id.in_(ids))
    )


def measure(
    session: Session, *, partnership: Partnership, period: Period, area_id: int | None = None
) -> SurveyMeasures:
    """The survey figures of one period and scope, in three grouped queries."""
    ids = [row.id for row in _held(session, partnership, period, area_id)]
    if not ids:
        return SurveyMeasures()
    rates = {
        kind: Cell(int(answered or 0), int(invited or 0))
        for kind, invited, answered in session.exec(
            _scoped(select(SurveyInvitation.kind, func.count(), func.count(SurveyInvitation.answered_at)), ids)
            .where(SurveyInvitation.kind.in_((EVALUATION, FOLLOWUP)))
            .group_by(SurveyInvitation.kind)
        )
    }
    applying = func.sum(case((SurveyInvitation.applied.in_(APPLYING), 1), else_=0))
    answered = (SurveyInvitation.kind == FOLLOWUP, SurveyInvitation.applied.is_not(None))
    groups = session.exec(
        _scoped(select(Participant.sex, Participant.organization, func.count(), applying), ids)
        .join(Participant, Participant.id == Enrollment.participant_id)
        .where(*answered)
        .group_by(Participant.sex, Participant.organization)
    ).all()
    areas = session.exec(
        _scoped(select(ActivityArea.area_id, func.count(), applying), ids)
        .join(ActivityArea, ActivityArea.activity_id == Enrollment.activity_id)
        .where(*answered)
        .group_by(ActivityArea.area_id)
    ).all()
    sexes: Counter = Counter()
    sex_yes: Counter = Counter()
    orgs: Counter = Counter()
    org_yes: Counter = Counter()
    spellings: dict[str, Counter] = {}
    for sex, organization, people, yes in groups:
        code = str(getattr(sex, "value", sex))
        sexes[code] += people
        sex_yes[code] += int(yes or 0)
        key = organization_key(organization or "")
        orgs[key] += people
        org_yes[key] += int(yes or 0)
        spellings.setdefault(key, Counter())[" ".join((organization or "").split())] += people
    total, total_yes = sum(sexes.values()), sum(sex_yes.values())

    def spelled(key: str) -> str:
        return min(spellings[key].items(), key=lambda item: (-item[1], item[0]))[0] if key else ""

    by_id = {area.id: area for area in partnership.areas}
    return SurveyMeasures(
        evaluation=rates.get(EVALUATION, Cell()),
        followup=rates.get(FOLLOWUP, Cell()),
        applying=Cell(total_yes, total),
        by_area=sorted(
            ((by_id[a], Cell(int(yes or 0), n, str(a))) for a, n, yes in areas if a in by_id),
            key=lambda pair: pair[0].number,
        ),
        by_sex=[Cell(sex_yes[code], sexes[code], code) for code in SEX_LABELS if sexes[code]],
        by_organization=sorted(
            (Cell(org_yes[key], orgs[key], spelled(key)) for key in orgs), key=lambda c: (-c.whole, c.label)
        ),
    )


# As pages show them ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """A cell as a page may show it: its count and its share, each suppressed for visitors when small."""

    label: str
    whole: Figure
    part: Figure
    share: Figure


def shown(cell: Cell, *, public: bool, label: str = "") -> Shown:
    """A cell for the page; with `public`, counts of 1–4 people and shares that would reveal one are hidden."""
    if not public:
        return Shown(label or cell.label, Figure(cell.whole), Figure(cell.part), Figure(cell.share))
    return Shown(
        label or cell.label, public_count(cell.whole), public_count(cell.part), public_share(cell.part, cell.whole)
    )


def section(measures: SurveyMeasures, *, public: bool, gettext, area_name) -> dict:
    """The indicators page's survey section: rates, the applying share, and its breakdowns."""
    rows = {
        "evaluation": shown(measures.evaluation, public=public),
        "followup": shown(measures.followup, public=public),
        "applying": shown(measures.applying, public=public),
        "by_area": [shown(cell, public=public, label=area_name(area)) for area, cell in measures.by_area],
        "by_sex": [shown(cell, public=public, label=gettext(SEX_LABELS[cell.label])) for cell in measures.by_sex],
        "by_organization": [
            shown(cell, public=public, label=cell.label or gettext(SEX_LABELS["not_stated"]))
            for cell in measures.by_organization
        ],
    }
    figures = [rows["evaluation"], rows["followup"], rows["applying"], *rows["by_area"], *rows["by_sex"]]
    figures += rows["by_organization"]
    rows["public"] = public
    rows["any_suppressed"] = any(f.share.suppressed or f.whole.suppressed for f in figures)
    rows["small_cell"] = SMALL_CELL
    return rows


# In the IATI result shape ---------------------------------------------------------------------


def _percent(cell: Cell) -> float | None:
    return None if cell.share is None else round(100 * cell.share, 1)


def iati(measures: SurveyMeasures, *, period: Period, gettext) -> list[Indicator]:
    """The three survey indicators (unit percent), the applying share broken down by area (its slug), sex
    and organization."""
    applying = [ResultValue(value=_percent(measures.applying))]
    applying += [
        ResultValue(value=_percent(cell), dimensions=[Dimension(name="area", value=area.slug)])
        for area, cell in measures.by_area
    ]
    applying += [
        ResultValue(value=_percent(cell), dimensions=[Dimension(name=name, value=cell.label)])
        for name, cells in (("sex", measures.by_sex), ("organization", measures.by_organization))
        for cell in cells
    ]
    actuals = {
        "evaluation_response_rate": [ResultValue(value=_percent(measures.evaluation))],
        "followup_response_rate": [ResultValue(value=_percent(measures.followup))],
        "applying_at_followup": applying,
    }
    return [
        Indicator(
            code=code,
            title=gettext(TITLES[code]),
            unit="percent",
            periods=[
                IndicatorPeriod(period_start=period.start, period_end=period.end, target=[], actual=actuals[code])
            ],
        )
        for code in SURVEY_CODES
    ]


def page_section(session: Session, *, partnership: Partnership, period: Period, area_id: int | None, request) -> dict:
    """The survey section of the indicators page, for the request's viewer (visitors: suppressed)."""
    language = request_language(request)
    measures = measure(session, partnership=partnership, period=period, area_id=area_id)
    public = getattr(request.state, "viewer", None) is None
    return section(
        measures,
        public=public,
        gettext=gettext_of(request),
        area_name=lambda area: f"{area.number}. {localized(area, 'name', language)}",
    )


def survey_rows(measures: SurveyMeasures, *, period_end, reader) -> list[tuple]:
    """The period report's export rows (section "survey"), one per survey indicator, the value in percent in
    the detail column; none in a period without surveys."""
    if not (measures.evaluation.whole or measures.followup.whole):
        return []
    values = {
        "evaluation_response_rate": measures.evaluation,
        "followup_response_rate": measures.followup,
        "applying_at_followup": measures.applying,
    }
    section = "survey" if reader.codes else reader.gettext(N_("Evaluations and follow-up"))
    rows = []
    for code, cell in values.items():
        value = _percent(cell)
        title = code if reader.codes else reader.gettext(TITLES[code])
        rows.append((section, code, title, period_end, "", "" if value is None else value, ""))
    return rows

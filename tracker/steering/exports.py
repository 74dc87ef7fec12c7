"""The steering-committee report as one table for its reader (CSV, XLSX): the summary, the amendments, then
each area's status, plan, what was done, what slipped and why, the next period and its indicators."""

from tracker.exports import Reader, Table
from tracker.i18n import N_, translate
from tracker.indicators.service import SEX_LABELS, TITLES
from tracker.labels import ENTITIES, FIELDS
from tracker.steering.document import TITLE
from tracker.steering.service import Item, SteeringReport
from tracker.steering.targets import IndicatorLine

# The stable column names (?codes=1) and what people read.
COLUMNS = ("section", "area", "kind", "id", "title", "date", "new_date", "status", "what", "reason",
           "this_period", "target", "reached", "target_start", "target_end")  # fmt: skip
LABELS = {
    "section": N_("Section"),
    "area": N_("Cooperation area"),
    "kind": N_("Kind"),
    "id": N_("ID"),
    "title": N_("Title"),
    "date": N_("Date"),
    "new_date": N_("New date"),
    "status": FIELDS["status"],
    "what": N_("What happened"),
    "reason": N_("Reason"),
    "this_period": N_("This period"),
    "target": N_("Target"),
    "reached": N_("Reached"),
    "target_start": N_("Target period from"),
    "target_end": N_("Target period to"),
}
# The stable section codes, and the report's own headings for them.
SECTIONS = {
    "summary": N_("Executive summary"),
    "amendment": N_("Amendment"),
    "status": N_("Status today"),
    "planned": N_("Planned for the period"),
    "done": N_("What was done"),
    "slipped": N_("Slipped, and why"),
    "next": N_("Next period"),
    "indicator": N_("Indicators against targets"),
}
WHAT = {"moved": N_("Moved"), "cancelled": N_("Cancelled"), "open": N_("Still open")}
KINDS = ENTITIES | {"indicator": N_("Indicator")}


def _kind(item: Item, reader: Reader) -> str:
    return reader.word(item.record.kind) if item.kind == "activity" else reader.word("deliverable", KINDS)


def _indicator(line: IndicatorLine, reader: Reader) -> str:
    title = reader.word(line.code, TITLES)
    if not line.dimension:
        return title
    name, value = line.dimension
    return f"{title} ({name}={value})" if reader.codes else f"{title} ({reader.gettext(SEX_LABELS[value])})"


def _status_word(status, reader: Reader) -> str:
    # The status rule names its own word for each code (`Status.label`); scripts get the code.
    return status.code if reader.codes else reader.gettext(status.label)


def report_table(report: SteeringReport, *, reader: Reader) -> Table:
    """One row per thing the report says, area by area, in the reader's words (or stable codes)."""
    rows = []

    def row(section, area="", kind="", record_id=None, title="", day=None, new_day=None, status="", what="",
            reason="", values=(None, None, None, None, None)):  # fmt: skip
        rows.append((reader.word(section, SECTIONS), area, kind, record_id, title, day, new_day, status, what,
                     reason, *values))  # fmt: skip

    if report.summary is not None:
        row("summary", title=reader.text(report.summary, "summary"))
    for a in report.amendments:
        row("amendment", kind=reader.word("amendment", KINDS), record_id=a.id, title=reader.text(a, "summary"),
            day=a.signed_on, new_day=a.ends_on, reason=a.text_url or "")  # fmt: skip
    for section in report.areas:
        area = section.area.slug if reader.codes else f"{section.area.number}. {reader.text(section.area, 'name')}"
        if section.status is not None:
            why = translate(section.status.reason, section.status.context, reader.language)
            row("status", area, status=_status_word(section.status, reader), reason=why)

        for code, items in (("planned", section.planned), ("done", section.done), ("slipped", section.slipped),
                            ("next", section.upcoming)):  # fmt: skip
            for item in items:
                row(code, area, _kind(item, reader), item.record.id, reader.text(item.record, "title"), item.day,
                    item.new_day, reader.word(item.record.status), reader.word(item.what, WHAT) if item.what else "",
                    item.reason or "")  # fmt: skip
        for line in section.indicators if section.shows_indicators else ():
            period = line.target_period
            values = (line.this_period, line.target, line.reached, period.start if period else None,
                      period.end if period else None)  # fmt: skip
            row("indicator", area, reader.word("indicator", KINDS), title=_indicator(line, reader), values=values)
    return Table(title=reader.title(TITLE, "steering"), header=reader.header(COLUMNS, LABELS), rows=rows)

"""The period report's rows as a table for its reader: sections, titles and statuses in their words, or
stable codes for scripts."""

from tracker.exports import Reader, Table
from tracker.i18n import N_
from tracker.labels import FIELDS
from tracker.progress.report import Report
from tracker.surveys.indicators import survey_rows
from tracker.times import utc_to_local

# The stable column names (?codes=1) and what people read.
COLUMNS = ("section", "id", "title", "date", "status", "detail", "reason")
LABELS = {
    "section": N_("Section"),
    "id": N_("ID"),
    "title": N_("Title"),
    "date": N_("Date"),
    "status": FIELDS["status"],
    "detail": N_("Detail"),
    "reason": N_("Reason"),
}
# The stable section codes, and the report's own headings for them.
SECTIONS = {
    "held": N_("Activities held"),
    "completed": N_("Deliverables completed"),
    "slipped": N_("Deliverables slipped"),
    "postponed": N_("Activities postponed or cancelled"),
    "next_activity": N_("Activity planned for the next period"),
    "next_deadline": N_("Deadline in the next period"),
}
SHEET_TITLE = N_("Period report")


def _day(activity):
    # The day on the activity's own clock, as the report chooses its activities.
    return utc_to_local(activity.starts_at, activity.timezone).date()


def report_table(report: Report, *, reader: Reader) -> Table:
    """One row per activity or deliverable the report names: held (with outcomes), completed, slipped (was
    due, now due, and why), postponed or cancelled (was planned for, new day, and why), and the next
    period's plan."""

    def row(section, record, day, detail="", reason=None):
        return (reader.word(section, SECTIONS), record.id, reader.text(record, "title"), day,
                reader.word(record.status), detail, reason or "")  # fmt: skip

    rows = [row("held", a, _day(a), reader.text(a, "outcomes")) for a in report.held]
    rows += [row("completed", d, d.completed_on) for d in report.completed]
    rows += [row("slipped", s.deliverable, s.was_due, s.now_due, s.reason) for s in report.slipped]
    rows += [row("postponed", p.activity, p.was, p.now or "", p.reason) for p in report.postponed]
    rows += [row("next_activity", a, _day(a)) for a in report.next_activities]
    rows += [row("next_deadline", d, d.due_on) for d in report.next_deliverables]
    rows += survey_rows(report.surveys, period_end=report.period.end, reader=reader)
    return Table(title=reader.title(SHEET_TITLE, "report"), header=reader.header(COLUMNS, LABELS), rows=rows)

"""An activity's roster as a table for its reader: the roster form's words, or stable codes for scripts."""

from sqlmodel import Session

from tracker.exports import Reader, Table
from tracker.i18n import N_
from tracker.models import Activity
from tracker.own_data.names import shown_name
from tracker.participants import service as participant_service
from tracker.participants.column_fields import FIELD_LABELS

# The stable column names (?codes=1); people read each column's label, the roster form's own words, so a
# sheet exported in either language is read back by the importer.
COLUMNS = (
    "name", "given_names", "surnames", "organization", "position", "sex", "country", "email", "status", "days_attended",
    "completed", "pre_score", "post_score", "satisfaction",
)  # fmt: skip
LABELS = {name: FIELD_LABELS[name] for name in COLUMNS if name in FIELD_LABELS} | {"completed": N_("Completed")}
SHEET_TITLE = N_("Participants")


def roster_table(session: Session, *, activity: Activity, reader: Reader) -> Table:
    """One row per participant of the activity, by name."""
    rows = []
    for row in participant_service.roster(session, activity=activity):
        p, e = row.participant, row.enrollment
        rows.append(
            (
                p.name if reader.codes else shown_name(p.name, reader.gettext),
                p.given_names,
                p.surnames,
                p.organization,
                p.position,
                reader.word(p.sex),
                reader.country(p.country),
                p.email,
                reader.word(e.status),
                e.days_attended,
                reader.yes_no(row.completed),
                e.pre_score,
                e.post_score,
                e.satisfaction,
            )  # fmt: skip
        )
    return Table(title=reader.title(SHEET_TITLE, "roster"), header=reader.header(COLUMNS, LABELS), rows=rows)

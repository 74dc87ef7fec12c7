"""Each area's current status, as the progress pages decide it: the one place this report asks for it."""

from datetime import date

from sqlmodel import Session

from tracker.models import Partnership
from tracker.progress import service as progress_service


def area_statuses(session: Session, *, partnership: Partnership, today: date, zone: str) -> dict[int, object]:
    """Area id -> its status today (`code`, `reason`, `context`, as `tracker.progress.status` gives it);
    `zone` is the clock `today` was read on."""
    # The overview's own counts: the report can never disagree with the overview.
    rows = progress_service.area_counts(session, partnership=partnership, today=today, zone=zone)
    return {row.area.id: row.status for row in rows}

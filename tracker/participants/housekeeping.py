"""What the sweep tidies among imports (sign-in sheets and work plans); light on imports itself, so the
scheduler process stays small."""

from datetime import datetime, timedelta

from sqlmodel import Session, delete

from tracker.models import ImportBatch, PlanImport

STALE_AFTER = timedelta(days=7)


def drop_stale_batches(session: Session, *, now: datetime) -> int:
    """Remove imports staged more than a week ago, and the sheets' personal data they keep; how many."""
    removed = 0
    for model in (ImportBatch, PlanImport):
        stale = delete(model).where(model.created_at < now - STALE_AFTER)
        removed += session.exec(stale.execution_options(synchronize_session=False)).rowcount or 0
    return removed

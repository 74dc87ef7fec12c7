"""What the sweep tidies among imports; light on imports itself, so the scheduler process stays small."""

from datetime import datetime, timedelta

from sqlmodel import Session, delete

from tracker.models import ImportBatch

STALE_AFTER = timedelta(days=7)


def drop_stale_batches(session: Session, *, now: datetime) -> int:
    """Remove imports staged more than a week ago, and the sheets' personal data they keep."""
    result = session.exec(
        delete(ImportBatch)
        .where(ImportBatch.created_at < now - STALE_AFTER)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0

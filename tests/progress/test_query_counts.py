"""The number of SQL statements a page makes does not grow with the data."""

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from tests.conftest import SLUG
from tracker.models import Enrollment, Participant


@contextmanager
def counting(engine):
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _grow(session, make_activity, make_deliverable, n: int):
    for i in range(n):
        activity = make_activity(
            title_en=f"Workshop {i}",
            start_local=f"2026-12-{i % 20 + 5:02d}T09:00",
            end_local=f"2026-12-{i % 20 + 5:02d}T12:00",
        )
        make_deliverable(title_en=f"Report {i}", due_on=f"2026-12-{i % 20 + 5:02d}")
        for j in range(3):
            participant = Participant(name=f"P{i}-{j}", match_key=f"p{i}-{j}|", sex="female")
            session.add(participant)
            session.flush()
            session.add(Enrollment(activity_id=activity.id, participant_id=participant.id, status="attended"))
    session.commit()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        f"/partnerships/{SLUG}/areas/mrv",
        f"/partnerships/{SLUG}/activities",
        f"/partnerships/{SLUG}/deliverables",
        f"/partnerships/{SLUG}/indicators",
    ],
)
def test_a_page_makes_as_many_queries_with_ten_times_the_data(
    client, engine, session, make_activity, make_deliverable, path
):
    _grow(session, make_activity, make_deliverable, 2)
    client.get(path)  # warm: sessions touched, caches filled
    with counting(engine) as small:
        assert client.get(path).status_code == 200
    _grow(session, make_activity, make_deliverable, 18)
    with counting(engine) as large:
        assert client.get(path).status_code == 200
    assert len(large) == len(small), (len(small), len(large))

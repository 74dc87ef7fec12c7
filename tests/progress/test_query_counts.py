"""The number of SQL statements a page makes does not grow with the data, and a cached page makes
none beyond finding who is signed in."""

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from tests.conftest import SLUG
from tracker.models import Enrollment, Participant


@contextmanager
def counting(engine):
    statements = []

    def count(conn, cursor, statement, *args):
        # The sign-in and the data version are re-read at most once a second, so whether a request reads
        # them depends on the clock (and a loaded machine), not on the page: they are not counted.
        # The viewer's memberships are read with the sign-in (tracker.accounts.memberships.roles_of).
        signing_in = statement.lstrip().startswith("SELECT membership.partnership_id, membership.role")
        if "user_session" not in statement and "data_version" not in statement and not signing_in:
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
    client.app.state.page_cache.clear()  # ...but count the page rendered, not served from memory
    client.app.state.personal_pages.clear()
    with counting(engine) as small:
        assert client.get(path).status_code == 200
    _grow(session, make_activity, make_deliverable, 18)
    client.app.state.page_cache.clear()
    client.app.state.personal_pages.clear()
    with counting(engine) as large:
        assert client.get(path).status_code == 200
    # Who is signed in is looked up at most once a second (and the session touched once a minute), and the
    # data version is re-read after a write: clock-dependent, and not the page's cost.
    large, small = _page_statements(large), _page_statements(small)
    assert len(large) == len(small), (len(small), len(large))


def _page_statements(statements: list[str]) -> list[str]:
    return [s for s in statements if "data_version" not in s and "user_session" not in s]


@pytest.mark.parametrize("path", ["/", f"/partnerships/{SLUG}", f"/partnerships/{SLUG}/areas/mrv"])
def test_a_cached_progress_page_asks_the_database_nothing_within_a_second(client, engine, path):
    first = client.get(path)
    with counting(engine) as statements:
        again = client.get(path)
    assert again.text == first.text
    assert statements == []


def test_the_cached_public_page_makes_no_database_round_trip(anon, engine, session, mou):
    mou.public_token = "a-shared-address-0123456789"
    session.add(mou)
    session.commit()
    first = anon.get(f"/public/{mou.public_token}")
    assert first.status_code == 200
    with counting(engine) as statements:
        for _ in range(5):
            assert anon.get(f"/public/{mou.public_token}").text == first.text
    assert statements == []

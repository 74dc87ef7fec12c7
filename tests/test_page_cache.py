"""Pages served from memory stay right: changes show at once here and within a second from another
process, browsers revalidate with ETags, and nothing personal is shared between viewers."""

import asyncio
import threading

import pytest
from sqlalchemy import update

from tests.conftest import SLUG
from tracker import data_version
from tracker.auth import SESSION_COOKIE, KnownSessions
from tracker.data_version import VersionWatch
from tracker.models import Deliverable, UserSession
from tracker.page_cache import PageCache

OVERVIEW = f"/partnerships/{SLUG}"


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(app, engine):
    """The app's data version and known sessions, on a clock the test moves."""
    clock = Clock()
    saved = app.state.data_version, app.state.known_sessions
    app.state.data_version = VersionWatch(engine, clock=clock)
    app.state.known_sessions = KnownSessions(clock=clock)
    yield clock
    app.state.data_version, app.state.known_sessions = saved


def accepted(page: str) -> bool:
    return "1 of 1" in page


def test_a_change_made_here_shows_on_the_next_request(client, session, make_deliverable):
    deliverable = make_deliverable()
    assert not accepted(client.get(OVERVIEW).text)
    deliverable.status, deliverable.completed_on = "accepted", deliverable.due_on
    session.add(deliverable)
    session.commit()
    assert accepted(client.get(OVERVIEW).text)


def test_another_process_change_shows_within_a_second(client, engine, make_deliverable, clock):
    deliverable = make_deliverable()
    assert not accepted(client.get(OVERVIEW).text)
    with engine.begin() as conn:  # as another worker would: no event reaches this process
        conn.execute(
            update(Deliverable)
            .where(Deliverable.id == deliverable.id)
            .values(status="accepted", completed_on=deliverable.due_on)
        )
        data_version.bump(conn)
    clock.now += 0.5
    assert not accepted(client.get(OVERVIEW).text)  # still the copy in memory
    clock.now += 0.6
    assert accepted(client.get(OVERVIEW).text)


def test_the_public_page_answers_304_until_the_data_changes(anon, session, mou, make_deliverable):
    mou.public_token = "shared-address-for-etags-0123456789"
    session.add(mou)
    session.commit()
    url = f"/public/{mou.public_token}"
    first = anon.get(url)
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "no-cache"
    again = anon.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    make_deliverable()
    changed = anon.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag


def test_signed_in_pages_share_content_but_never_names_or_tokens(login, make_user, client):
    other = login(make_user("manager", email="second@example.org", name="Second Manager"))
    mine, theirs = client.get(OVERVIEW), other.get(OVERVIEW)
    assert "Manager User" in mine.text and "Second Manager" not in mine.text
    assert "Second Manager" in theirs.text and "Manager User" not in theirs.text
    assert client.headers["X-CSRF-Token"] in mine.text and client.headers["X-CSRF-Token"] not in theirs.text
    assert mine.headers["etag"] != theirs.headers["etag"]
    assert mine.headers["cache-control"] == "private, no-cache"
    assert client.get(OVERVIEW, headers={"If-None-Match": mine.headers["etag"]}).status_code == 304
    assert other.get(OVERVIEW, headers={"If-None-Match": mine.headers["etag"]}).status_code == 200


def test_each_language_has_its_own_copy(client):
    assert 'lang="en"' in client.get(OVERVIEW).text
    spanish = client.get(OVERVIEW + "?lang=es")
    assert 'lang="es"' in spanish.text and "Áreas de cooperación" in spanish.text
    assert 'lang="en"' in client.get(OVERVIEW + "?lang=en").text


def test_signing_out_here_ends_the_session_at_once(client, clock):
    assert client.get("/account").status_code == 200
    csrf = client.headers["X-CSRF-Token"]
    assert client.post("/sign-out", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    assert client.get("/account", follow_redirects=False).status_code == 303  # to the sign-in page


def test_a_session_ended_by_another_process_lasts_at_most_a_second(client, engine, clock):
    cookie = client.cookies.get(SESSION_COOKIE)
    assert client.get("/account").status_code == 200
    with engine.begin() as conn:
        conn.execute(UserSession.__table__.delete())
    client.cookies.set(SESSION_COOKIE, cookie)
    clock.now += 0.5
    assert client.get("/account").status_code == 200
    clock.now += 0.6
    assert client.get("/account", follow_redirects=False).status_code == 303


def test_one_render_serves_every_request_waiting_for_it():
    cache, calls, gate = PageCache(), [], threading.Event()

    def render():
        calls.append(1)
        gate.wait(5)
        return "<p>page</p>", {}

    async def scenario():
        waiting = [asyncio.create_task(cache.get("key", render)) for _ in range(5)]
        await asyncio.sleep(0.05)
        gate.set()
        return await asyncio.gather(*waiting)

    entries = asyncio.run(scenario())
    assert len(calls) == 1
    assert {e.etag for e in entries} == {entries[0].etag} and entries[0].html == "<p>page</p>"


def test_a_failed_render_reaches_every_waiter_and_is_not_kept():
    cache, calls = PageCache(), []

    def render():
        calls.append(1)
        raise LookupError("gone")

    async def scenario():
        return await asyncio.gather(*(cache.get("key", render) for _ in range(3)), return_exceptions=True)

    results = asyncio.run(scenario())
    assert all(isinstance(r, LookupError) for r in results)
    assert len(cache) == 0


def test_old_entries_expire_and_the_least_used_go_first():
    clock = Clock()
    cache = PageCache(max_entries=2, max_age=60, clock=clock)

    async def get(key, html):
        return await cache.get(key, lambda: (html, {}))

    async def scenario():
        await get("a", "A1")
        await get("b", "B1")
        await get("a", "ignored")  # a is used again: b is now the least recently used
        await get("c", "C1")  # evicts b
        assert (await get("b", "B2")).html == "B2"
        clock.now += 61
        assert (await get("b", "B3")).html == "B3"

    asyncio.run(scenario())

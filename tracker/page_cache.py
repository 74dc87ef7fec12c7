"""Rendered pages kept in memory, shared by every viewer who would see the same thing.

An entry is keyed by what decides its content (page, language, zone, day, audience, data version)
and also expires after `max_age` seconds, for what changes with the clock alone (the next 30 days).
One request renders a missing entry while the others asking for it wait for that render; the least
recently used entries go first when the cache is full. Answers carry an ETag and a conditional
request that still matches gets 304 with no body.
"""

import asyncio
import hashlib
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from fastapi import Request
from fastapi.responses import Response
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from tracker.auth import Viewer
from tracker.i18n import request_language
from tracker.models import Role
from tracker.observability.metrics import PAGE_CACHE
from tracker.templating import is_htmx, render_html, today_for, viewer_zone


@dataclass(frozen=True)
class Entry:
    html: str
    body: bytes
    etag: str
    expires: float
    # What the per-request part of the page needs besides the HTML (the partnership, say).
    extra: dict = field(default_factory=dict)


def etag_of(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


class PageCache:
    def __init__(
        self,
        max_entries: int = 256,
        max_age: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        name: str = "pages",
    ):
        self._entries: OrderedDict[Hashable, Entry] = OrderedDict()
        self._rendering: dict[Hashable, asyncio.Future] = {}
        self._max_entries, self._max_age, self._clock = max_entries, max_age, clock
        # Counted for /metrics under the cache's name.
        self._hits, self._misses, self._waits = (PAGE_CACHE.labels(name, r) for r in ("hit", "miss", "wait"))

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        self._entries.clear()

    async def get(self, key: Hashable, render: Callable[[], tuple[str, dict]]) -> Entry:
        """The entry for `key`, rendering it (in a worker thread) when missing or expired.

        `render` returns the HTML and the entry's extra; an exception it raises (404, say) reaches
        every request that waited for it, and nothing is stored.
        """
        entry = self._entries.get(key)
        if entry is not None and entry.expires > self._clock():
            self._entries.move_to_end(key)
            self._hits.inc()
            return entry
        if (pending := self._rendering.get(key)) is not None:
            self._waits.inc()
            return await asyncio.shield(pending)
        self._misses.inc()
        pending = asyncio.get_running_loop().create_future()
        self._rendering[key] = pending
        try:
            html, extra = await run_in_threadpool(render)
            body = html.encode()
            entry = Entry(html, body, etag_of(body), self._clock() + self._max_age, extra)
        except asyncio.CancelledError:
            pending.cancel()
            raise
        except BaseException as exc:
            pending.set_exception(exc)
            pending.exception()  # retrieved: nobody waiting is not an error
            raise
        finally:
            del self._rendering[key]
        pending.set_result(entry)
        self._entries[key] = entry
        while len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)
        return entry


def _holds(request: Request, etag: str) -> bool:
    """Whether the browser's If-None-Match names this version."""
    sent = request.headers.get("if-none-match", "")
    return bool(sent) and (sent.strip() == "*" or etag in (t.strip().removeprefix("W/") for t in sent.split(",")))


def _answer(request: Request, etag: str, headers: dict[str, str], body: Callable[[], bytes]) -> Response:
    """304 when the browser holds this version (the body is never made), else 200 with the body."""
    headers = {**headers, "ETag": etag}
    if _holds(request, etag):
        return Response(status_code=304, headers=headers)
    return Response(body(), media_type="text/html; charset=utf-8", headers=headers)


def audience(viewer: Viewer | None) -> Hashable:
    """Whom a page's content is for: visitors, administrators, or members with the same roles in the same
    partnerships (what they may see and change is then the same)."""
    if viewer is None:
        return "visitor"
    if viewer.is_admin:
        return str(Role.admin)
    return tuple(sorted((pid, str(role)) for pid, role in viewer.roles.items()))


async def serve(
    request: Request, viewer: Viewer | None, content: Callable[[], tuple[str, dict]], shell: str
) -> Response:
    """A page whose content is the same for everyone of its audience, language, zone and day.

    `content` renders that content (in a worker thread, after the data version is read, so the
    version in the key is never newer than the data) and returns it with what `shell` needs.
    Visitors get a page cached whole. A signed-in viewer gets the cached content in a shell made
    for them (their name, their CSRF token), itself kept in a smaller cache of personal pages.
    """
    version = await request.app.state.data_version.current()
    key = (
        request.url.path,
        request.url.query,
        request_language(request),
        viewer_zone(request),
        today_for(request),
        audience(viewer),
        is_htmx(request),
        version,
    )
    cache: PageCache = request.app.state.page_cache
    headers = {"Content-Language": request_language(request)}
    if viewer is None:

        def whole_page() -> tuple[str, dict]:
            html, extra = content()
            return render_html(request, shell, {**extra, "content": Markup(html)}), {}

        entry = await cache.get(key, whole_page)
        return _answer(request, entry.etag, headers | {"Cache-Control": "no-cache"}, lambda: entry.body)
    entry = await cache.get(key, content)

    def personal_page() -> tuple[str, dict]:
        return render_html(request, shell, {**entry.extra, "content": Markup(entry.html)}), {}

    # The shell shows the viewer's name, role and CSRF token; the rest of what it shows is in the key.
    mine = (key, entry.etag, viewer.person_id, viewer.name, viewer.role, viewer.csrf_token)
    page = await request.app.state.personal_pages.get(mine, personal_page)
    return _answer(request, page.etag, headers | {"Cache-Control": "private, no-cache"}, lambda: page.body)

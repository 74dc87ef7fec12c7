"""HEAD is answered wherever GET is: the same status and headers, and no body."""

import urllib.request

from sqlmodel import select

from tests.browser import LiveServer
from tests.conftest import SLUG
from tests.test_route_roles import EXPECTED, records_with_roster, url_of
from tracker.models import Partnership

# Headers that describe the answer and must not differ between HEAD and GET.
COMPARED = ("content-type", "content-length", "etag", "cache-control", "content-language", "content-disposition",
            "content-security-policy", "x-content-type-options", "location")  # fmt: skip


def test_every_get_route_answers_head_alike_without_a_body(
    session, login, make_user, make_activity, make_deliverable, anon
):
    admin_user = make_user("admin")
    records = records_with_roster(session, activity=make_activity(), deliverable=make_deliverable(), person=admin_user)
    differing = {}
    for client in (login(admin_user), anon):
        for method, path in sorted(EXPECTED):
            if method != "GET":
                continue
            url = url_of(path, records)
            got, head = client.get(url, follow_redirects=False), client.head(url, follow_redirects=False)
            seen = (head.status_code, {h: head.headers.get(h) for h in COMPARED}, head.content)
            expected = (got.status_code, {h: got.headers.get(h) for h in COMPARED}, b"")
            if seen != expected:
                differing[path] = (expected[:2], seen[:2], len(head.content))
    assert differing == {}


def test_a_monitor_and_a_calendar_client_get_200_for_head_from_a_real_server(app, session, mou, login, make_user):
    login(make_user("admin")).post(f"/admin/partnerships/{SLUG}/calendar")
    token = session.exec(select(Partnership.calendar_token).where(Partnership.id == mou.id)).one()
    with LiveServer(app) as server:
        for path in ("/healthz", f"/calendar/{token}.ics", "/"):
            request = urllib.request.Request(server.url + path, method="HEAD")
            with urllib.request.urlopen(request, timeout=10) as response:
                assert response.status == 200 and response.read() == b""
                assert int(response.headers["Content-Length"]) > 0

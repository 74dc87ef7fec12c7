from contextlib import closing
from datetime import timedelta

import pytest
import time_machine
from sqlmodel import select

from tracker.auth import SESSION_COOKIE
from tracker.models import Person, SignInAttempt, UserSession

PASSWORD = "tropical forest standard 2026"


@pytest.fixture
def ana(make_user):
    return make_user("manager", email="ana@example.org", name="Ana Pérez", password=PASSWORD)


def _sign_in(client, email, password, next_="/"):
    return client.post(
        "/sign-in",
        data={"email": email, "password": password, "next": next_, "csrf_token": _csrf(client)},
        follow_redirects=False,
    )


def _csrf(client) -> str:
    page = client.get("/sign-in").text
    return page.split('name="csrf_token" value="')[1].split('"')[0]


def test_password_hashes_are_argon2id(session, ana):
    assert session.get(Person, ana.id).password_hash.startswith("$argon2id$")


def test_signing_in_starts_a_fresh_http_only_session(anon, ana, session):
    anon.cookies.set(SESSION_COOKIE, "a-session-id-planted-by-someone-else")
    response = _sign_in(anon, "ANA@example.org ", PASSWORD)
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    token = response.cookies[SESSION_COOKIE]
    assert token != "a-session-id-planted-by-someone-else"
    assert len(session.exec(select(UserSession).where(UserSession.person_id == ana.id)).all()) == 1
    assert "Ana Pérez" in anon.get("/").text


def test_an_unknown_email_and_a_wrong_password_get_the_same_answer_after_the_same_work(anon, ana, monkeypatch):
    from pwdlib.hashers.argon2 import Argon2Hasher

    verified = []  # the Argon2 cost of each verification made (counted, not timed: load changes timings)
    real_verify = Argon2Hasher.verify

    def counting_verify(hasher, password, hash):
        verified.append(hash.split("$")[3])  # "m=…,t=…,p=…"
        return real_verify(hasher, password, hash)

    monkeypatch.setattr(Argon2Hasher, "verify", counting_verify)
    answers, work = {}, {}
    for label, email in (("unknown", "nobody@example.org"), ("wrong", "ana@example.org")):
        verified.clear()
        response = _sign_in(anon, email, "not the right password at all")
        answers[label] = (response.status_code, response.text.count("The email or the password is wrong."))
        work[label] = list(verified)
    assert answers["unknown"] == answers["wrong"] == (401, 1)
    # Both verify one Argon2 hash of the same cost; neither is a quick "no such user".
    assert len(work["unknown"]) == 1 and work["unknown"] == work["wrong"]


def test_ten_wrong_passwords_throttle_the_account_but_not_another(anon, ana, make_user, session):
    make_user("manager", email="sam@example.org", password=PASSWORD)
    for _ in range(10):
        assert _sign_in(anon, "ana@example.org", "wrong password, try again").status_code == 401
    throttled = _sign_in(anon, "ana@example.org", PASSWORD)
    assert throttled.status_code == 429 and "Too many failed attempts" in throttled.text
    assert _sign_in(anon, "sam@example.org", PASSWORD).status_code == 303
    # An unknown address is throttled alike, so throttling reveals nothing.
    for _ in range(10):
        _sign_in(anon, "ghost@example.org", "wrong password, try again")
    assert _sign_in(anon, "ghost@example.org", "x" * 12).status_code == 429
    with time_machine.travel(session.exec(select(SignInAttempt.at)).first() + timedelta(minutes=16)):
        assert _sign_in(anon, "ana@example.org", PASSWORD).status_code == 303


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example", "/\\evil.example", "javascript:alert(1)"])
def test_next_only_returns_to_local_paths(anon, ana, target):
    response = _sign_in(anon, "ana@example.org", PASSWORD, next_=target)
    assert response.headers["location"] == "/"


def test_next_returns_to_the_page_asked_for(anon, ana):
    redirected = anon.get("/partnerships/carb-miambiente-2025/activities?kind=webinar", follow_redirects=False)
    assert redirected.status_code == 303
    assert (
        redirected.headers["location"]
        == "/sign-in?next=%2Fpartnerships%2Fcarb-miambiente-2025%2Factivities%3Fkind%3Dwebinar"
    )
    response = _sign_in(
        anon, "ana@example.org", PASSWORD, next_="/partnerships/carb-miambiente-2025/activities?kind=webinar"
    )
    assert response.headers["location"] == "/partnerships/carb-miambiente-2025/activities?kind=webinar"


def test_a_session_cookie_replayed_after_sign_out_is_rejected(anon, app, ana):
    token = _sign_in(anon, "ana@example.org", PASSWORD).cookies[SESSION_COOKIE]
    csrf = anon.get("/account").text.split('name="csrf_token" value="')[1].split('"')[0]
    assert anon.post("/sign-out", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    from fastapi.testclient import TestClient

    with closing(TestClient(app)) as replay:
        replay.cookies.set(SESSION_COOKIE, token)
        assert replay.get("/account", follow_redirects=False).status_code == 303
        assert replay.get("/api/v1/activities").status_code == 401


@pytest.fixture
def short_sessions(app, settings):
    app.state.settings = settings.model_copy(update={"session_idle_minutes": 60, "session_max_hours": 3})
    yield
    app.state.settings = settings


def test_a_session_ends_after_an_hour_without_requests(short_sessions, anon, ana):
    _sign_in(anon, "ana@example.org", PASSWORD)
    with time_machine.travel(timedelta(minutes=59)):
        assert anon.get("/account").status_code == 200  # and the idle clock restarts
    with time_machine.travel(timedelta(minutes=59 + 58)):
        assert anon.get("/account").status_code == 200
    with time_machine.travel(timedelta(minutes=59 + 58 + 61)):
        assert anon.get("/account", follow_redirects=False).status_code == 303


def test_a_busy_session_still_ends_at_the_absolute_timeout(short_sessions, anon, ana):
    _sign_in(anon, "ana@example.org", PASSWORD)
    for minutes in (50, 100, 150):
        with time_machine.travel(timedelta(minutes=minutes)):
            assert anon.get("/account").status_code == 200
    with time_machine.travel(timedelta(minutes=181)):
        assert anon.get("/account", follow_redirects=False).status_code == 303


def test_deactivation_ends_sessions_and_tokens_at_once(login, make_user, bearer, session):
    admin, ana = make_user("admin"), make_user("manager", email="ana@example.org")
    ana_browser, ana_token = login(ana), bearer(ana)
    assert ana_browser.get("/account").status_code == 200
    assert login(admin).post(f"/admin/users/{ana.id}/deactivate", follow_redirects=False).status_code == 303
    assert ana_browser.get("/account", follow_redirects=False).status_code == 303
    assert ana_browser.get("/api/v1/activities", headers=ana_token).status_code == 401


@pytest.mark.parametrize(
    "password, accepted",
    [
        ("short one", False),
        ("password1234", False),
        ("qwertyuiop123", False),
        ("aaaaaaaaaaaaaaaa", False),
        ("correct horse battery staple", True),
        ("un mercado de carbono para Panamá " * 8, True),
    ],
)
def test_passwords_must_be_long_and_not_common_with_no_composition_rules(anon, make_user, session, password, accepted):
    from tracker.accounts import service as account_service
    from tracker.models import utcnow

    person = make_user("partner", email="p@example.org")
    token = account_service.issue_link(session, person=person, purpose="invitation", now=utcnow())
    session.commit()
    page = anon.get(f"/password/set/{token}")
    csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    response = anon.post(
        f"/password/set/{token}",
        data={"password": password, "password_again": password, "csrf_token": csrf},
        follow_redirects=False,
    )
    assert (response.status_code == 303) is accepted
    if not accepted:
        assert 'id="password-error"' in response.text

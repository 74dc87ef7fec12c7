"""Verification at a public address, and revocation through a confirmation page that needs no JavaScript."""

from sqlmodel import select

from tests.certificates.conftest import certificates_of, issue
from tracker.models import AuditEvent


def _revoke_url(training, participant) -> str:
    return f"/activities/{training.id}/certificates/{participant.id}/revoke"


def test_the_verification_page_shows_valid_then_revoked_and_nothing_else(client, anon, session, training, people):
    issue(client, training)
    token = certificates_of(session)["Ana María"].verify_token
    valid = anon.get(f"/verify/{token}", headers={"Accept-Language": "es-PA,es;q=0.9"})
    assert valid.status_code == 200 and '<html lang="es">' in valid.text  # the visitor's language
    assert "Ana María Pérez Batista" in valid.text and "Diseño de mercados de carbono" in valid.text
    assert "17–19 de noviembre de 2026" in valid.text
    assert valid.headers["x-robots-tag"] == "noindex, nofollow"
    english = anon.get(f"/verify/{token}", headers={"Accept-Language": "en"}).text
    assert "Valid" in english and "Revoked" not in english
    reason = "Attendance recorded for the wrong person"
    page = client.get(_revoke_url(training, people["Ana María"]))
    csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    client.post(_revoke_url(training, people["Ana María"]), data={"reason": reason, "csrf_token": csrf})
    revoked = anon.get(f"/verify/{token}", headers={"Accept-Language": "en"}).text
    assert "Revoked" in revoked and "This certificate was revoked on November 20, 2026." in revoked
    for private in ("ana@miambiente.gob.pa", "MiAMBIENTE", reason, "CM-2026-"):
        assert private not in valid.text and private not in english and private not in revoked


def test_an_unknown_address_is_a_clear_404(anon):
    for token in ("not-a-real-code", "x" * 500, "%00"):
        response = anon.get(f"/verify/{token}", headers={"Accept-Language": "en"})
        assert response.status_code in (400, 404)
    response = anon.get("/verify/AAAAAAAAAAAAAAAAAAAAAA", headers={"Accept-Language": "en"})
    assert response.status_code == 404 and "No certificate has this verification address." in response.text
    assert response.headers["x-robots-tag"] == "noindex, nofollow"


def test_revoking_asks_first_on_a_page_of_its_own_and_needs_the_csrf_token(client, session, training, people):
    issue(client, training)
    sam = people["Sam"]
    page = client.get(_revoke_url(training, sam))
    assert page.status_code == 200 and "CM-2026-00002" in page.text and "cannot be reinstated" in page.text
    assert f'method="post" action="{_revoke_url(training, sam)}"' in page.text and 'name="csrf_token"' in page.text
    token = client.headers.pop("X-CSRF-Token")
    assert client.post(_revoke_url(training, sam), data={"reason": "Mistake"}).status_code == 403
    assert certificates_of(session)["Sam"].revoked_at is None
    blank = client.post(_revoke_url(training, sam), data={"reason": " ", "csrf_token": token})
    assert blank.status_code == 422 and 'id="reason-error"' in blank.text
    done = client.post(
        _revoke_url(training, sam), data={"reason": "Mistake", "csrf_token": token}, follow_redirects=False
    )
    assert done.status_code == 303 and done.headers["location"].endswith("?revoked=1")
    sam_certificate = certificates_of(session)["Sam"]
    assert sam_certificate.revoked_reason == "Mistake" and sam_certificate.revoked_at is not None
    listing = client.get(done.headers["location"]).text
    assert "its verification page says so" in listing and "Revoked" in listing
    assert "This certificate was revoked" in client.get(_revoke_url(training, sam)).text  # and no form again
    again = client.post(_revoke_url(training, sam), data={"reason": "Twice", "csrf_token": token})
    assert again.status_code == 409
    # Issuing and revoking are in the audit trail, with who did it.
    events = session.exec(select(AuditEvent).where(AuditEvent.entity == "certificate")).all()
    assert {e.action for e in events} == {"create", "update"}
    assert [e.changes["revoked_reason"] for e in events if e.action == "update"] == [[None, "Mistake"]]

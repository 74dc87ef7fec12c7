"""Issuing: only those who completed get a certificate; numbers are assigned once and never reused."""

from datetime import UTC, datetime

from sqlalchemy import update
from sqlmodel import select

from tests.certificates.conftest import certificates_of, issue
from tracker.certificates import service as certificate_service
from tracker.certificates.rules import certificate_number, number_prefix, parse_hours
from tracker.models import Activity, Certificate, Enrollment


def test_it_issues_certificates_only_to_those_who_completed(client, manager, session, training, people):
    page = client.get(f"/activities/{training.id}/certificates").text
    assert "Rosa" not in page and "Juan" not in page  # one day of three; absent
    assert page.count("Not issued") == 3
    page = issue(client, training).text
    assert "3 certificates issued." in page
    issued = certificates_of(session)
    assert sorted(issued) == ["Ana María", "Luis", "Sam"]
    assert {c.issued_by for c in issued.values()} == {manager.id}
    assert client.get(f"/activities/{training.id}/certificates/{people['Rosa'].id}").status_code == 404
    assert client.get(f"/activities/{training.id}/certificates/{people['Juan'].id}.pdf").status_code == 404


def test_numbers_are_unique_stable_across_reissue_and_never_reused(client, session, training, people, make_activity):
    issue(client, training)
    first = {given: c.number for given, c in certificates_of(session).items()}
    assert sorted(first.values()) == ["CM-2026-00001", "CM-2026-00002", "CM-2026-00003"]
    tokens = {c.verify_token for c in certificates_of(session).values()}
    assert len(tokens) == 3 and all(len(t) >= 20 for t in tokens)
    assert "none was issued" in issue(client, training).text  # issuing again changes nothing
    assert {g: c.number for g, c in certificates_of(session).items()} == first
    # Rosa completes after all; Sam's roster row is removed (and his certificate with it).
    session.exec(update(Enrollment).where(Enrollment.participant_id == people["Rosa"].id).values(days_attended=3))
    sam = session.exec(select(Enrollment).where(Enrollment.participant_id == people["Sam"].id)).one()
    session.delete(sam)
    session.commit()
    other = make_activity(title_en="Second workshop", start_local="2026-11-18T09:00", end_local="2026-11-18T12:00")
    session.add(Enrollment(activity_id=other.id, participant_id=people["Juan"].id, status="attended"))
    session.commit()
    issue(client, training)
    issue(client, other)
    numbers = {g: c.number for g, c in certificates_of(session).items()}
    assert numbers["Ana María"] == first["Ana María"] and numbers["Luis"] == first["Luis"]
    assert {numbers["Rosa"], numbers["Juan"]} == {"CM-2026-00004", "CM-2026-00005"}  # Sam's number stays his
    assert first["Sam"] not in numbers.values()
    assert len(session.exec(select(Certificate.number)).all()) == len(set(numbers.values())) == 4


def test_a_revoked_certificate_stays_revoked_and_its_holder_gets_no_other(client, session, training, people):
    issue(client, training)
    ana = certificates_of(session)["Ana María"]
    certificate_service.revoke(session, certificate=ana, revoked_by=None, reason="Duplicate", now=datetime.now(UTC))
    session.commit()
    issue(client, training)
    again = certificates_of(session)["Ana María"]
    assert (again.id, again.number, again.revoked_at is not None) == (ana.id, ana.number, True)


def test_each_prefix_and_year_counts_on_its_own(session, training, mou):
    in_2027 = datetime(2027, 1, 5, 15, tzinfo=UTC)
    new = certificate_service.issue_all(session, activity=training, issued_by=None, now=in_2027)
    assert sorted(c.number for c in new) == ["CM-2027-00001", "CM-2027-00002", "CM-2027-00003"]
    assert number_prefix(mou.slug) == "CM" and number_prefix("carb-sonora-2026") == "CS"
    assert number_prefix("2026") == "MOU" and certificate_number("PA", 2026, 42) == "PA-2026-00042"
    session.rollback()


def test_a_cancelled_or_future_activity_gets_no_certificates(client, session, training, make_activity):
    session.exec(update(Activity).where(Activity.id == training.id).values(status="cancelled"))
    session.commit()
    refused = client.post(f"/activities/{training.id}/certificates/issue", follow_redirects=False)
    assert refused.status_code == 409 and "never for a cancelled one" in refused.text
    assert "Issue certificates to everyone" not in client.get(f"/activities/{training.id}/certificates").text
    later = make_activity(start_local="2026-12-10T09:00", end_local="2026-12-10T17:00")
    assert client.post(f"/activities/{later.id}/certificates/issue").status_code == 409
    assert session.exec(select(Certificate)).all() == []


def test_hours_are_optional_and_shown_only_once_set(client, session, training, people):
    ana = f"/activities/{training.id}/certificates/{people['Ana María'].id}"
    assert "Hours of instruction" not in client.get(f"{ana}?lang=en").text
    bad = client.post(f"/activities/{training.id}/certificates/hours", data={"hours": "twenty"})
    assert bad.status_code == 422 and 'id="hours-error"' in bad.text and 'value="twenty"' in bad.text
    saved = client.post(f"/activities/{training.id}/certificates/hours", data={"hours": "22,5"})
    assert saved.status_code == 200 and "The hours of instruction are saved." in saved.text
    assert "Hours of instruction</dt><dd>22.5</dd>" in client.get(f"{ana}?lang=en").text
    assert "</dt><dd>22,5</dd>" in client.get(f"{ana}?lang=es").text  # the reader's decimal comma
    client.post(f"/activities/{training.id}/certificates/hours", data={"hours": ""})
    assert "Hours of instruction" not in client.get(f"{ana}?lang=en").text
    assert [parse_hours(t) for t in ("24", " 7.5 ", "7,5", "")] == [24, 7.5, 7.5, None]
    for typed in ("0", "-3", "1e3", "7.25", "99999", "NaN"):
        try:
            parse_hours(typed)
        except ValueError:
            continue
        raise AssertionError(typed)


def test_a_partner_reads_certificates_but_only_managers_issue_them(login, make_user, client, training, people):
    issue(client, training)
    partner = login(make_user("partner", email="partner@miambiente.gob.pa"))
    page = partner.get(f"/activities/{training.id}/certificates").text
    assert "CM-2026-00001" in page and "Revoke…" not in page and "Issue certificates" not in page
    assert partner.post(f"/activities/{training.id}/certificates/issue").status_code == 403
    assert partner.get(f"/activities/{training.id}/certificates/{people['Sam'].id}.pdf").status_code == 200


def test_a_viewer_of_another_partnership_gets_404_everywhere(login, make_user, sonora, session):
    activity, participant = sonora["activity"], sonora["participant"]
    certificate_service.issue_all(session, activity=activity, issued_by=None, now=datetime.now(UTC))
    session.commit()
    urls = [
        f"/activities/{activity.id}/certificates",
        f"/activities/{activity.id}/certificates.pdf",
        f"/activities/{activity.id}/certificates/{participant.id}",
        f"/activities/{activity.id}/certificates/{participant.id}.pdf",
        f"/activities/{activity.id}/certificates/{participant.id}/revoke",
    ]
    partner = login(make_user("partner"))  # of the CARB–MiAMBIENTE MOU
    for url in urls:
        response = partner.get(url)
        assert response.status_code in (403, 404) and "Sonorense" not in response.text, url
    assert all(partner.get(url).status_code == 404 for url in urls[:4])
    own = login(sonora["partner"])
    assert own.get(urls[0]).status_code == 200 and "Sonorense Participante" in own.get(urls[0]).text

"""The public form: in Spanish first, matched to people as imports are, on the roster once confirmed,
a confirmation with the event attached, and nothing stored from a refused, robotic or flooding submission."""

from icalendar import Calendar
from sqlmodel import select

from tests.conftest import count_rows
from tests.registration.conftest import CONSENT_EN, CONSENT_ES, PERSON, csrf_of, outbox, personal_link, text_of
from tracker.models import Enrollment, Participant, Registration, RegistrationForm
from tracker.registration import rules


def test_it_shows_the_form_in_spanish_with_the_activity_on_its_own_clock(anon, open_form):
    token = open_form(capacity=30)
    page = anon.get(f"/register/{token}")
    assert page.status_code == 200 and page.headers["content-language"] == "es"
    assert "Taller de mercados de carbono" in page.text
    assert "16 feb 2027" in page.text and "9:00" in page.text  # Panama's clock
    assert "Quedan 30 plazas." in page.text
    assert CONSENT_ES in page.text and "Prefiero no decirlo" in page.text
    assert '<option value="PA"' in page.text and "Panamá" in page.text
    english = anon.get(f"/register/{token}?lang=en")
    assert "Carbon markets workshop" in english.text and CONSENT_EN in english.text
    assert "30 seats left." in english.text and "Prefer not to say" in english.text


def test_a_wrong_address_is_not_found(anon, open_form):
    open_form()
    assert anon.get("/register/" + "x" * 43).status_code == 404
    assert anon.get("/register/short").status_code == 404


def test_it_registers_a_person_on_the_roster_and_emails_a_spanish_confirmation_with_the_event(
    anon, session, register, open_form, workshop
):
    token = open_form()
    response = register(token)
    assert response.status_code == 303 and response.headers["location"].endswith("result=confirmed")
    done = anon.get(response.headers["location"])
    assert "Está inscrito." in done.text
    registration = session.exec(select(Registration)).one()
    participant = session.get(Participant, registration.participant_id)
    enrollment = session.get(Enrollment, registration.enrollment_id)
    assert (registration.state, registration.language, registration.needs) == (
        "confirmed",
        "es",
        "Interpretación al español",
    )
    assert registration.consent_text == CONSENT_ES and registration.client_ip == "testclient"
    assert participant.name == "María José Rodríguez Batista" and participant.email == PERSON["email"]
    assert (enrollment.activity_id, enrollment.status) == (workshop.id, "registered")
    ((kind, email),) = outbox(session)
    assert kind == "registration_confirmed"
    assert email["Subject"] == "Inscripción confirmada: Taller de mercados de carbono"
    assert "Hola, María José Rodríguez Batista:" in text_of(email)
    link = personal_link(email)
    assert registration.token_hash == rules.hash_token(link.rsplit("/", 1)[1])  # only the hash is kept
    (attachment,) = list(email.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    (event,) = Calendar.from_ical(attachment.get_content()).walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "America/Panama"
    assert event.decoded("DTSTART").isoformat() == "2027-02-16T09:00:00-05:00"


def test_a_second_registration_with_the_same_email_adds_nobody_and_sends_the_link_again(
    anon, session, register, open_form
):
    token = open_form()
    register(token)
    registration = session.exec(select(Registration)).one()
    registration.updated_at = registration.updated_at.replace(year=2020)  # the first email is not recent
    session.commit()
    again = register(token, given_names="MARIA JOSE", email="Maria.Rodriguez@MiAmbiente.gob.pa")
    assert again.headers["location"].endswith("result=already")
    assert "Ya está inscrito en esta actividad." in anon.get(again.headers["location"]).text
    assert count_rows(session.get_bind(), Participant) == 1
    assert count_rows(session.get_bind(), Registration) == count_rows(session.get_bind(), Enrollment) == 1
    kinds = [kind for kind, _ in outbox(session)]
    assert kinds == ["registration_confirmed", "registration_link"]
    # At once again: no third email (never a burst to someone's inbox).
    register(token)
    assert len(outbox(session)) == 2


def test_it_matches_someone_on_a_roster_by_name_and_organization_without_renaming_them(
    session, register, open_form, workshop, make_activity
):
    earlier = Participant(
        given_names="María José", surnames="Rodríguez Batista", name="María José Rodríguez Batista",
        organization="MiAMBIENTE", match_key="maria jose rodriguez batista|miambiente",
    )  # fmt: skip
    session.add(earlier)
    session.commit()
    token = open_form()
    register(token, given_names="maria jose", surnames="rodriguez batista")
    session.expire_all()
    (participant,) = session.exec(select(Participant)).all()
    assert participant.id == earlier.id and participant.email == PERSON["email"]
    assert participant.name == "María José Rodríguez Batista"


def test_an_invalid_form_keeps_the_input_says_why_and_stores_nothing(anon, session, register, open_form):
    token = open_form()
    response = register(token, email="not-an-email", surnames="", consent=None)
    assert response.status_code == 422
    assert 'value="María José"' in response.text
    assert 'id="email-error"' in response.text and 'id="surnames-error"' in response.text
    assert 'id="consent-error"' in response.text and "Marque esta casilla" in response.text
    assert count_rows(session.get_bind(), Registration) == count_rows(session.get_bind(), Participant) == 0
    assert outbox(session) == []


def test_hostile_names_are_escaped_on_every_page_and_email(anon, session, register, open_form, login, manager):
    token = open_form()
    hostile = '"><script>alert(1)</script>'
    response = register(token, given_names=hostile, organization="<img src=x onerror=alert(1)>")
    assert response.status_code == 303
    ((_kind, email),) = outbox(session)
    html = email.get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "\n" not in str(email["To"]) and "<script>" in str(email["To"].addresses[0].display_name)
    page = login(manager).get(f"/activities/{session.exec(select(RegistrationForm)).one().activity_id}/registration")
    assert "<script>alert" not in page.text and "&lt;script&gt;" in page.text
    assert "<img src=x" not in page.text
    mine = anon.get(personal_link(email))
    assert "<script>alert" not in mine.text


def test_a_name_with_a_line_break_is_refused(session, register, open_form):
    token = open_form()
    assert register(token, given_names="Ana\r\nBcc: x@example.org").status_code == 422
    assert count_rows(session.get_bind(), Registration) == 0


def test_the_honeypot_pretends_success_and_stores_nothing(anon, session, register, open_form):
    token = open_form()
    response = register(token, website="http://spam.example")
    assert response.status_code == 303 and response.headers["location"].endswith("result=confirmed")
    assert count_rows(session.get_bind(), Registration) == count_rows(session.get_bind(), Participant) == 0
    assert outbox(session) == []


def test_the_honeypot_is_hidden_from_people(anon, open_form):
    page = anon.get(f"/register/{open_form()}").text
    assert '<div class="hp" aria-hidden="true">' in page and 'tabindex="-1"' in page
    assert "Deje este campo vacío" in page


def test_one_address_is_throttled_after_ten_registrations_an_hour(anon, session, register, open_form):
    token = open_form()
    for number in range(rules.MAX_PER_ADDRESS):
        assert register(token, email=f"person{number}@example.org", given_names=f"P{number}").status_code == 303
    refused = register(token, email="eleventh@example.org", given_names="Once")
    assert refused.status_code == 429
    assert "Se enviaron demasiadas inscripciones desde su conexión" in refused.text
    assert count_rows(session.get_bind(), Registration) == rules.MAX_PER_ADDRESS


def test_a_post_without_the_csrf_token_is_refused(anon, session, open_form):
    token = open_form()
    anon.get(f"/register/{token}")
    assert anon.post(f"/register/{token}", data=PERSON).status_code == 403
    assert count_rows(session.get_bind(), Registration) == 0


def test_a_body_over_64_kb_is_refused_unread(anon, session, open_form):
    token = open_form()
    page = anon.get(f"/register/{token}")
    data = {**PERSON, "needs": "x" * (70 * 1024), "csrf_token": csrf_of(page.text)}
    response = anon.post(f"/register/{token}", data=data)
    assert response.status_code == 413 and "demasiado grande" in response.text
    assert count_rows(session.get_bind(), Registration) == 0


def test_fields_longer_than_allowed_are_refused(session, register, open_form):
    token = open_form()
    response = register(token, needs="x" * 1001, organization="o" * 201)
    assert response.status_code == 422 and 'id="needs-error"' in response.text
    assert 'id="organization-error"' in response.text
    assert count_rows(session.get_bind(), Registration) == 0

"""Seats, the waiting list, cancelling through the personal link, and a manager's approval."""

from datetime import timedelta

from sqlmodel import select

from tests.registration.conftest import csrf_of, outbox, personal_link, text_of
from tracker.models import Enrollment, Participant, Registration, RegistrationForm, utcnow


def _people(session) -> dict[str, Registration]:
    session.expire_all()
    rows = session.exec(select(Registration, Participant).join(Participant)).all()
    return {participant.given_names: registration for registration, participant in rows}


def test_a_full_activity_puts_people_on_the_waiting_list_and_a_cancellation_promotes_the_first(
    anon, session, register, open_form, workshop
):
    token = open_form(capacity=1)
    assert register(token).headers["location"].endswith("result=confirmed")
    assert (
        register(token, given_names="Luis", email="luis@example.org").headers["location"].endswith("result=waitlisted")
    )
    register(token, given_names="Ana", email="ana@example.org")
    page = anon.get(f"/register/{token}")
    assert "Todas las plazas están ocupadas: puede inscribirse en la lista de espera." in page.text
    mails = outbox(session)
    assert [kind for kind, _ in mails] == [
        "registration_confirmed",
        "registration_waitlisted",
        "registration_waitlisted",
    ]
    assert "Tiene el número 2 en la lista." in text_of(mails[2][1])
    assert not list(mails[1][1].iter_attachments())  # no event until a seat is theirs

    # María cancels with her personal link, after its confirmation page.
    link = personal_link(mails[0][1])
    asked = anon.get(f"{link}/cancel")
    assert asked.status_code == 200 and "¿Cancelar su inscripción?" in asked.text
    done = anon.post(f"{link}/cancel", data={"csrf_token": csrf_of(asked.text)}, follow_redirects=False)
    assert done.status_code == 303
    people = _people(session)
    assert people["María José"].state == "cancelled" and people["María José"].enrollment_id is None
    assert people["Luis"].state == "confirmed" and people["Ana"].state == "waitlisted"
    roster = session.exec(select(Enrollment).where(Enrollment.activity_id == workshop.id)).all()
    assert [e.participant_id for e in roster] == [people["Luis"].participant_id]
    kinds = [kind for kind, _ in outbox(session)]
    assert kinds[3:] == ["registration_cancelled", "registration_confirmed"]
    promoted = outbox(session)[4][1]
    assert promoted["Subject"] == "Tiene una plaza: Taller de mercados de carbono"
    assert "Se liberó una plaza y es suya" in text_of(promoted)
    assert list(promoted.iter_attachments())
    assert "Lista de espera, número 1" in anon.get(personal_link(outbox(session)[2][1])).text


def test_cancelling_keeps_a_roster_entry_that_records_attendance(anon, session, register, open_form):
    token = open_form()
    register(token)
    registration = session.exec(select(Registration)).one()
    enrollment = session.get(Enrollment, registration.enrollment_id)
    enrollment.status = "attended"
    session.commit()
    link = personal_link(outbox(session)[0][1])
    anon.post(f"{link}/cancel", data={"csrf_token": csrf_of(anon.get(link).text)})
    session.expire_all()
    assert session.get(Enrollment, enrollment.id) is not None


def test_the_personal_link_changes_needs_language_organization_and_position(anon, session, register, open_form):
    token = open_form()
    register(token)
    link = personal_link(outbox(session)[0][1])
    page = anon.get(link)
    assert page.status_code == 200 and "Confirmado" in page.text and page.headers["x-robots-tag"] == "noindex"
    data = {"organization": "ANAM", "position": "Directora", "language": "en", "needs": "Rampa",
            "csrf_token": csrf_of(page.text)}  # fmt: skip
    saved = anon.post(link, data=data, follow_redirects=False)
    assert saved.status_code == 303
    session.expire_all()
    registration = session.exec(select(Registration)).one()
    participant = session.get(Participant, registration.participant_id)
    assert (registration.language, registration.needs) == ("en", "Rampa")
    assert (participant.organization, participant.position) == ("ANAM", "Directora")
    assert "Your changes were saved." in anon.get(saved.headers["location"]).text
    too_long = anon.post(link, data=data | {"needs": "x" * 1001})
    assert too_long.status_code == 422 and 'id="needs-error"' in too_long.text


def test_a_wrong_personal_link_is_not_found(anon, open_form):
    open_form()
    assert anon.get("/my-registration/" + "a" * 43).status_code == 404


def test_a_form_needing_approval_waits_for_the_manager_who_approves_or_declines(
    anon, session, register, open_form, client, workshop
):
    token = open_form(needs_approval=True, capacity=1)
    assert register(token).headers["location"].endswith("result=pending")
    register(token, given_names="Luis", email="luis@example.org")
    register(token, given_names="Ana", email="ana@example.org")
    people = _people(session)
    assert {r.state for r in people.values()} == {"pending"}
    assert session.exec(select(Enrollment)).all() == []
    page = client.get(f"/activities/{workshop.id}/registration")
    assert page.text.count("Pending approval") >= 3 and "Approve" in page.text

    assert client.post(f"/registrations/{people['María José'].id}/approve", follow_redirects=False).status_code == 303
    assert client.post(f"/registrations/{people['Luis'].id}/approve", follow_redirects=False).status_code == 303
    asked = client.get(f"/registrations/{people['Ana'].id}/decline")
    assert asked.status_code == 200 and "Decline the registration of Ana Rodríguez Batista?" in asked.text
    assert client.post(f"/registrations/{people['Ana'].id}/decline", follow_redirects=False).status_code == 303
    people = _people(session)
    assert (people["María José"].state, people["Luis"].state, people["Ana"].state) == (
        "confirmed",
        "waitlisted",
        "declined",
    )
    kinds = [kind for kind, _ in outbox(session)]
    assert kinds == ["registration_pending"] * 3 + [
        "registration_confirmed",
        "registration_waitlisted",
        "registration_declined",
    ]
    approved = outbox(session)[3][1]
    assert "Los organizadores aprobaron su inscripción" in text_of(approved)
    listing = client.get(f"/activities/{workshop.id}/registration").text
    assert "Waiting list, number 1" in listing and "Declined" in listing


def test_a_closing_time_passed_shows_the_closed_page(anon, session, open_form, register):
    token = open_form()
    form = session.exec(select(RegistrationForm)).one()
    form.closes_at = utcnow() - timedelta(minutes=1)
    session.commit()
    page = anon.get(f"/register/{token}")
    assert page.status_code == 404 and "La inscripción está cerrada" in page.text
    assert "Taller de mercados de carbono" in page.text
    assert anon.post(f"/register/{token}", data={}).status_code in (403, 404)
    assert session.exec(select(Registration)).all() == []


def test_a_form_closed_by_a_manager_takes_no_registration(anon, session, open_form, register, client, workshop):
    token = open_form()
    page = anon.get(f"/register/{token}")
    assert client.post(f"/activities/{workshop.id}/registration/close", follow_redirects=False).status_code == 303
    closed = anon.post(f"/register/{token}", data={"csrf_token": csrf_of(page.text), "given_names": "X"})
    assert closed.status_code == 404 and "La inscripción está cerrada" in closed.text
    assert session.exec(select(Registration)).all() == []

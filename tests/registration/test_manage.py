"""The managers' side: opening needs a consent text, settings, closing and reopening, and nobody else
reaches these pages."""

from sqlmodel import select

from tests.conftest import signed_in
from tracker.models import AuditEvent, Registration, RegistrationForm
from tracker.registration import rules


def test_opening_needs_the_partnership_consent_text_first(client, session, make_activity, mou):
    activity = make_activity(start_local="2027-02-16T09:00", end_local="2027-02-16T17:00")
    page = client.get(f"/activities/{activity.id}/registration")
    assert page.status_code == 200 and "Write the consent text" in page.text
    refused = client.post(f"/activities/{activity.id}/registration", data={"capacity": "20"})
    assert refused.status_code == 422 and "before opening registration" in refused.text
    assert session.exec(select(RegistrationForm)).all() == []
    editor = client.get(f"/partnerships/{mou.slug}/consent?next=/activities/{activity.id}/registration")
    assert editor.status_code == 200 and "Law 81 of 2019" in editor.text  # the suggested text
    version = editor.text.split('name="version" value="')[1].split('"')[0]
    saved = client.post(
        f"/partnerships/{mou.slug}/consent",
        data={"consent_en": "We keep your details.", "consent_es": "Conservamos sus datos.", "version": version,
              "next": f"/activities/{activity.id}/registration"},
        follow_redirects=False,
    )  # fmt: skip
    assert saved.status_code == 303 and saved.headers["location"].startswith(f"/activities/{activity.id}/registration")
    session.expire_all()
    assert (mou.consent_en, mou.consent_es) == ("We keep your details.", "Conservamos sus datos.")
    events = session.exec(select(AuditEvent).where(AuditEvent.entity == "partnership")).all()
    assert any("consent_es" in event.changes for event in events)


def test_a_manager_opens_sees_the_address_changes_and_closes_and_reopens(client, session, workshop):
    opened = client.post(
        f"/activities/{workshop.id}/registration",
        data={"capacity": "25", "closes_local": "2027-02-10T18:00", "needs_approval": "on"},
        follow_redirects=False,
    )
    assert opened.status_code == 303
    form = session.exec(select(RegistrationForm)).one()
    assert (form.capacity, form.needs_approval) == (25, True)
    assert form.closes_at.isoformat() == "2027-02-10T23:00:00+00:00"  # 18:00 in Panama
    page = client.get(f"/activities/{workshop.id}/registration")
    assert f"http://testserver/register/{form.token}" in page.text and 'value="2027-02-10T18:00"' in page.text
    assert "Registration" in client.get(f"/activities/{workshop.id}").text
    asked = client.get(f"/activities/{workshop.id}/registration/close")
    assert asked.status_code == 200 and "Close registration?" in asked.text
    client.post(f"/activities/{workshop.id}/registration/close")
    session.expire_all()
    assert session.get(RegistrationForm, workshop.id).closed_at is not None
    token = form.token
    client.post(f"/activities/{workshop.id}/registration", data={"capacity": ""})
    session.expire_all()
    reopened = session.get(RegistrationForm, workshop.id)
    assert reopened.closed_at is None and reopened.token == token and reopened.capacity is None
    history = session.exec(select(AuditEvent).where(AuditEvent.entity == "activity")).all()
    assert sum("registration_form" in event.changes for event in history) == 3


def test_the_closing_time_must_come_before_the_start(client, session, workshop):
    refused = client.post(f"/activities/{workshop.id}/registration", data={"closes_local": "2027-02-17T09:00"})
    assert refused.status_code == 422 and 'id="closes_local-error"' in refused.text
    assert client.post(f"/activities/{workshop.id}/registration", data={"capacity": "0"}).status_code == 422
    assert session.exec(select(RegistrationForm)).all() == []


def test_partners_and_visitors_cannot_open_the_manager_pages(anon, make_user, login, workshop, open_form, session):
    open_form()
    partner = login(make_user("partner"))
    for client in (anon, partner):
        page = client.get(f"/activities/{workshop.id}/registration", follow_redirects=False)
        assert page.status_code in (303, 403)
        assert client.post(f"/activities/{workshop.id}/registration/close").status_code == 403
    assert session.get(RegistrationForm, workshop.id).closed_at is None


def test_a_manager_of_another_partnership_gets_nothing_of_this_one(
    app, session, make_user, sonora, workshop, open_form, register
):
    token = open_form(needs_approval=True)
    register(token)
    registration = session.exec(select(Registration)).one()
    other = make_user("manager", email="m@sonora.gob.mx", partnership=sonora["partnership"])
    with signed_in(app, session, other) as client:
        assert client.get(f"/activities/{workshop.id}/registration").status_code == 404
        assert client.post(f"/activities/{workshop.id}/registration", data={"capacity": "5"}).status_code == 404
        assert client.post(f"/activities/{workshop.id}/registration/close").status_code == 404
        assert client.post(f"/registrations/{registration.id}/approve").status_code == 404
        assert client.post(f"/registrations/{registration.id}/decline").status_code == 404
        assert client.get(f"/partnerships/{workshop_slug(session, workshop)}/consent").status_code == 404
    session.expire_all()
    assert session.get(Registration, registration.id).state == "pending"


def test_a_partner_of_this_partnership_who_manages_another_is_refused(
    app, session, make_user, sonora, workshop, open_form, mou
):
    from tracker.accounts import memberships

    open_form()
    other = make_user("manager", email="m2@sonora.gob.mx", partnership=sonora["partnership"])
    memberships.set_roles(
        session, person=other, admin=False, roles={sonora["partnership"].id: "manager", mou.id: "partner"}
    )
    session.commit()
    with signed_in(app, session, other) as client:
        assert client.get(f"/activities/{workshop.id}/registration").status_code == 403
        assert client.post(f"/activities/{workshop.id}/registration/close").status_code == 403


def workshop_slug(session, workshop) -> str:
    from tracker.models import Partnership

    return session.get(Partnership, workshop.partnership_id).slug


def test_rules_decide_states_seats_and_throttle():
    assert rules.state_for(needs_approval=True, capacity=1, taken=5) == "pending"
    assert rules.state_for(needs_approval=False, capacity=2, taken=2) == "waitlisted"
    assert rules.state_for(needs_approval=False, capacity=None, taken=500) == "confirmed"
    assert rules.seats_left(3, 5) == 0 and rules.seats_left(None, 1) is None
    assert not rules.throttled(rules.MAX_PER_ADDRESS - 1) and rules.throttled(rules.MAX_PER_ADDRESS)
    assert len(rules.hash_token("x")) == 64 and rules.hash_token("x") != "x"

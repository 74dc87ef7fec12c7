"""Roles per partnership, as an administrator gives them on a person's access page."""

from sqlmodel import select

from tests.conftest import SLUG, SONORA
from tracker.accounts import memberships
from tracker.models import AuditEvent, Role


def _access(client, person, **fields):
    return client.post(f"/admin/users/{person.id}/role", data={"access": "1", **fields}, follow_redirects=False)


def test_it_gives_a_role_in_each_partnership_and_records_it(session, sonora, login, make_user, mou):
    admin = login(make_user("admin"))
    person = make_user("partner", email="ana@miambiente.gob.pa", name="Ana Pérez")
    page = admin.get(f"/admin/users/{person.id}")
    assert page.status_code == 200 and "Ana Pérez" in page.text
    answer = _access(admin, person, **{f"access-{mou.id}": "partner", f"access-{sonora['partnership'].id}": "manager"})
    assert answer.status_code == 303
    assert memberships.roles_of(session, person.id) == {mou.id: Role.partner, sonora["partnership"].id: Role.manager}
    session.refresh(person)
    assert person.role == Role.manager  # the highest of the two
    event = session.exec(select(AuditEvent).where(AuditEvent.entity == "person", AuditEvent.entity_id == person.id)
                         .order_by(AuditEvent.id.desc())).first()  # fmt: skip
    assert event.changes["access"] == [[f"{SLUG}: partner"], [f"{SLUG}: partner", f"{SONORA}: manager"]]
    listing = admin.get("/admin/users").text
    assert "Program manager · CARB and Sonora on climate" in listing


def test_what_the_role_in_each_partnership_allows(session, sonora, login, make_user, mou, make_activity):
    person = make_user("partner", email="ana@miambiente.gob.pa")
    memberships.set_roles(session, person=person, admin=False,
                          roles={mou.id: Role.partner, sonora["partnership"].id: Role.manager})  # fmt: skip
    session.commit()
    ana = login(person)
    panama_activity = make_activity()
    # Panama: she reads, and is offered no change; Sonora: she changes.
    page = ana.get(f"/activities/{panama_activity.id}")
    assert page.status_code == 200 and f'href="/activities/{panama_activity.id}/edit"' not in page.text
    assert ana.get(f"/activities/{panama_activity.id}/edit").status_code == 403
    sonora_page = ana.get(f"/activities/{sonora['activity'].id}")
    assert f'href="/activities/{sonora["activity"].id}/edit"' in sonora_page.text
    assert ana.get(f"/activities/{sonora['activity'].id}/edit").status_code == 200


def test_it_refuses_an_account_with_no_access_and_says_so_on_the_page(session, login, make_user, mou):
    admin = login(make_user("admin"))
    person = make_user("partner", email="ana@miambiente.gob.pa")
    answer = _access(admin, person, **{f"access-{mou.id}": ""})
    assert answer.status_code == 422
    assert "Give them a role in at least one partnership" in answer.text
    assert memberships.roles_of(session, person.id) == {mou.id: Role.partner}  # unchanged


def test_the_last_administrator_is_refused_on_the_access_page_with_the_navigation(session, login, make_user, mou):
    me = make_user("admin")
    admin = login(me)
    answer = _access(admin, me, **{f"access-{mou.id}": "manager"})
    assert answer.status_code == 409
    assert "The last active administrator" in answer.text
    assert f'href="/partnerships/{SLUG}/activities"' in answer.text  # not a dead end
    session.refresh(me)
    assert me.role == Role.admin


def test_a_manager_invited_for_one_partnership_manages_only_it(session, sonora, login, make_user, mou, app):
    admin = login(make_user("admin"))
    answer = admin.post("/admin/users", data={"name": "Lucía", "email": "lucia@cedes.sonora.gob.mx", "role": "manager",
                                              "partnership_id": sonora["partnership"].id, "language": "es",
                                              "timezone": "America/Hermosillo"})  # fmt: skip
    assert answer.status_code == 201
    app.state.courier.wait()
    from tracker.models import Person

    rosa = session.exec(select(Person).where(Person.email == "lucia@cedes.sonora.gob.mx")).one()
    assert memberships.roles_of(session, rosa.id) == {sonora["partnership"].id: Role.manager}
    client = login(rosa)
    assert client.get(f"/partnerships/{SLUG}/activities").status_code == 404
    assert client.get(f"/partnerships/{SONORA}/activities").status_code == 200

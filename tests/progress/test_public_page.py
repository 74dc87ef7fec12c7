from sqlmodel import select

from tests.conftest import SLUG
from tracker.models import Enrollment, Participant, Partnership, Person


def _share(login, make_user, session) -> str:
    admin = login(make_user("admin"))
    assert admin.post(f"/admin/partnerships/{SLUG}/public", follow_redirects=False).status_code == 303
    return session.exec(select(Partnership.public_token)).first()


def test_the_public_page_shows_totals_and_no_personal_data(
    anon, login, make_user, session, mou, make_activity, make_deliverable, make_person, area
):
    owner = make_person(name="Owner Person", email="owner@example.org")
    activity = make_activity(title_en="Closed-door workshop")
    make_deliverable(owner_id=owner.id, title_en="Internal memo")
    for i in range(7):
        participant = Participant(
            name=f"Trainee {i} Name", email=f"trainee{i}@example.org", match_key=f"t{i}|", sex="female"
        )
        session.add(participant)
        session.flush()
        session.add(Enrollment(activity_id=activity.id, participant_id=participant.id, status="attended"))
    session.commit()
    token = _share(login, make_user, session)
    page = anon.get(f"/public/{token}")
    assert page.status_code == 200 and area.name_en in page.text
    people = [p.name for p in session.exec(select(Person))] + [p.email for p in session.exec(select(Person))]
    trainees = [p.name for p in session.exec(select(Participant))] + [
        p.email for p in session.exec(select(Participant))
    ]
    for private in people + trainees + ["Closed-door workshop", "Internal memo"]:
        assert private not in page.text
    assert "es" in anon.get(f"/public/{token}?lang=es").headers["content-language"]


def test_the_public_page_works_even_when_the_overview_is_not_published(anon, login, make_user, session, mou):
    mou.published = False
    session.add(mou)
    session.commit()
    token = _share(login, make_user, session)
    assert anon.get("/", follow_redirects=False).status_code == 303
    assert anon.get(f"/public/{token}").status_code == 200


def test_replacing_or_revoking_the_address_ends_access_at_once(anon, login, make_user, session, mou):
    first = _share(login, make_user, session)
    second = _share(login, make_user, session)
    assert anon.get(f"/public/{first}").status_code == 404
    login(make_user("admin", email="other-admin@example.org")).post(f"/admin/partnerships/{SLUG}/public/revoke")
    assert anon.get(f"/public/{second}").status_code == 404

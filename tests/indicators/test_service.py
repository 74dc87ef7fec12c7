"""What the indicators count, against a real database."""

from datetime import date

from tracker.indicators import service as indicator_service
from tracker.indicators.rules import Figure, Period

TERM = Period(date(2025, 5, 12), date(2027, 5, 11))


def measure(mou, session, period=TERM, area_id=None):
    return indicator_service.measure(session, partnership=mou, period=period, area_id=area_id)


def test_a_person_attending_three_held_trainings_counts_once(session, mou, held, person, enroll):
    ana = person()
    for day in ("2026-03-10", "2026-04-10", "2026-05-10"):
        enroll(held(start_local=f"{day}T09:00", end_local=f"{day}T17:00", kind="technical_training"), ana)
    m = measure(mou, session)
    assert m.people.total == 1
    assert m.trainings_held == 3


def test_someone_present_one_of_three_days_does_not_count(session, mou, held, person, enroll):
    course = held(start_local="2026-04-07T09:00", end_local="2026-04-09T17:00")  # 3 days, 80% needed
    enroll(course, person(name="One Day"), days=1)
    enroll(course, person(name="Two Days"), days=2)
    enroll(course, person(name="Three Days"), days=3)
    enroll(course, person(name="Not Recorded"), days=None)
    enroll(course, person(name="Absent"), status="absent")
    enroll(course, person(name="Registered"), status="registered")
    assert measure(mou, session).people.total == 2  # three days, and attended with days not recorded


def test_the_sex_breakdown_adds_up_to_the_total(session, mou, held, trained):
    workshop = held()
    trained(workshop, 4, sex="female")
    trained(workshop, 3, sex="male")
    trained(workshop, 1, sex="another")
    trained(workshop, 2, sex="not_stated")
    m = measure(mou, session)
    assert m.people.total == 10
    assert m.people.by_sex == {"female": 4, "male": 3, "another": 1, "not_stated": 2}
    assert sum(m.people.by_sex.values()) == m.people.total


def test_institutions_reached_counts_distinct_organizations_ignoring_case(session, mou, held, person, enroll):
    workshop = held()
    for name, organization in (
        ("A", "MiAMBIENTE"),
        ("B", "miambiente"),
        ("C", " MiAMBIENTE "),
        ("D", "CARB"),
        ("E", ""),
    ):
        enroll(workshop, person(name=name, organization=organization))
    absent = person(name="F", organization="Ministerio de Economía")
    enroll(workshop, absent, status="absent")
    m = measure(mou, session)
    assert m.people.institutions == 2
    assert dict(m.people.by_organization) == {"MiAMBIENTE": 3, "CARB": 1, "": 1}


def test_the_period_includes_and_excludes_activities_by_their_start_date(session, mou, held, person, enroll):
    # Starts at 20:00 on 31 March in Panama: 1 April in UTC, still March on its own clock.
    march = held(start_local="2026-03-31T20:00", end_local="2026-03-31T22:00")
    april = held(start_local="2026-04-01T09:00", end_local="2026-04-01T12:00")
    enroll(march, person(name="March"))
    enroll(april, person(name="April"))
    assert measure(mou, session, Period(date(2026, 3, 1), date(2026, 3, 31))).people.total == 1
    assert measure(mou, session, Period(date(2026, 4, 1), date(2026, 4, 30))).people.total == 1
    assert measure(mou, session, Period(date(2026, 3, 31), date(2026, 4, 1))).people.total == 2
    assert measure(mou, session, Period(date(2026, 5, 1), date(2026, 5, 31))).people.total == 0


def test_only_held_activities_count_and_trainings_are_workshops_and_technical_trainings(
    session, mou, make_activity, held, person, enroll
):
    enroll(make_activity(), person(name="Planned"))  # not held: nothing counts
    enroll(held(kind="webinar", format="virtual", venue=None, meeting_url="https://example.org/w"), person(name="Web"))
    held(kind="workshop")
    m = measure(mou, session)
    assert m.people.total == 1  # the webinar's participant: completing any held activity trains
    assert m.trainings_held == 1
    assert m.activities_held == 2


def test_the_average_gain_is_post_minus_pre_over_attended_rows_with_both_scores(session, mou, held, person, enroll):
    workshop = held()
    enroll(workshop, person(name="A"), pre=40, post=70, satisfaction=5)  # +30
    enroll(workshop, person(name="B"), pre=50, post=60, satisfaction=4)  # +10
    enroll(workshop, person(name="C"), pre=None, post=90, satisfaction=3)  # no pre-test: no gain
    enroll(workshop, person(name="D"), status="absent", pre=0, post=100)  # absent: left out
    m = measure(mou, session)
    assert m.average_gain == 20
    assert m.gain_respondents == 2
    assert m.average_satisfaction == 4
    assert m.satisfaction_respondents == 3


def test_an_area_counts_only_its_own_activities(session, mou, area, held, person, enroll):
    other_area = next(a for a in mou.areas if a.number == 5)
    enroll(held(), person(name="MRV"))
    enroll(held(areas=[other_area]), person(name="Nature"))
    assert measure(mou, session, area_id=area.id).people.total == 1
    assert measure(mou, session, area_id=other_area.id).people.total == 1
    assert measure(mou, session).people.total == 2


def test_a_cell_of_three_is_suppressed_in_the_public_headline_while_a_manager_sees_it(session, mou, held, trained):
    workshop = held()
    trained(workshop, 3, pre=40, post=60)
    public = indicator_service.headline(session, mou, public=True)
    assert public.people_trained == Figure(None, True)
    assert public.women_share.suppressed and public.institutions.suppressed and public.average_gain.suppressed
    assert public.any_suppressed
    private = indicator_service.headline(session, mou, public=False)
    assert private.people_trained == Figure(3)
    assert private.women_share == Figure(1.0)
    assert private.institutions == Figure(1)
    assert private.average_gain == Figure(20)


def test_the_public_headline_shows_figures_about_enough_people(session, mou, area, held, trained):
    workshop = held()
    trained(workshop, 5, sex="female", pre=10, post=30)
    trained(workshop, 5, sex="male", organization="CARB")
    public = indicator_service.headline(session, mou, area, public=True)
    assert public.people_trained == Figure(10)
    assert public.women_share == Figure(0.5)
    assert public.institutions == Figure(2)
    assert public.average_gain == Figure(20)
    assert not public.any_suppressed


def test_the_headline_is_public_unless_told_otherwise(session, mou, held, trained):
    trained(held(), 2)
    assert indicator_service.headline(session, mou).people_trained.suppressed


def test_the_headline_counts_what_the_indicators_page_counts(session, mou, area, held, person, enroll):
    """The headline is counted per organization in SQL, the indicators page per group in Python:
    on a roster with spellings, partial attendance, absences and another area they agree."""
    other_area = next(a for a in mou.areas if a.number == 5)
    course = held(start_local="2026-04-07T09:00", end_local="2026-04-09T17:00")
    workshop = held(areas=[other_area])
    people = [
        ("Ana", "Ministerio de Economía", "female", course, {"days": 3, "pre": 30, "post": 70}),
        ("Bea", "MINISTERIO DE ECONOMIA.", "female", course, {"days": 1}),  # too few days: not trained
        ("Carla", " ministerio  de economía ", "female", workshop, {"pre": 50, "post": 55}),
        ("Dan", "CARB", "male", workshop, {"status": "absent", "pre": 10, "post": 90}),
        ("Eli", "", "another", course, {}),
        ("Fer", "MiAMBIENTE", "not_stated", workshop, {"pre": 20, "post": 40}),
    ]
    for name, organization, sex, activity, roster in people:
        enroll(activity, person(name=name, organization=organization, sex=sex), **roster)
    for scope in (None, area, other_area):
        m = measure(mou, session, area_id=scope.id if scope else None)
        h = indicator_service.headline(session, mou, scope, public=False)
        assert h.people_trained.value == m.people.total
        assert h.women_share.value == (m.people.by_sex["female"] / m.people.total if m.people.total else None)
        assert h.institutions.value == m.people.institutions
        assert h.average_gain.value == m.average_gain
    whole = indicator_service.headline(session, mou, public=False)
    assert (whole.people_trained.value, whole.institutions.value) == (4, 2)  # Ana, Carla, Eli, Fer

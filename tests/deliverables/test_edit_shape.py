"""One edit shape: every field of the input schema is read back from the stored record, so an edit form
shows it and a PATCH that leaves it out keeps it."""

from tests.conftest import activity_input
from tracker.activities import service as activity_service
from tracker.activities.schemas import ActivityIn
from tracker.deliverables import service as deliverable_service
from tracker.deliverables.schemas import DeliverableIn


def _every_field_given(data, derived) -> None:
    # A field added to the schema must get a value here too: left at its default, a lost value would not show.
    missing = set(type(data).model_fields) - data.model_fields_set - set(derived)
    assert not missing, f"give {sorted(missing)} a value other than the default in this test"


def _assert_read_back(session, record, to_input, data) -> None:
    """The stored record, read afresh, gives back every field of the input it was made from."""
    session.commit()
    session.expire_all()
    read_back = to_input(record)
    assert set(read_back) == set(type(data).model_fields)
    assert type(data).model_validate(read_back) == data


def test_every_deliverable_field_is_read_back_from_the_record(session, mou, area, orgs, make_activity, make_person):
    data = DeliverableIn(
        area_id=area.id,
        activity_id=make_activity().id,
        title_en="MRV roadmap",
        title_es="Hoja de ruta MRV",
        description_en="The **steps** to a national MRV system.",
        description_es="Los **pasos** hacia un sistema nacional de MRV.",
        owner_id=make_person().id,
        organization_id=orgs["MiAMBIENTE"].id,
        due_on="2026-06-30",
        evidence_url="https://example.org/roadmap.pdf",
    )
    _every_field_given(data, deliverable_service.DERIVED)
    deliverable = deliverable_service.create_deliverable(session, partnership=mou, data=data)
    _assert_read_back(session, deliverable, deliverable_service.to_input, data)


def test_a_patch_of_one_deliverable_field_keeps_every_other(client, make_deliverable, make_person, orgs):
    deliverable = make_deliverable(
        title_es="Hoja de ruta", description_es="Pasos", owner_id=make_person().id, organization_id=orgs["CARB"].id
    )
    before = deliverable_service.to_input(deliverable)
    answer = client.patch(f"/api/v1/deliverables/{deliverable.id}", json={"title_en": "Roadmap", "version": 1})
    assert answer.status_code == 200
    body = answer.json()
    assert {name: body[name] for name in ("title_es", "description_es", "owner_id", "organization_id")} == {
        name: before[name] for name in ("title_es", "description_es", "owner_id", "organization_id")
    }


def test_every_activity_field_is_read_back_from_the_record(session, mou, area, orgs, make_person):
    data = ActivityIn.model_validate(
        activity_input(
            [area.id],
            title_es="Taller MRV",
            summary_en="Two days on inventories.",
            summary_es="Dos días de inventarios.",
            organizer_ids=[orgs["CARB"].id],
            responsible_ids=[make_person().id],
            meeting_url="https://example.org/meet",
            objectives_en="Build the inventory.",
            objectives_es="Construir el inventario.",
            materials=["https://example.org/slides.pdf"],
            completion_threshold=75,
            mastery_threshold=60,
            kind="technical_training",
            format="hybrid",
            languages=["es"],
        )
    )
    # Outcomes are recorded once the activity is held: the one field a new activity cannot carry.
    _every_field_given(data, {**activity_service.DERIVED, "outcomes_en": None, "outcomes_es": None})
    activity = activity_service.create_activity(session, partnership=mou, data=data)
    _assert_read_back(session, activity, activity_service.to_input, data)

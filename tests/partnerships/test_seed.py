from pathlib import Path

import pytest
from sqlmodel import select

from tracker.config import DEFAULT_SEED
from tracker.models import Activity, CooperationArea, Organization, Partnership
from tracker.partnerships.seed import SeedError, load_seed, read_seed


def test_it_loads_the_mou_with_its_parties_and_seven_areas(session, mou):
    assert mou.signed_on.isoformat() == "2025-05-12"
    assert mou.signed_on_confirmed is False
    assert (mou.ends_on - mou.starts_on).days in (729, 730)
    assert {o.acronym: o.timezone for o in mou.parties} == {
        "CARB": "America/Los_Angeles",
        "MiAMBIENTE": "America/Panama",
    }
    assert [a.number for a in mou.areas] == [1, 2, 3, 4, 5, 6, 7]
    assert all(a.name_en and a.name_es and a.description_en and a.description_es for a in mou.areas)


def test_the_seed_file_marks_the_signing_date_as_awaiting_confirmation():
    assert "AWAITING CONFIRMATION" in DEFAULT_SEED.read_text(encoding="utf-8")


def _snapshot(session):
    rows = []
    for model in (Organization, Partnership, CooperationArea):
        for record in session.exec(select(model).order_by(model.id)):
            rows.append(record.model_dump())
    return rows


def test_loading_twice_changes_nothing(session, mou):
    before = _snapshot(session)
    load_seed(session, read_seed(DEFAULT_SEED))
    session.commit()
    session.expire_all()
    assert _snapshot(session) == before


def test_a_renamed_area_is_updated_and_keeps_its_activities(session, mou, make_activity, tmp_path: Path):
    activity = make_activity()
    area_id = activity.areas[0].id
    edited = DEFAULT_SEED.read_text(encoding="utf-8").replace(
        "name_en: Measuring, reporting and verifying emissions (MRV)", "name_en: MRV systems"
    )
    path = tmp_path / "mou.yaml"
    path.write_text(edited, encoding="utf-8")

    load_seed(session, read_seed(path))
    session.commit()
    session.expire_all()

    area = session.get(CooperationArea, area_id)
    assert area.name_en == "MRV systems"
    reloaded = session.get(Activity, activity.id)
    assert [a.id for a in reloaded.areas] == [area_id]
    assert session.exec(select(CooperationArea)).all().__len__() == 7


@pytest.mark.parametrize(
    "change, complaint",
    [
        ("timezone: America/Panama", "timezone: America/Atlantis"),
        ("signed_on: 2025-05-12", "signed_on: 2025-13-12"),
    ],
)
def test_a_broken_seed_file_is_refused_with_the_reason(tmp_path, change, complaint):
    path = tmp_path / "bad.yaml"
    path.write_text(DEFAULT_SEED.read_text(encoding="utf-8").replace(change, complaint), encoding="utf-8")
    with pytest.raises(SeedError):
        read_seed(path)

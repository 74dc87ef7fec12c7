"""A new partnership made in the browser: its MOU, parties, term and areas, optionally copied from another
partnership's; all of it in one transaction, or nothing."""

import re

import pytest
from sqlmodel import select

from tests.admin.forms import area_rows
from tests.conftest import SLUG, count_rows
from tracker.models import AuditEvent, CooperationArea, Partnership

NEW = "carb-gyeonggi-2026"


@pytest.fixture
def admin(login, make_user):
    return login(make_user("admin", email="admin@arb.ca.gov", name="Ada Admin"))


def _mou_fields(orgs, **changes) -> dict:
    data = {
        "slug": NEW,
        "title_en": "CARB and Gyeonggi Province on climate action",
        "title_es": "CARB y la provincia de Gyeonggi sobre acción climática",
        "signed_on": "2026-02-03",
        "starts_on": "2026-02-03",
        "ends_on": "2028-02-02",
        "party_ids": [str(orgs["CARB"].id)],
    }
    return data | changes


def _counts(engine) -> tuple[int, int]:
    return count_rows(engine, Partnership), count_rows(engine, CooperationArea)


def test_the_form_offers_another_partnerships_areas_to_copy(admin, mou):
    blank = admin.get("/admin/partnerships/new")
    assert blank.status_code == 200 and 'name="copy_from"' in blank.text
    assert 'name="areas-0-number"' in blank.text and 'name="areas-3-number"' not in blank.text
    copied = admin.get(f"/admin/partnerships/new?copy_from={mou.id}").text
    for area in mou.areas:
        assert f'value="{area.slug}"' in copied
    assert 'value="Medición, notificación y verificación de emisiones (MRV)"' in copied
    assert 'name="areas-8-number"' in copied and 'name="areas-9-number"' not in copied  # 7 copied, 2 blank


def test_it_creates_a_second_partnership_with_a_copy_of_the_first_ones_areas(admin, session, mou, orgs):
    data = _mou_fields(orgs) | area_rows(mou.areas) | {"areas-7-number": "", "area_rows": "9"}
    response = admin.post("/admin/partnerships", data=data, follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"] == f"/admin/partnerships/{NEW}/edit?saved=created"
    created = session.exec(select(Partnership).where(Partnership.slug == NEW)).one()
    assert [o.acronym for o in created.parties] == ["CARB"]
    copied = [(a.number, a.slug, a.name_en, a.name_es, a.description_es) for a in created.areas]
    original = [(a.number, a.slug, a.name_en, a.name_es, a.description_es) for a in mou.areas]
    assert copied == original and len(copied) == 7
    assert {a.partnership_id for a in session.exec(select(CooperationArea))} == {mou.id, created.id}
    assert "The partnership is created." in admin.get(response.headers["location"]).text
    actors = {e.actor_name for e in session.exec(select(AuditEvent).where(AuditEvent.entity == "area"))}
    assert "Ada Admin" in actors


def test_areas_typed_in_the_rows_are_created_in_either_language(admin, session, orgs, mou):
    rows = area_rows([{"number": "1", "slug": "bosques", "name_es": "Bosques y carbono", "description_es": ""}])
    response = admin.post("/admin/partnerships", data=_mou_fields(orgs) | rows, follow_redirects=False)
    assert response.status_code == 303
    created = session.exec(select(Partnership).where(Partnership.slug == NEW)).one()
    found = [(a.number, a.slug, a.name_es, a.name_en) for a in created.areas]
    assert found == [(1, "bosques", "Bosques y carbono", None)]


def test_a_bad_area_row_stores_nothing_at_all(admin, engine, orgs, mou):
    before = _counts(engine)
    rows = area_rows(
        [
            {"number": "1", "slug": "forests", "name_en": "Forests"},
            {"number": "1", "slug": "Not A Slug", "name_en": "<script>alert(1)</script>"},
        ]
    )
    response = admin.post("/admin/partnerships", data=_mou_fields(orgs) | rows)
    assert response.status_code == 422
    assert 'id="areas-1-number-error">This value is already in use.<' in response.text
    assert 'id="areas-1-slug-error">Use lower-case letters, digits and hyphens only.<' in response.text
    assert "<script>alert(1)</script>" not in response.text and "&lt;script&gt;alert(1)" in response.text
    assert 'value="forests"' in response.text and f'value="{NEW}"' in response.text  # the input is kept
    assert _counts(engine) == before


def test_every_refused_field_is_said_at_once_and_nothing_is_stored(admin, engine, orgs, mou):
    before = _counts(engine)
    data = _mou_fields(orgs, slug=SLUG, ends_on="2026-01-01", title_en="", title_es="") | area_rows(
        [{"number": "0", "slug": "forests", "name_en": ""}]
    )
    response = admin.post("/admin/partnerships", data=data)
    assert response.status_code == 422
    errors = dict(re.findall(r'id="([\w-]+)-error">([^<]+)<', response.text))
    assert errors["slug"] == "This value is already in use."
    assert errors["ends_on"] == "The end must be after the start."
    assert errors["title_es"] == errors["title_en"] == "Write it in Spanish, in English, or in both."
    assert errors["areas-0-number"] == "Must be at least 1."
    assert errors["areas-0-name_es"] == "Write it in Spanish, in English, or in both."
    assert _counts(engine) == before


def test_a_refusal_only_the_database_can_see_rolls_everything_back(admin, engine, session, orgs, mou, monkeypatch):
    """Should saving an area fail after the partnership was written (a rule checked on save), the
    partnership goes too."""
    from tracker.partnerships import service
    from tracker.validation import FieldErrors

    def refuse(*_args, **_kwargs):
        raise FieldErrors({"slug": ("taken", {})})

    before = _counts(engine)
    monkeypatch.setattr(service, "save_area", refuse)
    rows = area_rows([{"number": "1", "slug": "forests", "name_en": "Forests"}])
    response = admin.post("/admin/partnerships", data=_mou_fields(orgs) | rows)
    assert response.status_code == 422 and 'id="areas-0-slug-error"' in response.text
    assert _counts(engine) == before


def test_a_program_manager_may_not_create_a_partnership(client, engine, orgs, mou):
    before = _counts(engine)
    assert client.post("/admin/partnerships", data=_mou_fields(orgs)).status_code == 403
    assert _counts(engine) == before

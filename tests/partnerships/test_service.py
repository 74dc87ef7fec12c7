"""One lookup of a cooperation area, by slug or by id, within a partnership and for a viewer."""

import pytest

from tracker.auth import Viewer
from tracker.errors import NotFound
from tracker.models import Role
from tracker.partnerships.service import check_areas, get_area_or_404


def partner_of(partnership) -> Viewer:
    return Viewer(
        1, "Partner", "p@example.org", Role.partner, "en", "UTC", "session", roles={partnership.id: Role.partner}
    )


def test_it_finds_an_area_by_its_slug_in_its_partnership_or_by_its_id(session, mou, area):
    assert get_area_or_404(session, slug=area.slug, partnership=mou).id == area.id
    assert get_area_or_404(session, area_id=area.id).id == area.id
    assert get_area_or_404(session, area_id=area.id, partnership=mou, viewer=partner_of(mou)).id == area.id


def test_an_area_of_another_partnership_or_hidden_from_the_viewer_does_not_exist(session, mou, area, sonora):
    other = sonora["partnership"]
    for lookup in (
        {"slug": area.slug, "partnership": other},
        {"area_id": area.id, "partnership": other},
        {"area_id": area.id, "viewer": partner_of(other)},
        {"area_id": 2_000_000_000},
    ):
        with pytest.raises(NotFound):
            get_area_or_404(session, **lookup)


def test_the_area_rule_tells_an_unknown_area_from_another_partnerships(session, mou, area, sonora):
    cases = (
        ([area.id], {}),
        ([area.id, 2_000_000_000], {"area_ids": ("unknown_area", {})}),
        ([sonora["area"].id], {"area_ids": ("foreign_area", {})}),
    )
    for ids, expected in cases:
        errors: dict = {}
        check_areas(session, mou, ids, "area_ids", errors)
        assert errors == expected

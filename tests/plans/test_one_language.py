"""The plan's pages in one language: a Spanish reader meets no English, no stored code and no ISO date
(and the reverse), as tests/test_every_output_in_one_language.py checks the rest of the tracker.

The import page is left out on purpose: it names a sheet's columns in both languages, and dates as typed."""

import pytest
import time_machine

from tests.conftest import SLUG
from tests.progress.test_pages import visible_text
from tests.test_every_output_in_one_language import TEXTS, leftovers
from tracker.i18n import LANGUAGES


@pytest.fixture
def approved_plan(make_activity, make_deliverable, admin_client, client):
    with time_machine.travel("2026-01-05T15:00Z", tick=False):
        workshop = make_activity(**TEXTS["activity"])
        roadmap = make_deliverable(**TEXTS["deliverable"])
        dropped = make_deliverable(**TEXTS["deliverable"], due_on="2026-08-31")
        admin_client.post(f"/partnerships/{SLUG}/baselines", data={"note": "MRV 2026"})
        client.post(f"/plan/deliverables/{roadmap.id}/move", data={"on": "2026-07-31", "reason": "MRV 2.0"})
        client.post(f"/plan/deliverables/{dropped.id}/drop", data={"reason": "MRV 2.0"})
    return {"workshop": workshop, "roadmap": roadmap}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_plan_and_its_comparison_read_in_one_language(approved_plan, admin_client, language):
    admin_client.cookies.set("lang", language)
    paths = [
        f"/partnerships/{SLUG}/plan",
        f"/partnerships/{SLUG}/plan/mrv",
        f"/partnerships/{SLUG}/plan?by=semester",
        f"/partnerships/{SLUG}/baselines",
        f"/partnerships/{SLUG}/baselines/1",
        f"/partnerships/{SLUG}/baselines/new",
        f"/plan/deliverables/{approved_plan['roadmap'].id}/drop",
    ]
    with time_machine.travel("2026-02-01T15:00Z", tick=False):
        pages = {path: admin_client.get(path) for path in paths}
    for path, response in pages.items():
        assert response.status_code == 200, path
        assert leftovers(visible_text(response.text, language), language) == [], path

"""What the plan's tests share: a plan of a few items in area 2 (MRV), an administrator's browser."""

import pytest


@pytest.fixture
def admin(make_user):
    return make_user("admin")


@pytest.fixture
def admin_client(login, admin):
    return login(admin)


@pytest.fixture
def plan(make_activity, make_deliverable):
    """A workshop on 10 March 2026 (Q1), a training on 15 July 2026 (Q3), a roadmap due 30 June 2026 (Q2)."""
    return {
        "workshop": make_activity(title_en="MRV workshop", title_es="Taller de MRV"),
        "training": make_activity(
            title_en="Inventory training", kind="technical_training", start_local="2026-07-15T09:00",
            end_local="2026-07-16T17:00",
        ),
        "roadmap": make_deliverable(title_en="MRV roadmap", title_es="Hoja de ruta MRV"),
    }  # fmt: skip

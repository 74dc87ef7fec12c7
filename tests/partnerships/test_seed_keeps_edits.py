"""Reloading the MOU file never undoes silently what a person changed in the browser: their value stays and
the load says so, unless asked to overwrite it (and then it says that)."""

from datetime import date

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

from tests.admin.forms import area_form, mou_form, organization_form
from tests.conftest import SLUG
from tracker.audit.trail import act_as
from tracker.cli import app as cli
from tracker.config import DEFAULT_SEED
from tracker.db import install_session_hooks, make_engine
from tracker.models import CooperationArea, Organization, Partnership, Person
from tracker.partnerships.seed import load_seed, read_seed

EDIT = f"/admin/partnerships/{SLUG}/edit"


@pytest.fixture
def admin(login, make_user):
    return login(make_user("admin", email="admin@arb.ca.gov", name="Ada Admin"))


def _reload(session, *, overwrite=False, path=DEFAULT_SEED):
    session.expire_all()  # as a fresh `tracker seed` reads them: what the browser saved
    notes = load_seed(session, read_seed(path), overwrite=overwrite)
    session.commit()
    session.expire_all()
    return [str(note) for note in notes]


def _mou(session) -> Partnership:
    return session.exec(select(Partnership).where(Partnership.slug == SLUG)).one()


def test_a_confirmation_made_in_the_browser_survives_a_reload_and_the_load_says_so(admin, session, mou):
    assert admin.post(EDIT, data=mou_form(mou, signed_on_confirmed="on"), follow_redirects=False).status_code == 303

    notes = _reload(session)

    assert _mou(session).signed_on_confirmed is True
    assert notes == [
        f"partnership {SLUG}: signed_on_confirmed kept as changed in the browser, true "
        "(the file says false; --overwrite replaces it)"
    ]


def test_overwrite_puts_the_files_value_back_says_so_and_the_field_is_the_files_again(admin, session, mou):
    admin.post(EDIT, data=mou_form(mou, signed_on_confirmed="on", title_en="Browser title"))

    notes = _reload(session, overwrite=True)

    mou = _mou(session)
    assert mou.signed_on_confirmed is False and mou.title_en.startswith("Memorandum of Understanding")
    replaced = "signed_on_confirmed replaced by the file's false (was true, changed in the browser)"
    assert f"partnership {SLUG}: {replaced}" in notes
    assert any(note.startswith(f"partnership {SLUG}: title_en replaced by the file's") for note in notes)
    assert _reload(session) == []  # the file's value now, and nothing left to say


def test_areas_and_organizations_edited_in_the_browser_are_kept(admin, session, mou, area, orgs):
    admin.post(f"/admin/partnerships/{SLUG}/areas/{area.id}/edit", data=area_form(area, name_es="MRV (editado)"))
    carb = orgs["CARB"]
    admin.post(f"/admin/organizations/{carb.id}/edit", data=organization_form(carb, timezone="America/Tijuana"))

    notes = _reload(session)

    assert session.get(CooperationArea, area.id).name_es == "MRV (editado)"
    assert session.get(Organization, carb.id).timezone == "America/Tijuana"
    assert (
        f"area 2 of {SLUG}: name_es kept as changed in the browser, 'MRV (editado)' "
        "(the file says 'Medición, notificación y verificación de emisiones (MRV)'; --overwrite replaces it)"
    ) in notes
    assert (
        "organization CARB: timezone kept as changed in the browser, 'America/Tijuana' "
        "(the file says 'America/Los_Angeles'; --overwrite replaces it)"
    ) in notes
    # Fields nobody touched still follow the file.
    assert session.get(CooperationArea, area.id).name_en == "Measuring, reporting and verifying emissions (MRV)"


def test_parties_chosen_in_the_browser_are_kept_by_acronym(admin, session, mou, orgs):
    admin.post(EDIT, data=mou_form(mou, party_ids=[str(orgs["CARB"].id)]))
    notes = _reload(session)
    assert [o.acronym for o in _mou(session).parties] == ["CARB"]
    assert (
        f"partnership {SLUG}: party_ids kept as changed in the browser, [CARB] "
        "(the file says [CARB, MiAMBIENTE]; --overwrite replaces it)"
    ) in notes


def test_a_partnership_and_an_area_renamed_in_the_browser_are_not_added_again(admin, session, mou, area):
    admin.post(EDIT, data=mou_form(mou, slug="panama-mou"))
    admin.post(f"/admin/partnerships/panama-mou/areas/{area.id}/edit", data=area_form(area, number="9", slug="mrv-2"))

    notes = _reload(session)

    assert [p.slug for p in session.exec(select(Partnership))] == ["panama-mou"]
    areas = session.exec(select(CooperationArea).order_by(CooperationArea.number)).all()
    assert [a.number for a in areas] == [1, 3, 4, 5, 6, 7, 9]
    assert (
        f"partnership {SLUG}: slug kept as changed in the browser, 'panama-mou' "
        f"(the file says '{SLUG}'; --overwrite replaces it)"
    ) in notes
    assert any(note.startswith(f"area 2 of {SLUG}: number kept as changed in the browser, 9") for note in notes)


def test_changes_made_by_no_person_follow_the_file_silently(session, mou, area):
    area.name_en = "Changed by a script"  # a session acting as nobody: the system
    session.add(area)
    session.commit()
    assert _reload(session) == []
    assert session.get(CooperationArea, area.id).name_en == "Measuring, reporting and verifying emissions (MRV)"


def test_a_file_that_agrees_with_the_browser_says_nothing(admin, session, mou, tmp_path):
    admin.post(EDIT, data=mou_form(mou, signed_on_confirmed="on"))
    path = tmp_path / "mou.yaml"
    path.write_text(
        DEFAULT_SEED.read_text(encoding="utf-8").replace("signed_on_confirmed: false", "signed_on_confirmed: true"),
        encoding="utf-8",
    )
    assert _reload(session, path=path) == []


def test_an_amended_end_is_kept_even_with_overwrite(admin, session, mou):
    from tracker.steering import amendments as amendment_service
    from tracker.steering.forms import AmendmentIn

    act_as(session, None, "system")
    data = AmendmentIn.model_validate({"signed_on": "2026-01-15", "ends_on": "2027-11-30", "summary_en": "More"})
    amendment_service.record(session, partnership=mou, data=data)
    session.commit()
    notes = _reload(session, overwrite=True)
    assert _mou(session).ends_on == date(2027, 11, 30)
    assert f"partnership {SLUG}: ends_on kept as set by an amendment, 2027-11-30 (the file says 2027-05-11)" in notes


runner = CliRunner()


def test_the_seed_command_prints_what_it_kept_and_what_it_overwrote(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("TRACKER_DATABASE_URL", url)
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(cli, ["seed"]).exit_code == 0
    install_session_hooks()
    engine = make_engine(url)
    with Session(engine) as session:
        ada = Person(name="Ada Admin", email="ada@arb.ca.gov", timezone="America/Los_Angeles")
        session.add(ada)
        session.flush()
        act_as(session, ada.id, ada.name)  # as the request of a signed-in administrator would
        mou = _mou(session)
        mou.signed_on_confirmed = True
        session.commit()

    kept = runner.invoke(cli, ["seed"])
    assert kept.exit_code == 0
    assert f"partnership {SLUG}: signed_on_confirmed kept as changed in the browser, true" in kept.output
    overwritten = runner.invoke(cli, ["seed", "--overwrite"])
    assert overwritten.exit_code == 0
    assert f"partnership {SLUG}: signed_on_confirmed replaced by the file's false" in overwritten.output
    with Session(engine) as session:
        assert _mou(session).signed_on_confirmed is False
    engine.dispose()

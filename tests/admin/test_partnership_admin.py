"""Administrators keep the MOU's metadata in the browser: parties, signing date and its confirmation,
term, signed texts, titles and summaries, the areas; every change in the audit trail."""

import re
from datetime import date

import pytest
from sqlmodel import select

from tests.admin.forms import area_form, mou_form, organization_form
from tests.conftest import SLUG, SONORA, count_rows
from tracker.models import Amendment, AuditEvent, CooperationArea, Organization, Partnership
from tracker.steering.forms import AmendmentIn

EDIT = f"/admin/partnerships/{SLUG}/edit"


@pytest.fixture
def admin(login, make_user):
    return login(make_user("admin", email="admin@arb.ca.gov", name="Ada Admin"))


def _reloaded(session, record):
    session.expire_all()
    return session.get(type(record), record.id)


def test_the_administration_page_leads_to_the_partnerships_and_organizations(admin, mou):
    page = admin.get("/admin").text
    assert 'href="/admin/partnerships"' in page and 'href="/admin/organizations"' in page
    listing = admin.get("/admin/partnerships").text
    assert f'href="{EDIT}"' in listing and f'href="/admin/partnerships/{SLUG}/amendments"' in listing
    assert 'href="/admin/partnerships/new"' in listing


def test_confirming_the_signing_date_clears_the_badge_on_the_public_pages(admin, anon, session, mou):
    mou.public_token = "shared-address-0123456789abcdef"
    session.add(mou)
    session.commit()
    assert "awaiting confirmation" in anon.get("/").text
    assert "awaiting confirmation" in anon.get(f"/public/{mou.public_token}").text
    form = admin.get(EDIT)
    assert form.status_code == 200 and 'name="signed_on_confirmed"' in form.text

    saved = admin.post(EDIT, data=mou_form(mou, signed_on_confirmed="on"), follow_redirects=False)

    assert saved.status_code == 303 and saved.headers["location"] == f"{EDIT}?saved=saved"
    assert _reloaded(session, mou).signed_on_confirmed is True
    assert "awaiting confirmation" not in anon.get("/").text
    assert "awaiting confirmation" not in anon.get(f"/public/{mou.public_token}").text
    assert "pendiente de confirmación" not in anon.get("/?lang=es").text


def test_the_parties_texts_titles_and_term_are_edited_together(admin, session, mou, orgs):
    data = mou_form(
        mou,
        title_es="Memorando CARB–MiAMBIENTE sobre mercados de carbono",
        summary_en="Sharing knowledge on carbon pricing.",
        text_url_en="https://ww2.arb.ca.gov/mou-panama-en.pdf",
        text_url_es="https://www.miambiente.gob.pa/mde-carb-es.pdf",
        starts_on="2025-05-13",
        ends_on="2027-05-31",
        party_ids=[str(orgs["CARB"].id)],
    )
    assert admin.post(EDIT, data=data, follow_redirects=False).status_code == 303
    mou = _reloaded(session, mou)
    assert mou.title_es == "Memorando CARB–MiAMBIENTE sobre mercados de carbono"
    assert (mou.starts_on, mou.ends_on) == (date(2025, 5, 13), date(2027, 5, 31))
    assert [o.acronym for o in mou.parties] == ["CARB"]
    overview = admin.get(f"/partnerships/{SLUG}?lang=es").text
    assert "Memorando CARB–MiAMBIENTE sobre mercados de carbono" in overview
    assert 'href="https://www.miambiente.gob.pa/mde-carb-es.pdf"' in overview


def test_the_form_links_the_amendments_and_the_documents_page(admin, mou):
    page = admin.get(EDIT).text
    assert f'href="/admin/partnerships/{SLUG}/amendments"' in page
    assert f'href="/partnerships/{SLUG}/documents"' in page
    assert 'id="ends_on"' in page  # not amended yet: the end as signed can still be corrected


def test_once_amended_the_end_of_term_is_the_amendments_and_the_form_cannot_move_it(admin, session, mou):
    from tracker.steering import amendments as amendment_service

    data = AmendmentIn.model_validate({"signed_on": "2026-01-15", "ends_on": "2027-11-30", "summary_en": "Six more"})
    amendment_service.record(session, partnership=mou, data=data)
    session.commit()
    mou = _reloaded(session, mou)
    page = admin.get(EDIT).text
    assert 'id="ends_on"' not in page and "Set by the latest amendment." in page

    response = admin.post(EDIT, data=mou_form(mou, ends_on="2030-01-01", title_en="Amended MOU"))

    assert response.status_code == 200  # followed to the form, saved
    mou = _reloaded(session, mou)
    assert mou.title_en == "Amended MOU" and mou.ends_on == date(2027, 11, 30)
    assert count_rows(session.get_bind(), Amendment) == 1
    late = admin.post(EDIT, data=mou_form(mou, starts_on="2028-01-01"))  # after the amended end
    assert late.status_code == 422 and 'id="ends_on-error">The end must be after the start.<' in late.text


def test_an_area_renamed_in_spanish_reads_so_on_the_spanish_progress_pages(admin, client, session, mou, area):
    url = f"/admin/partnerships/{SLUG}/areas/{area.id}/edit"
    assert admin.get(url).status_code == 200
    new_name = "Medición, reporte y verificación (MRV) de emisiones"

    saved = admin.post(url, data=area_form(area, name_es=new_name), follow_redirects=False)

    assert saved.status_code == 303 and saved.headers["location"].startswith(EDIT)
    assert _reloaded(session, area).name_es == new_name
    assert new_name in client.get(f"/partnerships/{SLUG}/areas/mrv?lang=es").text
    assert new_name in client.get("/?lang=es").text
    assert new_name not in client.get("/?lang=en").text  # the English name is still the English one


def test_an_area_is_added_with_the_next_number(admin, session, mou):
    form = admin.get(f"/admin/partnerships/{SLUG}/areas/new").text
    assert 'value="8"' in form
    data = {"number": "8", "slug": "carbon-removal", "name_es": "Remoción de carbono", "description_es": "Nueva área."}
    saved = admin.post(f"/admin/partnerships/{SLUG}/areas", data=data, follow_redirects=False)
    assert saved.status_code == 303
    added = session.exec(select(CooperationArea).where(CooperationArea.slug == "carbon-removal")).one()
    assert (added.partnership_id, added.number, added.name_en) == (mou.id, 8, None)
    assert "Remoción de carbono" in admin.get(f"/partnerships/{SLUG}?lang=en").text  # marked as Spanish there


def test_an_end_before_the_start_is_refused_on_its_field_and_nothing_is_stored(admin, session, mou):
    before = mou.version
    response = admin.post(EDIT, data=mou_form(mou, ends_on="2025-01-01", title_en="Kept as typed"))
    assert response.status_code == 422
    assert re.search(r'id="ends_on-error">The end must be after the start\.<', response.text)
    assert 'value="Kept as typed"' in response.text and 'value="2025-01-01"' in response.text
    assert _reloaded(session, mou).version == before


def test_a_slug_already_in_use_is_refused(admin, session, mou, sonora):
    response = admin.post(EDIT, data=mou_form(mou, slug=SONORA))
    assert response.status_code == 422
    assert 'id="slug-error">This value is already in use.<' in response.text
    assert _reloaded(session, mou).slug == SLUG


def test_two_areas_cannot_share_a_number(admin, session, mou, area):
    url = f"/admin/partnerships/{SLUG}/areas/{area.id}/edit"
    response = admin.post(url, data=area_form(area, number="1", slug="carbon-market"))
    assert response.status_code == 422
    assert 'id="number-error">This value is already in use.<' in response.text
    assert 'id="slug-error">This value is already in use.<' in response.text
    assert _reloaded(session, area).number == 2


def test_hostile_names_are_kept_as_text_and_never_run(admin, anon, session, mou, area):
    hostile = '<script>alert("MiAMBIENTE")</script>'
    refused = admin.post(EDIT, data=mou_form(mou, title_en=hostile, ends_on="2020-01-01"))
    assert refused.status_code == 422 and hostile not in refused.text
    assert "&lt;script&gt;alert(" in refused.text

    url = f"/admin/partnerships/{SLUG}/areas/{area.id}/edit"
    assert admin.post(url, data=area_form(area, name_en=hostile), follow_redirects=False).status_code == 303
    for page in (anon.get("/"), admin.get(f"/admin/partnerships/{SLUG}/edit"), admin.get("/admin/audit")):
        assert hostile not in page.text and "&lt;script&gt;" in page.text


def test_a_program_manager_may_not_change_the_mou(client, session, mou, area):
    assert client.get(EDIT).status_code == 403
    assert client.get("/admin/partnerships/new").status_code == 403
    assert client.post(EDIT, data=mou_form(mou, signed_on_confirmed="on")).status_code == 403
    url = f"/admin/partnerships/{SLUG}/areas/{area.id}/edit"
    assert client.post(url, data=area_form(area, name_en="Renamed")).status_code == 403
    assert _reloaded(session, mou).signed_on_confirmed is False
    assert _reloaded(session, area).name_en != "Renamed"


def test_saving_over_someone_elses_save_shows_their_changes_and_keeps_the_input(admin, session, mou):
    stale = mou_form(mou, title_en="My title")
    assert admin.post(EDIT, data=mou_form(mou, summary_en="Someone saved first."), follow_redirects=False)
    response = admin.post(EDIT, data=stale)
    assert response.status_code == 409
    assert "Someone else saved this record while you were editing it." in response.text
    assert "Someone saved first." in response.text  # what they changed
    assert 'value="My title"' in response.text
    assert _reloaded(session, mou).title_en != "My title"
    again = re.search(r'name="version" value="(\d+)"', response.text).group(1)
    assert admin.post(EDIT, data=stale | {"version": again}, follow_redirects=False).status_code == 303


def test_htmx_gets_the_form_alone_and_a_redirect_header(admin, mou):
    headers = {"HX-Request": "true"}
    fragment = admin.get(EDIT, headers=headers).text
    assert fragment.lstrip().startswith("<form") and "<html" not in fragment
    refused = admin.post(EDIT, data=mou_form(mou, ends_on="2020-01-01"), headers=headers)
    assert refused.status_code == 422 and refused.text.lstrip().startswith("<form")
    saved = admin.post(EDIT, data=mou_form(mou, title_en="Via htmx"), headers=headers)
    assert saved.headers["HX-Redirect"] == f"{EDIT}?saved=saved"


def test_every_change_reads_in_words_on_the_audit_page(admin, session, mou, area, orgs):
    admin.post(EDIT, data=mou_form(mou, signed_on_confirmed="on", party_ids=[str(orgs["CARB"].id)]))
    admin.post(f"/admin/partnerships/{SLUG}/areas/{area.id}/edit", data=area_form(area, name_es="MRV nuevo"))
    events = session.exec(select(AuditEvent).where(AuditEvent.entity.in_(["partnership", "area"]))).all()
    assert {e.actor_name for e in events if e.actor_id} == {"Ada Admin"}

    page = admin.get("/admin/audit").text
    assert "Signing date confirmed" in page and "Parties" in page
    assert re.search(r"<del>CARB, MiAMBIENTE</del> → <ins>CARB</ins>", page)
    assert re.search(r"<del>no</del> → <ins>yes</ins>", page)
    assert "MRV nuevo" in page
    spanish = admin.get("/admin/audit?lang=es").text
    assert "Fecha de firma confirmada" in spanish and re.search(r"<del>no</del> → <ins>sí</ins>", spanish)
    history = admin.get(f"{EDIT}?lang=en").text
    assert "Ada Admin" in history and "Signing date confirmed" in history


# Organizations -------------------------------------------------------------------------------


def test_an_organization_added_from_the_mou_form_can_then_be_picked_as_a_party(admin, session, mou, orgs):
    form = admin.get(EDIT).text
    assert f'href="/admin/organizations/new?next={EDIT}"' in form
    data = {
        "acronym": "SINAPROC",
        "name_es": "Sistema Nacional de Protección Civil",
        "country": "pa",
        "timezone": "America/Panama",
        "next": EDIT,
    }
    saved = admin.post("/admin/organizations", data=data, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == EDIT
    added = session.exec(select(Organization).where(Organization.acronym == "SINAPROC")).one()
    assert added.country == "PA" and added.name_en is None
    assert f'value="{added.id}"' in admin.get(EDIT).text
    party_ids = [str(orgs["CARB"].id), str(orgs["MiAMBIENTE"].id), str(added.id)]
    assert admin.post(EDIT, data=mou_form(mou, party_ids=party_ids), follow_redirects=False).status_code == 303
    assert {o.acronym for o in _reloaded(session, mou).parties} == {"CARB", "MiAMBIENTE", "SINAPROC"}


def test_an_organization_is_edited_with_its_names_country_and_zone(admin, session, orgs):
    carb = orgs["CARB"]
    url = f"/admin/organizations/{carb.id}/edit"
    assert "California Air Resources Board" in admin.get(url).text
    data = organization_form(carb, name_es="Junta de Recursos del Aire de California (CARB)")
    saved = admin.post(url, data=data, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == "/admin/organizations"
    assert _reloaded(session, carb).name_es == "Junta de Recursos del Aire de California (CARB)"
    listing = admin.get("/admin/organizations?lang=es").text
    assert "Estados Unidos" in listing and "Junta de Recursos del Aire de California (CARB)" in listing


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"acronym": "MiAMBIENTE"}, "acronym", "This value is already in use."),
        ({"country": "XX"}, "country", "Use a two-letter country code, such as PA or US."),
        ({"timezone": "America/Atlantis"}, "timezone", "Unknown time zone: use an IANA name such as America/Panama."),
        ({"name_en": "", "name_es": ""}, "name_es", "Write it in Spanish, in English, or in both."),
    ],
)
def test_a_bad_organization_is_refused_on_its_field(admin, session, orgs, changes, field, message):
    carb = orgs["CARB"]
    response = admin.post(f"/admin/organizations/{carb.id}/edit", data=organization_form(carb, **changes))
    assert response.status_code == 422
    assert f'id="{field}-error">{message}<' in response.text
    assert _reloaded(session, carb).version == carb.version


def test_an_organization_saved_meanwhile_is_a_conflict(admin, session, orgs):
    carb = orgs["CARB"]
    url = f"/admin/organizations/{carb.id}/edit"
    stale = organization_form(carb, name_en="Mine")
    admin.post(url, data=organization_form(carb, name_en="Theirs"))
    response = admin.post(url, data=stale)
    assert response.status_code == 409 and "Theirs" in response.text and 'value="Mine"' in response.text


def test_a_partnership_unknown_to_the_admin_pages_is_a_404(admin):
    assert admin.get("/admin/partnerships/no-such-mou/edit").status_code == 404
    assert admin.get("/admin/organizations/2147483647/edit").status_code == 404


def test_an_area_of_another_partnership_is_not_edited_through_this_one(admin, session, sonora):
    other = sonora["area"]
    assert admin.get(f"/admin/partnerships/{SLUG}/areas/{other.id}/edit").status_code == 404
    assert session.get(Partnership, sonora["partnership"].id) is not None

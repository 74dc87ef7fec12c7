"""The portfolio: every partnership the viewer may see, side by side, with the status sentence the overview
says, where today stands in the term, and the next deadlines; the home page of whoever sees several."""

import re

import pytest
import time_machine
from sqlalchemy import update
from sqlmodel import Session, select

from tests.conftest import SLUG, SONORA
from tests.progress.test_query_counts import counting
from tracker.i18n import gettext_for
from tracker.models import CooperationArea, Partnership
from tracker.partnerships.schemas import AreaIn, PartnershipIn
from tracker.partnerships.service import save_area, save_partnership

NOW = "2026-02-01T15:00Z"  # month 9 of the MOU, month 1 of Sonora's


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def admin(login, make_user):
    return login(make_user("admin", email="admin@arb.ca.gov"))


def _summary(page: str) -> str:
    return re.search(r'<p class="summary">([^<]+)</p>', page).group(1)


def _cards(page: str) -> list[str]:
    return re.findall(r'<li class="portfolio-card".*?</li>\s*(?=<li class="portfolio-card"|</ol>)', page, re.S)


def test_it_shows_both_partnerships_with_their_status_term_and_next_deadlines(
    admin, sonora, make_activity, make_deliverable
):
    make_deliverable(title_en="MRV roadmap", due_on="2026-04-30")
    make_activity(title_en="Carbon pricing workshop", start_local="2026-03-02T09:00", end_local="2026-03-02T17:00")
    page = admin.get("/portfolio")
    assert page.status_code == 200 and "<title>Partnerships ·" in page.text
    mou_card, sonora_card = sorted(_cards(page.text), key=lambda card: SONORA in card)
    assert "Memorandum of Understanding between CARB and Panama" in mou_card
    assert "CARB and Sonora on climate" in sonora_card
    # The status sentence is the overview's own, word for word.
    assert _summary(admin.get(f"/partnerships/{SLUG}").text) in mou_card
    assert _summary(admin.get(f"/partnerships/{SONORA}").text) in sonora_card
    assert "Month 9 of 24" in mou_card and "Month 1 of 24" in sonora_card
    assert re.search(r'<progress class="term" max="1000" value="\d+" aria-labelledby="p-\d+-month"', mou_card)
    assert "California Air Resources Board (CARB)" in sonora_card and "(CEDES)" in sonora_card
    assert "awaiting confirmation" in mou_card and "awaiting confirmation" in sonora_card
    # Next deadlines: the activity on March 2, then the deliverable due April 30; Sonora's are Sonora's.
    assert mou_card.index("Carbon pricing workshop") < mou_card.index("MRV roadmap")
    assert "Sonora forest inventory workshop" in sonora_card and "Sonora forest inventory report" in sonora_card
    assert "Sonora" not in mou_card


def test_it_reads_in_spanish(admin, sonora, make_deliverable):
    make_deliverable(title_en="MRV roadmap", title_es="Hoja de ruta de MRV", due_on="2026-04-30")
    page = admin.get("/portfolio?lang=es").text
    es = gettext_for("es")
    assert f'<h1 id="portfolio-title">{es("Partnerships")}</h1>' in page
    assert "Memorando de Entendimiento entre CARB y el Ministerio de Ambiente de Panamá" in page
    assert "CARB y Sonora sobre el clima" in page
    assert _summary(admin.get(f"/partnerships/{SLUG}?lang=es").text) in page
    assert "meses transcurridos" in page
    assert "Junta de Recursos del Aire de California (CARB)" in page
    assert "Hoja de ruta de MRV" in page and "MRV roadmap" not in page
    assert "pendiente de confirmación" in page and "1 de febrero de 2026" not in page  # no stray dates


def test_the_home_page_is_the_portfolio_for_someone_who_sees_several(admin, sonora):
    home = admin.get("/").text
    assert 'class="portfolio"' in home and "CARB and Sonora on climate" in home
    assert 'href="/portfolio"' in admin.get(f"/partnerships/{SLUG}").text  # and the header links to it


def test_a_partner_of_one_partnership_sees_only_theirs_and_home_stays_their_overview(login, make_user, sonora):
    partner = login(make_user("partner"))
    portfolio = partner.get("/portfolio").text
    assert "Memorandum of Understanding between CARB" in portfolio and "sonora" not in portfolio.lower()
    home = partner.get("/").text
    assert 'class="portfolio"' not in home and 'id="areas-title"' in home
    assert "sonora" not in home.lower()
    assert 'href="/portfolio"' not in home


def test_a_manager_of_one_partnership_keeps_the_overview_as_home(client, sonora):
    home = client.get("/").text
    assert 'class="portfolio"' not in home and 'href="/portfolio"' not in home


def test_visitors_see_the_published_partnerships_without_names(anon, session, sonora, make_deliverable):
    make_deliverable(title_en="MRV roadmap", due_on="2026-04-30")
    assert 'class="portfolio"' not in anon.get("/").text  # one published: its overview, as before
    assert "sonora" not in anon.get("/portfolio").text.lower()
    session.exec(update(Partnership).values(published=True))
    session.commit()
    home = anon.get("/").text
    assert 'class="portfolio"' in home and "CARB and Sonora on climate" in home
    assert "MRV roadmap" not in home and "Sonora forest inventory report" not in home
    assert "Next deadlines" not in home


def _partnership(session, n: int) -> None:
    partnership = save_partnership(
        session,
        partnership=Partnership(),
        data=PartnershipIn(
            slug=f"partnership-{n}", title_en=f"Partnership {n}", signed_on="2025-06-01", starts_on="2025-06-01",
            ends_on="2027-05-31", published=True,
        ),
    )  # fmt: skip
    for number in (1, 2, 3):
        save_area(
            session,
            area=CooperationArea(),
            data=AreaIn(partnership_id=partnership.id, number=number, slug=f"area-{number}", name_en=f"Area {number}"),
        )
    session.commit()


def test_the_portfolio_makes_as_many_queries_with_many_more_partnerships(admin, engine, session, mou):
    def statements() -> int:
        admin.app.state.page_cache.clear()
        admin.app.state.personal_pages.clear()
        with counting(engine) as found:
            assert admin.get("/portfolio").status_code == 200
        return len(found)

    _partnership(session, 1)
    admin.get("/portfolio")  # warm: the session touched
    few = statements()
    for n in range(2, 12):
        _partnership(session, n)
    many = statements()
    assert few == many
    with Session(engine) as fresh:
        assert len(fresh.exec(select(Partnership.id)).all()) == 12

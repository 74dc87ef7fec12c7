"""No page calls an area on track because nothing was due: the overview, an area page, the public page,
the period report and the API say what was planned and what was done, with the MOU in one sentence."""

import pytest
import time_machine
from sqlmodel import select

from tests.conftest import SLUG, activity_input
from tests.progress.test_pages import visible_text
from tracker.models import Partnership

# 78% of the seeded term (2025-05-12 to 2027-05-11), 08:00 in Panama.
LATE = "2026-12-01T13:00:00Z"
EMPTY_EN = "18 of 24 months gone · no activity planned yet · 7 areas with no activity yet"
EMPTY_ES = "18 de 24 meses transcurridos · ninguna actividad prevista todavía · 7 áreas sin actividad todavía"


@pytest.fixture
def late():
    with time_machine.travel(LATE, tick=False):
        yield


@pytest.fixture
def public_url(login, make_user, session, mou) -> str:
    admin = login(make_user("admin"))
    assert admin.post(f"/admin/partnerships/{SLUG}/public", follow_redirects=False).status_code == 303
    return f"/public/{session.exec(select(Partnership.public_token)).first()}"


def _card(page: str, name: str) -> list[str]:
    """What a reader reads in one area's card on the overview."""
    card = page[page.index(name) :]
    return visible_text(card[: card.index("</li>")], "en")


def _words(page: str, language: str) -> str:
    return " ".join(visible_text(page, language))


def _areas_section(page: str, language: str = "en") -> list[str]:
    """What a reader reads in the report's table of areas."""
    start = page.index(">", page.index('id="areas-title"')) + 1
    return visible_text(page[start:].split("</section>")[0], language)


# Nothing logged, 78% of the term gone ---------------------------------------------------------------


@pytest.mark.parametrize("who", ["manager", "visitor", "public"])
def test_the_overview_calls_no_empty_area_on_track(late, client, anon, public_url, mou, who):
    browser = anon if who != "manager" else client
    path = public_url if who == "public" else "/"
    for language, no_activity, on_track, sentence in (
        ("en", "No activity yet", "On track", EMPTY_EN),
        ("es", "Sin actividad todavía", "En buen camino", EMPTY_ES),
    ):
        page = browser.get(f"{path}?lang={language}")
        assert page.status_code == 200
        words = visible_text(page.text, language)
        assert words.count(no_activity) == 7 and on_track not in words
        assert sentence in words
    assert "Nothing was due yet" not in page.text


def test_an_empty_area_page_says_no_activity_yet_and_why(late, client, mou, area):
    page = client.get(f"/partnerships/{SLUG}/areas/{area.slug}").text
    words = visible_text(page, "en")
    assert "No activity yet" in words and "On track" not in words
    assert "Nothing is planned or done, and 18 months of the term have passed." in words
    assert "Nothing planned in the whole term" in words
    spanish = visible_text(client.get(f"/partnerships/{SLUG}/areas/{area.slug}?lang=es").text, "es")
    assert "Sin actividad todavía" in spanish
    assert "No hay nada previsto ni realizado, y han transcurrido 18 meses de la vigencia." in spanish


def test_the_report_lists_every_area_with_its_status(late, client, mou):
    words = _areas_section(client.get(f"/partnerships/{SLUG}/report").text)
    assert words[0] == "Cooperation areas on Dec 1, 2026"
    assert words.count("No activity yet") == 7 and "On track" not in words
    spanish = _areas_section(client.get(f"/partnerships/{SLUG}/report?lang=es").text, "es")
    assert spanish[0] == "Áreas de cooperación al 1 dic 2026" and spanish.count("Sin actividad todavía") == 7


def test_the_api_gives_each_area_its_status_figures_and_reason(late, client, mou):
    body = client.get("/api/v1/areas", params={"partnership": SLUG}).json()
    assert body["total"] == 7
    for item in body["items"]:
        assert item["status"] == "no_activity"
        assert item["reason"] == "Nothing is planned or done, and 18 months of the term have passed."
        assert (item["planned_to_date"], item["done_to_date"], item["planned_total"], item["done_total"]) == (
            0,
            0,
            0,
            0,
        )
        assert {"id", "version", "slug", "name_en", "name_es", "number"} <= item.keys()  # as scripts read it before
    one = client.get(f"/api/v1/areas/{body['items'][0]['id']}?lang=es").json()
    assert one["status"] == "no_activity" and one["reason"].startswith("No hay nada previsto")


# Some work logged ---------------------------------------------------------------------------------


@pytest.fixture
def logged(client, mou, area, make_activity, make_deliverable):
    """MRV: two activities held (one shared with area 3), one past and not held, one to come; one
    deliverable accepted, one to come. Area 3: the shared activity only."""
    inventories = next(a for a in mou.areas if a.number == 3)
    with time_machine.travel(LATE, tick=False):
        held = make_activity(title_en="March workshop")
        shared = client.post(
            f"/api/v1/partnerships/{SLUG}/activities",
            json=activity_input(
                [area.id, inventories.id],
                title_en="Joint training",
                start_local="2026-09-10T09:00",
                end_local="2026-09-10T17:00",
            ),
        ).json()["id"]
        for activity_id in (held.id, shared):
            held_now = client.post(f"/api/v1/activities/{activity_id}/held", json={"outcomes_en": "Done"})
            assert held_now.status_code == 200
        make_activity(title_en="June workshop", start_local="2026-06-10T09:00", end_local="2026-06-10T12:00")
        make_activity(title_en="February workshop", start_local="2027-02-10T09:00", end_local="2027-02-10T12:00")
        accepted = make_deliverable(due_on="2026-06-30", evidence_url="https://example.org/evidence.pdf")
        for status in ("submitted", "accepted"):
            client.post(f"/api/v1/deliverables/{accepted.id}/status", json={"status": status})
        make_deliverable(title_en="Final report", due_on="2027-03-01")
    return area, inventories


def test_the_overview_shows_planned_against_done_and_the_sentence(late, client, logged):
    mrv, inventories = logged
    page = client.get("/").text
    card = _card(page, mrv.name_en)
    assert card[card.index("At risk") : card.index("At risk") + 3] == [
        "At risk",
        "1 of 4 items planned to date is not done.",
        "3 of 4 planned to date done · 3 of 6 in the whole term",
    ]
    card = _card(page, inventories.name_en)
    assert "On track" in card and "The item planned to date is done." in card
    assert "1 of 1 planned to date done · 1 of 1 in the whole term" in card
    # The shared activity is counted once in the sentence, though it counts in both areas.
    sentence = "18 of 24 months gone · 2 of 4 planned activities held · 1 area at risk and 5 areas with no activity yet"
    assert sentence in visible_text(page, "en")
    spanish = visible_text(client.get("/?lang=es").text, "es")
    assert (
        "18 de 24 meses transcurridos · 2 de 4 actividades previstas realizadas · "
        "1 área en riesgo y 5 áreas sin actividad todavía"
    ) in spanish
    assert "3 de 4 previstos a la fecha, realizados · 3 de 6 en toda la vigencia" in spanish
    assert "1 de 4 elementos previstos a la fecha no está realizado." in spanish


def test_the_area_page_shows_the_same_status_and_figures(late, client, logged):
    mrv, _ = logged
    words = visible_text(client.get(f"/partnerships/{SLUG}/areas/{mrv.slug}").text, "en")
    start = words.index("At risk")
    assert words[start : start + 3] == [
        "At risk",
        "1 of 4 items planned to date is not done.",
        "3 of 4 planned to date done · 3 of 6 in the whole term",
    ]


def test_the_public_page_shows_the_figures_to_anyone(late, anon, public_url, logged):
    mrv, _ = logged
    page = anon.get(public_url).text
    assert "3 of 4 planned to date done · 3 of 6 in the whole term" in _card(page, mrv.name_en)
    assert "March workshop" not in page  # titles stay private
    spanish = _words(anon.get(f"{public_url}?lang=es").text, "es")
    assert "1 área en riesgo y 5 áreas sin actividad todavía" in spanish


def test_the_report_and_the_api_agree_with_the_pages(late, client, logged):
    mrv, inventories = logged
    section = _areas_section(client.get(f"/partnerships/{SLUG}/report").text)
    row = section[section.index(mrv.name_en) :]
    assert row[1:5] == [
        "At risk",
        "1 of 4 items planned to date is not done.",
        "3 of 4 planned to date done",
        "3 of 6 in the whole term",
    ]
    items = {i["id"]: i for i in client.get("/api/v1/areas", params={"partnership": SLUG}).json()["items"]}
    got = items[mrv.id]
    assert got["status"] == "at_risk" and got["reason"] == "1 of 4 items planned to date is not done."
    assert (got["planned_to_date"], got["done_to_date"], got["planned_total"], got["done_total"]) == (4, 3, 6, 3)
    assert items[inventories.id]["status"] == "on_track"


def test_postponing_the_late_activity_leaves_the_area_at_risk_not_on_track(client, logged, session):
    mrv, _ = logged
    from tracker.models import Activity

    june = session.exec(select(Activity).where(Activity.title_en == "June workshop")).one()
    with time_machine.travel(LATE, tick=False):
        moved = client.post(
            f"/api/v1/activities/{june.id}/postpone",
            json={"start_local": "2027-01-12T09:00", "end_local": "2027-01-12T12:00", "reason": "Venue"},
        )
        assert moved.status_code == 200
        got = client.get(f"/api/v1/areas/{mrv.id}").json()
    assert got["status"] == "at_risk" and got["reason"] == "1 activity is postponed and its new date not confirmed."
    assert (got["planned_to_date"], got["done_to_date"]) == (3, 3)


def test_an_activity_today_is_planned_to_date_and_one_tomorrow_is_not(client, mou, area, make_activity):
    with time_machine.travel(LATE, tick=False):
        make_activity(start_local="2026-12-02T09:00", end_local="2026-12-02T12:00")  # tomorrow in Panama
        got = client.get(f"/api/v1/areas/{area.id}").json()
        assert (got["status"], got["planned_to_date"], got["planned_total"]) == ("no_activity", 0, 1)
        assert got["reason"] == "Nothing done yet; 1 item is planned later in the term."
        make_activity(start_local="2026-12-01T16:00", end_local="2026-12-01T18:00")  # later today in Panama
        got = client.get(f"/api/v1/areas/{area.id}").json()
    assert (got["status"], got["planned_to_date"], got["planned_total"]) == ("behind", 1, 2)
    assert got["reason"] == "The one item planned to date is not done."


def test_cancelled_work_is_neither_planned_nor_done(client, mou, area, make_activity, make_deliverable):
    with time_machine.travel(LATE, tick=False):
        activity = make_activity()
        cancelled = client.post(f"/api/v1/activities/{activity.id}/cancel", json={"reason": "No budget"})
        assert cancelled.status_code == 200
        deliverable = make_deliverable(due_on="2026-06-30")
        client.post(f"/api/v1/deliverables/{deliverable.id}/status", json={"status": "cancelled"})
        got = client.get(f"/api/v1/areas/{area.id}").json()
    assert (got["status"], got["planned_total"], got["done_total"]) == ("no_activity", 0, 0)


def test_early_in_the_term_an_empty_area_is_not_started(client, mou, area):
    with time_machine.travel("2025-07-01T13:00:00Z", tick=False):  # 7% of the term
        page = client.get("/").text
        got = client.get(f"/api/v1/areas/{area.id}").json()
    words = visible_text(page, "en")
    assert words.count("Not started") == 7 and "On track" not in words
    assert "1 of 24 months gone · no activity planned yet · 7 areas not started" in words
    assert (got["status"], got["reason"]) == ("not_started", "Nothing is planned yet.")

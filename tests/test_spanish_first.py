"""Records as a Spanish-speaking team makes them: written only in Spanish, searched without caring for
accents or capitals, and counted in sentences that agree with their number in both languages."""

import pytest
import time_machine

from tests.conftest import SLUG, activity_input, count_rows
from tracker.models import Activity, Deliverable

SPANISH_TAG = '<abbr class="lang-tag" title="Spanish">ES</abbr>'
NEITHER = "Escríbalo en español, en inglés o en ambos."


def _spanish_only(client):
    """The manager reads the tracker in Spanish (the language switch's cookie)."""
    client.cookies.set("lang", "es")
    return client


@pytest.fixture
def colleague(login, make_user):
    """Another manager, who reads in English (`?lang=en` sticks to their browser, not the first one's)."""
    return login(make_user(email="colleague@example.org", name="Sam Lee"))


def _post_form(client, url, data) -> str:
    """Submit a plain form (no JavaScript) and return where its 303 leads."""
    response = client.post(url, data=data, follow_redirects=False)
    assert response.status_code == 303, response.text
    return response.headers["location"]


def _activity_form(area_id) -> dict:
    form = activity_input([area_id], title_es="Medición de emisiones", summary_es="Un taller sobre inventarios.")
    del form["title_en"]
    return form | {"objectives_es": "Acordar una hoja de ruta de MRV."}


def test_it_logs_and_holds_an_activity_written_only_in_spanish(client, colleague, area, engine):
    _spanish_only(client)
    page = _post_form(client, f"/partnerships/{SLUG}/activities", _activity_form(area.id))

    spanish = client.get(page).text
    assert '<html lang="es">' in spanish and "<h1>Medición de emisiones</h1>" in spanish
    assert "Acordar una hoja de ruta de MRV." in spanish and SPANISH_TAG not in spanish
    english = colleague.get(page, params={"lang": "en"}).text
    assert f'<h1><span lang="es">Medición de emisiones</span> {SPANISH_TAG}</h1>' in english
    assert '<div lang="es"><p>Un taller sobre inventarios.</p>' in english

    with time_machine.travel("2026-03-11T12:00Z", tick=False):
        assert _post_form(client, f"{page}/held", {"outcomes_es": "Diez agencias acordaron la hoja de ruta."}) == page
    held = client.get(page).text
    assert "Realizado" in held and "Diez agencias acordaron la hoja de ruta." in held
    stored = client.get(f"/api/v1{page}").json()
    assert (stored["title_en"], stored["outcomes_en"], stored["status"]) == (None, "", "held")
    assert count_rows(engine, Activity) == 1


def test_a_deliverable_written_only_in_spanish_is_taken_to_accepted(client, colleague, area):
    _spanish_only(client)
    form = {
        "area_id": area.id,
        "title_es": "Guía de inventarios",
        "description_es": "Para las agencias.",
        "due_on": "2026-10-01",
        "evidence_url": "https://example.org/evidence.pdf",
    }
    page = _post_form(client, f"/partnerships/{SLUG}/deliverables", form)
    assert "<h1>Guía de inventarios</h1>" in client.get(page).text
    english = colleague.get(page, params={"lang": "en"}).text
    assert f'<h1><span lang="es">Guía de inventarios</span> {SPANISH_TAG}</h1>' in english
    assert '<div lang="es"><p>Para las agencias.</p>' in english

    with time_machine.travel("2026-09-20T15:00Z", tick=False):
        for status, shown in (("in_progress", "En curso"), ("submitted", "Presentado"), ("accepted", "Aceptado")):
            assert _post_form(client, f"{page}/status", {"status": status}) == page
            assert shown in client.get(page).text
    stored = client.get(f"/api/v1{page}").json()
    assert (stored["title_en"], stored["status"], stored["completed_on"]) == (None, "accepted", "2026-09-20")


def test_the_api_takes_a_spanish_title_alone_and_refuses_no_title_in_spanish(client, area, engine):
    url = f"/api/v1/partnerships/{SLUG}/activities"
    body = activity_input([area.id], title_es="Taller de MRV")
    del body["title_en"]
    created = client.post(url, json=body)
    assert created.status_code == 201 and created.json()["title_es"] == "Taller de MRV"
    assert created.json()["title_en"] is None

    del body["title_es"]
    refused = client.post(url, params={"lang": "es"}, json=body)
    assert refused.status_code == 422 and refused.headers["content-type"].startswith("application/json")
    assert [(e["loc"], e["msg"]) for e in refused.json()["detail"]] == [
        (["body", "title_en"], NEITHER),
        (["body", "title_es"], NEITHER),
    ]
    assert count_rows(engine, Activity) == 1

    url, deliverable = f"/api/v1/partnerships/{SLUG}/deliverables", {"area_id": area.id, "due_on": "2026-10-01"}
    assert client.post(url, json=deliverable | {"title_es": "Guía"}).status_code == 201
    refused = client.post(url, params={"lang": "es"}, json=deliverable)
    assert refused.status_code == 422 and {e["msg"] for e in refused.json()["detail"]} == {NEITHER}
    assert [e["loc"][-1] for e in refused.json()["detail"]] == ["title_en", "title_es"]
    assert count_rows(engine, Deliverable) == 1


def _found(client, url, needle) -> list[int]:
    """The ids an API list answers a search with."""
    return sorted(item["id"] for item in client.get(url, params={"q": needle}).json()["items"])


def test_search_ignores_accents_and_capitals_and_takes_wildcards_literally(
    client, make_activity, make_deliverable, make_person
):
    activity = make_activity(title_en=None, title_es="Medición de emisiones")
    percent = make_activity(title_en="Reach 50%_of agencies")
    deliverable = make_deliverable(title_en=None, title_es="Guía de MEDICIÓN")
    person = make_person(name="José Núñez", email="jose@miambiente.gob.pa")

    for needle in ("medicion", "MEDICIÓN", "medición", "Medicion"):
        assert _found(client, "/api/v1/activities", needle) == [activity.id]
        assert _found(client, "/api/v1/deliverables", needle) == [deliverable.id]
        listed = client.get(f"/partnerships/{SLUG}/activities", params={"q": needle}).text
        assert "Medición de emisiones" in listed and "Reach 50%" not in listed
        assert "Guía de MEDICIÓN" in client.get(f"/partnerships/{SLUG}/deliverables", params={"q": needle}).text
    for needle in ("nunez", "NÚÑEZ", "núñez", "jose nu"):
        assert _found(client, "/api/v1/people", needle) == [person.id]

    for needle in ("medicina", "nuñoz"):
        assert _found(client, "/api/v1/activities", needle) == []
        assert _found(client, "/api/v1/deliverables", needle) == []
        assert _found(client, "/api/v1/people", needle) == []
    assert "0 activities" in client.get(f"/partnerships/{SLUG}/activities", params={"q": "medicina"}).text

    # "%" and "_" are characters to find, not LIKE's "anything" and "any one character".
    for needle in ("%", "_", "50%_"):
        assert _found(client, "/api/v1/activities", needle) == [percent.id]
    for needle in ("5_%", "m%n", "medici_n"):
        assert _found(client, "/api/v1/activities", needle) == []
        assert _found(client, "/api/v1/deliverables", needle) == []
    assert _found(client, "/api/v1/people", "jos_") == []


def _status_line(client, language) -> str:
    page = client.get(f"/partnerships/{SLUG}/deliverables", params={"lang": language}).text
    start = page.index('<p class="muted" role="status">') + len('<p class="muted" role="status">')
    return page[start : page.index("</p>", start)]


def _overdue_line(client, language) -> str | None:
    with time_machine.travel("2026-07-15T12:00Z", tick=False):
        page = client.get("/", params={"lang": language}).text
    if '<p class="warn">' not in page:
        return None
    start = page.index('<p class="warn">') + len('<p class="warn">')
    return page[start : page.index(" <a", start)]


def test_counts_agree_with_their_number_in_both_languages(client, mou, make_deliverable):
    expected = {
        0: ("0 deliverables", "0 entregables", None, None),
        1: ("1 deliverable", "1 entregable", "1 deliverable is overdue.", "1 entregable está vencido."),
        2: ("2 deliverables", "2 entregables", "2 deliverables are overdue.", "2 entregables están vencidos."),
        21: ("21 deliverables", "21 entregables", "21 deliverables are overdue.", "21 entregables están vencidos."),
    }
    made = 0
    for count, (english, spanish, late_english, late_spanish) in expected.items():
        while made < count:
            make_deliverable(title_en=f"Report {made + 1}", due_on="2026-06-30")
            made += 1
        assert (_status_line(client, "en"), _status_line(client, "es")) == (english, spanish)
        assert (_overdue_line(client, "en"), _overdue_line(client, "es")) == (late_english, late_spanish)

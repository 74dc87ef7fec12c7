from html.parser import HTMLParser

import pytest
import time_machine
from babel.messages.pofile import read_po

from tests.conftest import SLUG
from tracker.i18n import catalog_path

HX = {"HX-Request": "true"}


class _Text(HTMLParser):
    """The words a reader sees or hears: text nodes and the attributes read aloud."""

    def __init__(self, language: str):
        super().__init__()
        self.language, self.chunks, self._skip, self._foreign = language, [], 0, []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        # Text marked as another language (the switcher's "English") is meant to stay so.
        if tag != "html" and dict(attrs).get("lang") not in (None, self.language):
            self._foreign.append(tag)
            self._skip += 1
        for name, value in attrs:
            if name in ("aria-label", "title", "placeholder", "alt") and value:
                self.chunks.append(value.strip())

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        if self._foreign and self._foreign[-1] == tag:
            self._foreign.pop()
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.chunks.append(" ".join(data.split()))


def visible_text(html: str, language: str = "es") -> list[str]:
    """The text a reader of `language` reads as theirs (what is marked as another language left out)."""
    parser = _Text(language)
    parser.feed(html)
    return parser.chunks


def _english_only_strings() -> set[str]:
    """English UI strings whose Spanish differs: none may show on a Spanish page."""
    with catalog_path("es").open("rb") as fp:
        catalog = read_po(fp, locale="es")
    found = set()
    for entry in catalog:
        if entry.id and isinstance(entry.id, str) and "%(" not in entry.id and "{" not in entry.id:
            if entry.string and entry.string != entry.id:
                found.add(entry.id)
    return found


def test_the_home_page_shows_the_mou_and_its_seven_areas_in_english(client, mou):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="en">' in response.text
    for area in mou.areas:
        assert area.name_en in response.text
    assert "May 12, 2025" in response.text and "awaiting confirmation" in response.text


def test_the_home_page_in_spanish_has_no_english_left(client, mou):
    response = client.get("/?lang=es")
    assert '<html lang="es">' in response.text
    for area in mou.areas:
        assert area.name_es in response.text
    assert "12 may 2025" in response.text
    english = _english_only_strings()
    assert [chunk for chunk in visible_text(response.text) if chunk in english] == []
    # The choice sticks for the next page.
    assert response.cookies.get("lang") == "es"
    assert "Actividades" in client.get(f"/partnerships/{SLUG}/activities").text


@pytest.mark.parametrize(
    "path",
    [
        f"/partnerships/{SLUG}/activities",
        f"/partnerships/{SLUG}/activities/new",
        f"/partnerships/{SLUG}/deliverables",
        f"/partnerships/{SLUG}/deliverables/new",
        f"/partnerships/{SLUG}/areas/mrv",
        "/preferences",
        "/activities/{activity}",
        "/activities/{activity}/edit",
        "/deliverables/{deliverable}",
        "/deliverables/{deliverable}/edit",
        "/activities/424242",
    ],
)
def test_every_page_in_spanish_has_no_english_left(client, make_activity, make_deliverable, path):
    activity, deliverable = make_activity(), make_deliverable()
    url = path.format(activity=activity.id, deliverable=deliverable.id)
    client.cookies.set("lang", "es")
    response = client.get(url)
    assert response.status_code in (200, 404)
    english = _english_only_strings()
    assert [chunk for chunk in visible_text(response.text) if chunk in english] == []


def test_the_language_switcher_links_keep_the_page_and_its_filters(client, mou):
    response = client.get(f"/partnerships/{SLUG}/activities?kind=workshop")
    assert f'href="/partnerships/{SLUG}/activities?kind=workshop&amp;lang=es"' in response.text


def test_the_home_counts_follow_activities_and_deliverables(client, mou, area, make_activity, make_deliverable):
    with time_machine.travel("2026-07-01T12:00Z", tick=False):
        held = make_activity()
        client.post(f"/api/v1/activities/{held.id}/held", json={"outcomes_en": "Done"})
        make_activity(title_en="Upcoming", start_local="2026-07-20T09:00", end_local="2026-07-20T12:00")
        make_deliverable(due_on="2026-06-01")  # overdue by July
        accepted = make_deliverable(due_on="2026-08-01", evidence_url="https://example.org/evidence.pdf")
        for status in ("submitted", "accepted"):
            client.post(f"/api/v1/deliverables/{accepted.id}/status", json={"status": status})
        page = client.get("/").text
    card = page[page.index(area.name_en) :]
    card = card[: card.index("</li>")]
    counts = [chunk for chunk in visible_text(card) if chunk[:1].isdigit()]
    # the status's reason and figures, then held, planned, accepted of total, overdue
    assert counts == [
        "1 of 2 items planned to date is not done.",
        "1 of 2 planned to date done · 2 of 4 in the whole term",
        "1",
        "1",
        "1 of 2",
        "1",
    ]
    assert "Upcoming" in page
    assert "1 deliverable is overdue." in page


def test_days_left_and_term_elapsed_follow_the_clock(client, mou):
    with time_machine.travel("2026-05-12T12:00Z", tick=False):
        text = visible_text(client.get("/").text)
    assert text[text.index("Days left") + 1] == "364"
    assert text[text.index("Term elapsed") + 1] == "50%"


def test_an_unknown_page_is_a_translated_404(client, mou):
    response = client.get("/no/such/page?lang=es")
    assert response.status_code == 404
    assert "No encontrado" in response.text or "no existe" in response.text


def test_the_preferences_page_sets_the_time_zone_and_only_returns_to_local_paths(client, mou):
    for target in ("//evil.example", "https://evil.example", "/\\evil.example"):
        response = client.post(
            "/preferences",
            data={"language": "en", "timezone": "America/Los_Angeles", "next": target},
            follow_redirects=False,
        )
        assert response.status_code == 303 and response.headers["location"] == "/"
    assert "Times are shown in Pacific Time (PST/PDT)." in client.get("/").text
    bad = client.post("/preferences", data={"language": "en", "timezone": "Nowhere/Land"})
    assert bad.status_code == 422 and 'id="timezone-error"' in bad.text


def test_healthz_answers_when_the_database_does(client):
    assert client.get("/healthz").json()["status"] == "ok"


def test_a_refused_form_in_spanish_has_no_english_left(client, area):
    client.cookies.set("lang", "es")
    response = client.post(
        f"/partnerships/{SLUG}/activities",
        data={"title_en": "", "start_local": "mañana", "timezone": "Nowhere/City", "format": "hybrid"},
    )
    assert response.status_code == 422
    assert "Corrija los" in response.text
    english = _english_only_strings()
    assert [chunk for chunk in visible_text(response.text) if chunk in english] == []


def test_the_overview_lists_the_next_30_days_overdue_items_and_latest_outcomes(client, make_activity, make_deliverable):
    with time_machine.travel("2026-07-01T12:00Z", tick=False):
        make_activity(title_en="Soon", start_local="2026-07-20T09:00", end_local="2026-07-20T12:00")
        make_activity(title_en="Later", start_local="2026-09-20T09:00", end_local="2026-09-20T12:00")
        make_deliverable(title_en="Due soon", due_on="2026-07-15")
        make_deliverable(title_en="Due later", due_on="2026-10-15")
        make_deliverable(title_en="Late one", due_on="2026-06-15")
        held = make_activity(title_en="Past workshop", start_local="2026-06-10T09:00", end_local="2026-06-10T12:00")
        client.post(f"/api/v1/activities/{held.id}/held", json={"outcomes_en": "**Roadmap** agreed"})
        page = client.get("/").text
    section = lambda title: page[page.index(f'id="{title}"') :].split("</section>")[0]  # noqa: E731
    assert "Soon" in section("next-title") and "Later" not in section("next-title")
    assert "Due soon" in section("deadlines-title") and "Due later" not in section("deadlines-title")
    assert "Late one" in section("overdue-title") and "Due soon" not in section("overdue-title")
    assert "<strong>Roadmap</strong> agreed" in section("outcomes-title")

"""The period report tells why: deliverables moved later and activities postponed or cancelled, with reasons."""

import csv
import io

import pytest
import time_machine

from tests.conftest import SLUG

PERIOD = "from=2026-07-01&to=2026-09-30"


@pytest.fixture
def quarter(client, make_activity, make_deliverable):
    """In the third quarter of 2026: a deliverable moved to November, a workshop postponed to October, one
    cancelled, and one postponed within the quarter; the report is asked for on 2 October."""
    with time_machine.travel("2026-06-01T12:00Z", tick=False):
        moved = make_deliverable(title_en="Moved report", title_es="Informe aplazado", due_on="2026-08-15")
        patch = {"due_on": "2026-11-15", "version": moved.version, "reason": "Waiting for the inventory data"}
        assert client.patch(f"/api/v1/deliverables/{moved.id}", json=patch).status_code == 200
        late = make_deliverable(title_en="Late report", due_on="2026-07-20")
        postponed = make_activity(title_en="August workshop", title_es="Taller de agosto",
                                  start_local="2026-08-10T09:00", end_local="2026-08-10T17:00")  # fmt: skip
        body = {"start_local": "2026-10-20T09:00", "end_local": "2026-10-20T17:00", "reason": "The venue is booked"}
        assert client.post(f"/api/v1/activities/{postponed.id}/postpone", json=body).status_code == 200
        cancelled = make_activity(title_en="September webinar", start_local="2026-09-03T09:00",
                                  end_local="2026-09-03T11:00")  # fmt: skip
        assert (
            client.post(f"/api/v1/activities/{cancelled.id}/cancel", json={"reason": "No speakers"}).status_code == 200
        )
        within = make_activity(title_en="July training", start_local="2026-07-06T09:00", end_local="2026-07-06T17:00")
        body = {"start_local": "2026-07-27T09:00", "end_local": "2026-07-27T17:00", "reason": "Trainers on leave"}
        assert client.post(f"/api/v1/activities/{within.id}/postpone", json=body).status_code == 200
        make_activity(title_en="Untouched workshop", start_local="2026-08-20T09:00", end_local="2026-08-20T17:00")
    with time_machine.travel("2026-10-02T12:00Z", tick=False):
        yield {"moved": moved, "late": late, "postponed": postponed, "cancelled": cancelled, "within": within}


def _section(html: str, title_id: str) -> str:
    return html[html.index(f'id="{title_id}"') :].split("</section>")[0]


def _rows(client, query: str) -> list[list[str]]:
    response = client.get(f"/partnerships/{SLUG}/report.csv?{PERIOD}&{query}")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_slipped_section_says_why_a_deliverable_moved(client, quarter):
    slipped = _section(client.get(f"/partnerships/{SLUG}/report?{PERIOD}").text, "slipped-title")
    assert "was due Aug 15, 2026, now due Nov 15, 2026" in slipped
    assert "Reason: <q>Waiting for the inventory data</q>" in slipped
    # Still open but never moved: nobody was asked why.
    late = slipped[slipped.index("Late report") :].split("</li>")[0]
    assert "not accepted" in late and "Reason" not in late


def test_activities_postponed_or_cancelled_in_the_period_are_listed_with_their_reasons(client, quarter):
    section = _section(client.get(f"/partnerships/{SLUG}/report?{PERIOD}").text, "postponed-title")
    assert "Activities postponed or cancelled" in section
    items = section.split("<li>")[1:]
    assert [item.split("</a>")[0].split(">")[-1] for item in items] == [
        "July training", "August workshop", "September webinar",
    ]  # fmt: skip
    july, august, september = items
    assert "planned for Jul 6, 2026, now Jul 27, 2026 (Postponed)" in july and "Trainers on leave" in july
    assert "planned for Aug 10, 2026, now Oct 20, 2026 (Postponed)" in august and "The venue is booked" in august
    assert "planned for Sep 3, 2026 (Cancelled)" in september and "<q>No speakers</q>" in september
    assert "Untouched workshop" not in section


def test_a_period_without_any_shows_so(client, mou):
    section = _section(client.get(f"/partnerships/{SLUG}/report?{PERIOD}").text, "postponed-title")
    assert "No activity planned in this period was postponed or cancelled." in section


def test_the_csv_has_a_reason_column(client, quarter):
    rows = _rows(client, "lang=en")
    assert rows[0][-1] == "Reason"
    by_title = {
        row[2]: row for row in rows[1:] if row[0] in ("Deliverables slipped", "Activities postponed or cancelled")
    }
    assert by_title["Moved report"][3:] == [
        "Aug 15, 2026",
        "Not started",
        "Nov 15, 2026",
        "Waiting for the inventory data",
    ]
    assert by_title["Late report"][-1] == ""
    assert by_title["August workshop"][3:] == ["Aug 10, 2026", "Postponed", "Oct 20, 2026", "The venue is booked"]
    assert by_title["September webinar"][3:] == ["Sep 3, 2026", "Cancelled", "", "No speakers"]


def test_scripts_get_the_reasons_with_stable_codes(client, quarter):
    rows = _rows(client, "codes=1")
    assert rows[0] == ["section", "id", "title", "date", "status", "detail", "reason"]
    postponed = [row for row in rows[1:] if row[0] == "postponed"]
    assert [row[3:] for row in postponed] == [
        ["2026-07-06", "postponed", "2026-07-27", "Trainers on leave"],
        ["2026-08-10", "postponed", "2026-10-20", "The venue is booked"],
        ["2026-09-03", "cancelled", "", "No speakers"],
    ]


def test_the_spanish_report_names_the_section_and_the_reason_in_spanish(client, quarter):
    page = client.get(f"/partnerships/{SLUG}/report?{PERIOD}&lang=es").text
    section = _section(page, "postponed-title")
    assert "Actividades pospuestas o canceladas" in section and "Taller de agosto" in section
    assert "prevista para el 10 ago 2026, ahora el 20 oct 2026 (Pospuesto)" in section
    assert "Motivo: <q>The venue is booked</q>" in section
    rows = _rows(client, "lang=es")
    assert rows[0][-1] == "Motivo"
    assert ["Actividades pospuestas o canceladas", str(quarter["postponed"].id), "Taller de agosto", "10 ago 2026",
            "Pospuesto", "20 oct 2026", "The venue is booked"] in rows  # fmt: skip

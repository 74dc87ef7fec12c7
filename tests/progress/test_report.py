import csv
import io
from datetime import date

import time_machine

from tests.conftest import SLUG
from tracker.progress.report import last_full_quarter, next_period


def test_the_default_period_is_the_last_full_quarter():
    period = last_full_quarter(date(2026, 11, 28))
    assert (period.start, period.end) == (date(2026, 7, 1), date(2026, 9, 30))
    assert last_full_quarter(date(2026, 1, 5)).start == date(2025, 10, 1)
    following = next_period(period)
    assert following.start == date(2026, 10, 1)


def test_the_report_lists_held_completed_slipped_and_the_next_plan(client, make_activity, make_deliverable):
    with time_machine.travel("2026-08-01T12:00Z", tick=False):
        held = make_activity(title_en="July workshop", start_local="2026-07-15T09:00", end_local="2026-07-15T17:00")
        client.post(f"/api/v1/activities/{held.id}/held", json={"outcomes_en": "Roadmap **agreed**"})
        done = make_deliverable(
            title_en="Done report", due_on="2026-07-31", evidence_url="https://example.org/evidence.pdf"
        )
        for status in ("submitted", "accepted"):
            client.post(f"/api/v1/deliverables/{done.id}/status", json={"status": status})
        moved = make_deliverable(title_en="Moved report", due_on="2026-08-15")
        client.patch(
            f"/api/v1/deliverables/{moved.id}",
            json={"due_on": "2026-11-15", "version": moved.version, "reason": "Waiting for data"},
        )
        make_deliverable(title_en="Late report", due_on="2026-07-20")
        make_activity(title_en="October training", start_local="2026-10-10T09:00", end_local="2026-10-10T17:00")
    with time_machine.travel("2026-10-02T12:00Z", tick=False):
        page = client.get(f"/partnerships/{SLUG}/report")
        codes = client.get(f"/partnerships/{SLUG}/report.csv?codes=1").text  # stable codes, as scripts read it
    rows = list(csv.reader(io.StringIO(codes.lstrip("\ufeff"))))
    text = page.text
    assert "Jul 1, 2026" in text and "Sep 30, 2026" in text
    held_part = text[text.index('id="held-title"') :].split("</section>")[0]
    assert "July workshop" in held_part and "<strong>agreed</strong>" in held_part
    assert "Done report" in text[text.index('id="completed-title"') :].split("</section>")[0]
    slipped = text[text.index('id="slipped-title"') :].split("</section>")[0]
    assert "Moved report" in slipped and "was due Aug 15, 2026, now due Nov 15, 2026" in slipped
    assert "Late report" in slipped and "not accepted" in slipped
    assert "October training" in text[text.index('id="plan-title"') :].split("</section>")[0]
    sections = [row[0] for row in rows[1:]]
    assert sections.count("held") == 1 and "slipped" in sections and "next_activity" in sections


def test_unusable_dates_get_a_message_and_the_default_period(client, mou):
    response = client.get(f"/partnerships/{SLUG}/report?from=2026-09-01&to=2026-01-01")
    assert response.status_code == 422 and 'id="period-error"' in response.text


def test_report_cells_cannot_run_as_formulas(client, make_activity):
    with time_machine.travel("2026-08-01T12:00Z", tick=False):
        activity = make_activity(
            title_en="=cmd|'/c calc'!A1", start_local="2026-07-15T09:00", end_local="2026-07-15T17:00"
        )
        client.post(f"/api/v1/activities/{activity.id}/held", json={"outcomes_en": "@SUM(1)"})
        body = client.get(f"/partnerships/{SLUG}/report.csv?from=2026-07-01&to=2026-09-30").text.lstrip("\ufeff")
    cells = [cell for row in list(csv.reader(io.StringIO(body)))[1:] for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]

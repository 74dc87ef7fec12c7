from datetime import date

from tracker.progress.charts import WIDTH, position, quarter_starts, timeline


def test_days_fall_on_the_line_in_proportion_and_are_clamped():
    start, end = date(2025, 5, 12), date(2027, 5, 11)
    assert position(start, start, end) == 0 and position(end, start, end) == WIDTH
    assert position(date(2020, 1, 1), start, end) == 0 and position(date(2030, 1, 1), start, end) == WIDTH
    assert abs(position(date(2026, 5, 12), start, end) - WIDTH / 2) < 2


def test_quarters_inside_the_term_are_ticked():
    assert quarter_starts(date(2025, 5, 12), date(2026, 1, 15)) == [
        date(2025, 7, 1),
        date(2025, 10, 1),
        date(2026, 1, 1),
    ]


def test_today_is_marked_only_inside_the_term():
    start, end = date(2025, 5, 12), date(2027, 5, 11)
    assert timeline(start, end, date(2026, 11, 28), []).today_x is not None
    after = timeline(start, end, date(2028, 1, 1), [])
    assert after.today_x is None and after.elapsed_x == WIDTH


def test_the_cumulative_lines_rise_by_one_step_per_deliverable():
    from tracker.progress.charts import cumulative

    start, end = date(2026, 1, 1), date(2026, 12, 31)
    lines = cumulative(start, end, [date(2026, 3, 1), date(2026, 6, 1)], [date(2026, 4, 1)], height=100)
    assert (lines.due_total, lines.accepted_total) == (2, 1)
    assert lines.due_points.startswith("0,100") and lines.due_points.endswith(f"{WIDTH},0.0")
    assert lines.accepted_points.endswith(f"{WIDTH},50.0")


def test_the_area_page_draws_its_progress(client, make_activity, make_deliverable, area, mou):
    make_activity(title_en="Area workshop")
    make_deliverable(due_on="2026-06-30")
    page = client.get(f"/partnerships/{mou.slug}/areas/{area.slug}").text
    section = page[page.index('id="progress-title"') :].split("</section>")[0]
    assert section.count("<svg") >= 2 and "1 activity of this area on the term." in section
    assert "0 of 1 deliverable accepted." in section and "Not started" in section

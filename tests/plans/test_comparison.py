"""The baseline comparison as a pure function: baseline items, current items and reasons → per-area groups."""

from datetime import date

from tracker.plans.comparison import PlanItem, compare, from_snapshot, latest_reasons, totals


def item(kind, number, day, status="planned", areas=(2,), done_on=None):
    return PlanItem(kind, number, areas, f"{kind} {number}", None, day, status, done_on)


def test_it_puts_each_item_in_one_group_with_its_slip_and_reason():
    baseline = [
        item("activity", 1, date(2026, 3, 10)),  # unchanged
        item("activity", 2, date(2026, 4, 1)),  # moved later
        item("deliverable", 3, date(2026, 6, 30)),  # moved earlier
        item("activity", 4, date(2026, 5, 5)),  # cancelled
        item("deliverable", 5, date(2026, 7, 31)),  # deleted
        item("deliverable", 6, date(2026, 3, 31)),  # accepted on time
        item("activity", 7, date(2026, 2, 2)),  # held late
    ]
    current = [
        item("activity", 1, date(2026, 3, 10)),
        item("activity", 2, date(2026, 4, 13), status="postponed"),
        item("deliverable", 3, date(2026, 6, 20)),
        item("activity", 4, date(2026, 5, 5), status="cancelled"),
        item("deliverable", 6, date(2026, 3, 31), status="accepted", done_on=date(2026, 3, 28)),
        item("activity", 7, date(2026, 2, 9), status="held", done_on=date(2026, 2, 9)),
        item("deliverable", 8, date(2026, 8, 1)),  # added
        item("activity", 9, date(2026, 8, 1), status="cancelled"),  # added and dropped: nowhere
    ]
    moves = {("activity", 2): "The venue was not free.", ("activity", 7): "Trainers delayed."}
    drops = {("activity", 4): "Merged into the June training."}
    groups = compare(baseline, current, moves, drops)[2]

    def keys(category):
        return [(e.item.type, e.item.id) for e in groups[category]]

    assert keys("unchanged") == [("activity", 1)]
    assert keys("moved") == [("activity", 2), ("deliverable", 3)]
    assert [(e.slip_days, e.reason) for e in groups["moved"]] == [(12, "The venue was not free."), (-10, None)]
    assert keys("dropped") == [("activity", 4), ("deliverable", 5)]
    assert [(e.reason, e.exists, e.current_on) for e in groups["dropped"]] == [
        ("Merged into the June training.", True, None),
        (None, False, None),  # deleted: only the baseline's snapshot is left
    ]
    assert keys("done_on_time") == [("deliverable", 6)]
    assert groups["done_on_time"][0].slip_days == -3
    assert keys("done_late") == [("activity", 7)]
    assert (groups["done_late"][0].slip_days, groups["done_late"][0].reason) == (7, "Trainers delayed.")
    assert keys("added") == [("deliverable", 8)]
    assert groups["added"][0].baseline_on is None and groups["added"][0].slip_days is None


def test_an_item_in_two_areas_is_in_both_and_counted_once():
    baseline = [item("activity", 1, date(2026, 3, 10), areas=(1, 2))]
    current = [item("activity", 1, date(2026, 3, 17), areas=(1, 2))]
    areas = compare(baseline, current)
    assert areas[1]["moved"][0].slip_days == areas[2]["moved"][0].slip_days == 7
    assert totals(areas)["moved"] == 1
    assert totals(areas, {3})["moved"] == 0


def test_reasons_are_the_latest_said_for_a_move_and_a_drop_until_reopened():
    events = [
        ("activity", 1, {"starts_at": ["2026-03-10T14:00:00", "2026-03-17T14:00:00"]}, "First move"),
        ("activity", 1, {"status": ["planned", "postponed"], "starts_at": ["a", "b"]}, "Second move"),
        ("activity", 1, {"venue": ["A", "B"]}, "Not a move"),
        ("deliverable", 2, {"due_on": ["2026-06-30", "2026-07-31"]}, "Waiting for data"),
        ("deliverable", 2, {"due_on": ["2026-07-31", "2026-08-31"]}, None),  # said nothing: the last reason stays
        ("deliverable", 3, {"due_on": [None, "2026-06-30"]}, "created"),  # a new record's first date is no move
        ("activity", 4, {"status": ["planned", "cancelled"]}, "No budget"),
        ("activity", 5, {"status": ["planned", "cancelled"]}, "No room"),
        ("activity", 5, {"status": ["cancelled", "planned"]}, "Room found"),
        ("person", 1, {"name": ["A", "B"]}, "Not a plan item"),
    ]
    moves, drops = latest_reasons(events)
    assert moves == {("activity", 1): "Second move", ("deliverable", 2): "Waiting for data"}
    assert drops == {("activity", 4): "No budget"}


def test_a_stored_entry_that_is_not_one_is_left_out():
    good = {"type": "deliverable", "id": 3, "area_ids": [2], "title_en": "Roadmap", "title_es": None,
            "planned_on": "2026-06-30"}  # fmt: skip
    assert from_snapshot(good).planned_on == date(2026, 6, 30)
    for bad in (
        None,
        [],
        {"type": "person"},
        good | {"planned_on": "30/06/2026"},
        good | {"id": "x"},
        good | {"planned_on": 5},
    ):
        assert from_snapshot(bad) is None
    assert from_snapshot(good | {"area_ids": "2"}).area_ids == ()

"""The baseline comparison: what a baseline planned against what is planned now, per area (pure functions).

Each item of either side lands in one group: *added* (not in the baseline), *dropped* (cancelled or deleted
since), *done on time* / *done late* (held or accepted by, or after, its baseline date), *moved* (still to
do, on another date: the slip in days and the reason given when it moved), or *unchanged*.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

ACTIVITY, DELIVERABLE = "activity", "deliverable"
TYPES = (ACTIVITY, DELIVERABLE)
# The items' addresses: /activities/{id}, /deliverables/{id} (and /plan/activities/{id}/move...).
PATHS = {ACTIVITY: "activities", DELIVERABLE: "deliverables"}
CANCELLED = "cancelled"
DONE = ("held", "accepted")
# In the order a reader wants them: what went wrong first, what went as planned last.
CATEGORIES = ("moved", "done_late", "dropped", "added", "done_on_time", "unchanged")


@dataclass(frozen=True)
class PlanItem:
    """An activity or a deliverable as the plan sees it: what, in which areas, when, and whether it is done."""

    type: str
    id: int
    area_ids: tuple[int, ...]
    title_en: str | None
    title_es: str | None
    planned_on: date
    status: str = "planned"
    done_on: date | None = None
    kind: str | None = None  # an activity's kind (workshop...)
    responsible: tuple[str, ...] = ()
    version: int | None = None

    @property
    def key(self) -> tuple[str, int]:
        return self.type, self.id

    @property
    def path(self) -> str:
        return PATHS[self.type]

    @property
    def done(self) -> bool:
        return self.status in DONE

    @property
    def dropped(self) -> bool:
        return self.status == CANCELLED

    def snapshot(self) -> dict:
        """The item as a baseline stores it (the shape models.Baseline documents)."""
        return {
            "type": self.type,
            "id": self.id,
            "area_ids": list(self.area_ids),
            "title_en": self.title_en,
            "title_es": self.title_es,
            "planned_on": self.planned_on.isoformat(),
        }


def _text(value) -> str | None:
    return value if isinstance(value, str) and value else None


def from_snapshot(entry) -> PlanItem | None:
    """A baseline's stored entry read back, or None when it is not one (damaged, or written by hand)."""
    if not isinstance(entry, dict) or entry.get("type") not in TYPES:
        return None
    ids = entry.get("area_ids")
    try:
        planned_on = date.fromisoformat(entry.get("planned_on"))
        item_id = int(entry.get("id"))
        area_ids = tuple(int(i) for i in ids) if isinstance(ids, list) else ()
    except (TypeError, ValueError):
        return None
    return PlanItem(
        entry["type"], item_id, area_ids, _text(entry.get("title_en")), _text(entry.get("title_es")), planned_on
    )


@dataclass(frozen=True)
class Compared:
    """One item of a comparison: its date in the baseline and now (planned or done), and why it moved."""

    item: PlanItem  # as it is now when it still exists, else as the baseline had it
    category: str
    baseline_on: date | None
    current_on: date | None
    reason: str | None = None
    exists: bool = True  # False for an item deleted since the baseline (only its snapshot is left)

    @property
    def slip_days(self) -> int | None:
        """Days later (+) or earlier (−) than the baseline said; None when one side has no date."""
        if self.baseline_on is None or self.current_on is None:
            return None
        return (self.current_on - self.baseline_on).days


def _judged(planned: PlanItem, now: PlanItem | None, move_reasons: Mapping, drop_reasons: Mapping) -> Compared:
    """A baseline item against what became of it."""
    if now is None or now.dropped:
        reason = drop_reasons.get(planned.key)
        return Compared(now or planned, "dropped", planned.planned_on, None, reason, exists=now is not None)
    reason = move_reasons.get(planned.key)
    if now.done:
        done_on = now.done_on or now.planned_on
        category = "done_on_time" if done_on <= planned.planned_on else "done_late"
        return Compared(now, category, planned.planned_on, done_on, reason if done_on != planned.planned_on else None)
    if now.planned_on != planned.planned_on:
        return Compared(now, "moved", planned.planned_on, now.planned_on, reason)
    return Compared(now, "unchanged", planned.planned_on, now.planned_on)


def compare(
    baseline: Iterable[PlanItem],
    current: Iterable[PlanItem],
    move_reasons: Mapping[tuple[str, int], str] | None = None,
    drop_reasons: Mapping[tuple[str, int], str] | None = None,
) -> dict[int, dict[str, list[Compared]]]:
    """Per area id, each category's items (see the module's docstring), earliest first.

    `current` holds every item that exists now, cancelled ones included; an item in several areas is in
    each of them (its areas now, or the baseline's when it is gone).
    """
    move_reasons, drop_reasons = move_reasons or {}, drop_reasons or {}
    now = {item.key: item for item in current}
    planned = {item.key: item for item in baseline}
    found = [_judged(item, now.get(key), move_reasons, drop_reasons) for key, item in planned.items()]
    found += [
        Compared(item, "added", None, item.done_on if item.done else item.planned_on)
        for key, item in now.items()
        if key not in planned and not item.dropped
    ]
    areas: dict[int, dict[str, list[Compared]]] = {}
    for entry in sorted(found, key=_order):
        for area_id in entry.item.area_ids:
            areas.setdefault(area_id, {category: [] for category in CATEGORIES})[entry.category].append(entry)
    return areas


def _order(entry: Compared) -> tuple:
    return (entry.baseline_on or entry.current_on or date.max, entry.item.type, entry.item.id)


def totals(areas: Mapping[int, Mapping[str, list]], area_ids: Iterable[int] | None = None) -> dict[str, int]:
    """How many items each category holds over these areas (all when None), an item counted once."""
    seen: dict[str, set] = {category: set() for category in CATEGORIES}
    for area_id, groups in areas.items():
        if area_ids is None or area_id in area_ids:
            for category, entries in groups.items():
                seen[category].update(entry.item.key for entry in entries)
    return {category: len(keys) for category, keys in seen.items()}


def latest_reasons(events: Iterable[tuple[str, int, dict, str | None]]) -> tuple[dict, dict]:
    """The reasons given for moves and drops, from audit events (entity, id, changes, reason) in order.

    A move is a change of a deliverable's `due_on`, or of an activity's `starts_at` (a postponement
    changes both its dates and its status); the latest one that said why wins. A drop is a change of
    status to cancelled; reopening forgets it.
    """
    moves: dict[tuple[str, int], str] = {}
    drops: dict[tuple[str, int], str] = {}
    for entity, entity_id, changes, reason in events:
        if entity not in TYPES:
            continue
        changes = changes if isinstance(changes, dict) else {}
        key = (entity, entity_id)
        status = changes.get("status")
        status = status if isinstance(status, list) and len(status) == 2 else None
        dates = changes.get("due_on" if entity == DELIVERABLE else "starts_at")
        # A change from one date to another: not the first date of a new record, nor a deleted one's last.
        moved = isinstance(dates, list) and len(dates) == 2 and None not in dates
        if reason and (moved or (status and status[1] == "postponed")):
            moves[key] = reason
        if status and status[1] == CANCELLED:
            drops.pop(key, None)
            if reason:
                drops[key] = reason
        elif status and status[0] == CANCELLED:
            drops.pop(key, None)
    return moves, drops

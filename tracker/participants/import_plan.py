"""What an import will do to a roster, row by row: add, update (each field old → new), leave unchanged,
or fold into an earlier row of the same person. Pure: the caller reads the records it needs first.

Rules a manager can rely on:
- a blank cell never erases a recorded value;
- two spellings of one name that differ only in case and accents keep the accented, properly cased one;
- a sheet's "registered" never replaces attendance already recorded (registration lists come first);
- a person appears once: rows of the same person, in the file or on the roster, are one.
"""

from dataclasses import dataclass, field

from tracker.participants.names import better_spelling, full_name
from tracker.participants.rules import match_key

NAME_FIELDS = ("given_names", "surnames", "organization", "position")
PERSON_FIELDS = (*NAME_FIELDS, "sex", "country", "email", "language")
ATTENDANCE_FIELDS = ("status", "days_attended", "pre_score", "post_score", "satisfaction")
# Values that say nothing: a sheet's "not stated" is no answer to replace a recorded one.
SILENT = {"sex": "not_stated"}


@dataclass
class Known:
    """The records an import is compared with: people who may be on the sheet and this roster."""

    people: dict[int, dict] = field(default_factory=dict)  # id -> PERSON_FIELDS values
    by_email: dict[str, int] = field(default_factory=dict)
    by_key: dict[str, list[int]] = field(default_factory=dict)  # match key -> ids, oldest first
    enrollments: dict[int, dict] = field(default_factory=dict)  # participant id -> id and ATTENDANCE_FIELDS


def key_of(person: dict) -> str:
    """The match key of a staged person."""
    return match_key(person.get("given_names", ""), person.get("surnames") or "", person.get("organization") or "")


def _merge(into: dict, values: dict) -> None:
    """A later row's values over an earlier row's of the same person: names by spelling, others when given."""
    for name, value in values.items():
        if value in (None, "") or SILENT.get(name) == value:
            continue
        into[name] = better_spelling(into.get(name) or "", value) if name in NAME_FIELDS else value


def _recorded_match(known: Known, person: dict) -> int | None:
    """The participant a row names, as the roster matches people: by email, else by name and organization."""
    ids = known.by_key.get(key_of(person), [])
    if person.get("email"):
        found = known.by_email.get(person["email"])
        return found if found is not None else next((i for i in ids if not known.people[i].get("email")), None)
    return ids[0] if ids else None


def _changes(old: dict, new: dict, fields: tuple[str, ...]) -> list[list]:
    changes = []
    for name in fields:
        offered = new.get(name)
        if offered in (None, "") or SILENT.get(name) == offered:
            continue  # blank never erases
        before = old.get(name)
        after = better_spelling(before or "", offered) if name in NAME_FIELDS else offered
        if name == "status" and offered == "registered" and before not in (None, "registered"):
            continue
        if name == "email" and before:
            continue  # a recorded email is how this person was found: it stays
        if after != before:
            changes.append([name, before, after])
    return changes


def plan(rows: list[dict], known: Known) -> list[dict]:
    """Each staged row with "action" (add | update | unchanged | same), "changes" and whom it matched.

    rows: {"row", "person", "attendance", ...} with only the values the sheet gave.
    """
    planned: list[dict] = []
    first_of: dict[tuple, dict] = {}  # ("email", x) / ("key", k) / ("id", n) -> the row that stands for them
    for entry in rows:
        person = dict(entry["person"])
        attendance = dict(entry["attendance"])
        entry = entry | {"person": person, "attendance": attendance}
        key, email = key_of(person), person.get("email")
        earlier = (first_of.get(("email", email)) if email else None) or first_of.get(("key", key))
        participant_id = None
        if earlier is None:
            participant_id = _recorded_match(known, person)
            if participant_id is not None:
                earlier = first_of.get(("id", participant_id))
        if earlier is not None:
            _merge(earlier["person"], person)
            _merge(earlier["attendance"], attendance)
            planned.append(entry | {"action": "same", "same_as": earlier["row"], "changes": []})
            continue
        entry["participant_id"] = participant_id
        first_of[("key", key)] = entry
        if email:
            first_of[("email", email)] = entry
        if participant_id is not None:
            first_of[("id", participant_id)] = entry
        planned.append(entry)
    for entry in planned:
        if "action" not in entry:
            _decide(entry, known)
    return planned


def _decide(entry: dict, known: Known) -> None:
    participant_id = entry["participant_id"]
    old_person = known.people.get(participant_id, {}) if participant_id is not None else {}
    enrollment = known.enrollments.get(participant_id) if participant_id is not None else None
    person_changes = _changes(old_person, entry["person"], PERSON_FIELDS) if participant_id is not None else []
    if enrollment is None:
        entry |= {"action": "add", "changes": person_changes, "enrollment_id": None}
        return
    changes = person_changes + _changes(enrollment, entry["attendance"], ATTENDANCE_FIELDS)
    entry |= {"action": "update" if changes else "unchanged", "changes": changes, "enrollment_id": enrollment["id"]}


def person_after(entry: dict, known: Known, language: str) -> dict:
    """Every column of the participant a planned row leaves behind (recorded values, then its changes).

    `language`: a new person's when the sheet does not say (the activity's)."""
    values = dict(known.people.get(entry.get("participant_id"), {})) if entry.get("participant_id") else {}
    if not values:
        values = {"sex": "not_stated", "country": "", "organization": "", "position": "", "email": None}
        values |= {k: v for k, v in entry["person"].items() if v not in (None, "")}
        values.setdefault("surnames", "")
        values.setdefault("language", language)
    for name, _before, after in entry["changes"]:
        if name in PERSON_FIELDS:
            values[name] = after
    values["organization"] = values.get("organization") or ""
    values["position"] = values.get("position") or ""
    values["surnames"] = values.get("surnames") or ""
    values["name"] = full_name(values["given_names"], values["surnames"], values.get("country") or "")
    values["match_key"] = key_of(values)
    return values


def counts(planned: list[dict]) -> dict[str, int]:
    """How many rows each action takes."""
    found = {"add": 0, "update": 0, "unchanged": 0, "same": 0}
    for entry in planned:
        found[entry["action"]] += 1
    return found

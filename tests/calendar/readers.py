"""Reading .ics files as other calendar programs do: with vobject, and with dateutil's tzical.

Both read the VTIMEZONE written in the file itself, never a zone database of their own, so a test sees the
instant a client that trusts the file would show.
"""

import io
import re
from datetime import UTC, datetime, tzinfo

import vobject
from dateutil import tz

READERS = ("vobject", "tzical")


def zones(ics: bytes) -> dict[str, dict[str, tzinfo]]:
    """Each reader's understanding of the file's VTIMEZONEs: {reader: {tzid: tzinfo}}."""
    text = ics.decode()
    calendar = vobject.readOne(text)
    by_vobject = {zone.tzid.value: zone.gettzinfo() for zone in getattr(calendar, "vtimezone_list", [])}
    by_tzical = {}
    if "BEGIN:VTIMEZONE" in text:
        parsed = tz.tzical(io.StringIO(text))
        by_tzical = {key: parsed.get(key) for key in parsed.keys()}
    return {"vobject": by_vobject, "tzical": by_tzical}


def _vobject_starts(ics: bytes, known: dict[str, tzinfo]) -> dict[str, datetime]:
    found = {}
    for event in vobject.readOne(ics.decode()).vevent_list:
        start = event.dtstart
        if not isinstance(start.value, datetime):
            continue  # an all-day deadline
        # vobject keeps the first zone registered under a TZID for the whole process: read this file's own.
        tzid = start.params.get("X-VOBJ-ORIGINAL-TZID", [None])[0]
        wall = start.value.replace(tzinfo=None)
        found[event.uid.value] = (wall.replace(tzinfo=known[tzid]) if tzid else start.value).astimezone(UTC)
    return found


START = re.compile(r"^DTSTART(?:;TZID=([^:;]+))?:(\d{8}T\d{6})(Z?)$", re.M)
UID = re.compile(r"^UID:(.+)$", re.M)


def _tzical_starts(ics: bytes, known: dict[str, tzinfo]) -> dict[str, datetime]:
    found = {}
    text = ics.decode().replace("\r\n ", "").replace("\r\n", "\n")
    for block in text.split("BEGIN:VEVENT")[1:]:
        match = START.search(block)
        if match is None:
            continue
        tzid, wall, utc = match.groups()
        moment = datetime.strptime(wall, "%Y%m%dT%H%M%S")
        zone = UTC if utc or not tzid else known[tzid]
        found[UID.search(block).group(1).strip()] = moment.replace(tzinfo=zone).astimezone(UTC)
    return found


def starts(ics: bytes) -> dict[str, dict[str, datetime]]:
    """The UTC start of each timed event as each reader reads the file: {reader: {uid: instant}}."""
    known = zones(ics)
    return {"vobject": _vobject_starts(ics, known["vobject"]), "tzical": _tzical_starts(ics, known["tzical"])}

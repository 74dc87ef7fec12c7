"""Time confirming a 5,000-row sign-in sheet: the first import (everyone new) and the attendance sheet after
it (everyone updated), against the floor of writing the same rows with two bare INSERTs, in the same run.

Run: .venv/bin/python benchmarks/imports.py [DATABASE_URL]   (default: a throwaway SQLite file)
Prints medians and ratios; asserts nothing about wall time. Target: each confirmation under 1 s on SQLite.
"""

import gc
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, insert
from sqlmodel import Session, select

from tracker.config import DEFAULT_SEED
from tracker.db import make_engine
from tracker.migrate import upgrade
from tracker.models import Activity, ActivityArea, AuditEvent, Enrollment, ImportBatch, Participant, Partnership
from tracker.participants import column_fields, import_service
from tracker.participants.rules import match_key
from tracker.participants.sheets import Table
from tracker.partnerships.seed import load_seed, read_seed

ROWS, ROUNDS = 5000, 5
GIVEN = ("María José", "José Luis", "Marisol", "Iván", "Ana", "Luis", "Nadia", "Ángel", "Rosa", "Carlos")
SURNAMES = ("Ríos Batista", "Pérez de la Cruz", "Núñez", "Castillo Vega", "Ortega", "Gómez", "Quintero Sáenz")
REGISTRATION = ["Nombre", "Apellidos", "Institución", "Correo electrónico", "Sexo", "País"]
ATTENDANCE = [*REGISTRATION, "Asistió", "Días asistidos", "Prueba inicial", "Prueba final", "Satisfacción"]


def sheet(attendance: bool) -> Table:
    """A registration list (or the attendance sheet of the same people) of ROWS distinct people."""
    rows = []
    for i in range(ROWS):
        cells = [GIVEN[i % 10], f"{SURNAMES[i % 7]} {i}", f"Institución {i % 40}", f"p{i}@example.org",
                 ("F", "M")[i % 2], "PA"]  # fmt: skip
        if attendance:
            cells += [("sí", "no")[i % 9 == 0], str(1 + i % 3), str(30 + i % 40), str(60 + i % 40), str(1 + i % 5)]
        rows.append((i + 2, cells))
    return Table(headers=ATTENDANCE if attendance else REGISTRATION, rows=rows)


def fresh(url: str) -> tuple:
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        load_seed(session, read_seed(DEFAULT_SEED))
        mou = session.exec(select(Partnership)).first()
        start = datetime(2026, 3, 10, 14, tzinfo=UTC)
        activity = Activity(partnership_id=mou.id, kind="technical_training", title_es="Taller MRV", starts_at=start,
                            ends_at=start + timedelta(days=2, hours=8), timezone="America/Panama",
                            format="in_person", status="held", languages=["es"])  # fmt: skip
        session.add(activity)
        session.flush()
        session.add(ActivityArea(activity_id=activity.id, area_id=mou.areas[1].id))
        session.commit()
        return engine, activity.id


def clear(engine) -> None:
    with Session(engine) as session:
        for model in (Enrollment, Participant, ImportBatch, AuditEvent):
            session.exec(delete(model))
        session.commit()


def confirm_seconds(engine, activity_id: int, table: Table) -> float:
    """Stage the sheet (not timed), then time the confirmation and its commit."""
    with Session(engine) as session:
        activity = session.get(Activity, activity_id)
        mapping = column_fields.guess_mapping(table.headers)
        batch = import_service.create_batch(
            session, activity=activity, table=table, mapping=mapping, filename="sheet.xlsx", by=None
        )
        session.commit()
        started = time.perf_counter()
        counts = import_service.confirm(session, batch=batch, activity=activity)
        session.commit()
        elapsed = time.perf_counter() - started
    expected = "add" if "Asistió" not in table.headers or counts["add"] else "update"
    assert counts[expected] == ROWS, counts  # the benchmark measures what it says
    return elapsed


def floor_seconds(engine, activity_id: int) -> float:
    """The same people and roster rows written with two bare INSERTs: what no import can beat."""
    people = [
        {"given_names": GIVEN[i % 10], "surnames": SURNAMES[i % 7], "name": f"{GIVEN[i % 10]} {SURNAMES[i % 7]}",
         "email": f"p{i}@example.org", "match_key": match_key(GIVEN[i % 10], SURNAMES[i % 7], ""), "sex": "female",
         "language": "es", "organization": "", "position": "", "country": "PA", "created_at": datetime.now(UTC)}
        for i in range(ROWS)
    ]  # fmt: skip
    with Session(engine) as session:
        started = time.perf_counter()
        session.exec(insert(Participant.__table__), params=[p | {"id": i + 1} for i, p in enumerate(people)])
        session.exec(
            insert(Enrollment.__table__),
            params=[
                {
                    "activity_id": activity_id,
                    "participant_id": i + 1,
                    "status": "registered",
                    "created_at": datetime.now(UTC),
                }
                for i in range(ROWS)
            ],  # fmt: skip
        )
        session.commit()
        return time.perf_counter() - started


def main() -> None:
    gc.set_threshold(50_000, 20, 100)  # as `tracker serve` runs (tracker/app.py)
    url = sys.argv[1] if len(sys.argv) > 1 else f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    engine, activity_id = fresh(url)
    print(f"{engine.dialect.name}, {ROWS:,} rows, median of {ROUNDS} rounds")
    first, again, floor = [], [], []
    for _ in range(ROUNDS):
        clear(engine)
        floor.append(floor_seconds(engine, activity_id))
        clear(engine)
        first.append(confirm_seconds(engine, activity_id, sheet(attendance=False)))
        again.append(confirm_seconds(engine, activity_id, sheet(attendance=True)))
    base = statistics.median(floor)
    for label, times in (("bare INSERTs (floor)", floor), ("confirm: all new", first), ("confirm: all updated", again)):
        median = statistics.median(times)
        print(f"{label:24} {median * 1000:8.0f} ms   {median / base:5.1f}× the floor")
    engine.dispose()


if __name__ == "__main__":
    main()

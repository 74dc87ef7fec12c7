"""Time the capacity indicators on 3,000 participants, 150 held activities and ~12,000 roster rows.

Run: .venv/bin/python benchmarks/indicators.py [DATABASE_URL]   (default: a throwaway SQLite file)
Prints medians; asserts nothing about wall time.
"""

import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlmodel import Session, select

from tracker.config import DEFAULT_SEED
from tracker.db import make_engine
from tracker.indicators import service as indicator_service
from tracker.migrate import upgrade
from tracker.models import Activity, ActivityArea, Enrollment, Participant, Partnership
from tracker.participants.rules import match_key
from tracker.partnerships.seed import load_seed, read_seed

PEOPLE, ACTIVITIES, ROUNDS = 3000, 150, 15


def build(url: str) -> None:
    upgrade(url)
    engine = make_engine(url)
    rng = random.Random(7)
    with Session(engine) as session:
        load_seed(session, read_seed(DEFAULT_SEED))
        session.commit()
        mou = session.exec(select(Partnership)).first()
        areas = [a.id for a in mou.areas]
        orgs = [f"Institution {i}" for i in range(120)]
        people = []
        for i in range(PEOPLE):
            org = rng.choice(orgs)
            org = org.upper() if rng.random() < 0.1 else org
            name = f"Person {i}"
            people.append(
                Participant(
                    given_names=name,
                    name=name,
                    organization=org,
                    sex=rng.choice(["female", "male", "another", "not_stated"]),
                    country=rng.choice(["PA", "PA", "PA", "US", "CR", ""]),
                    match_key=match_key(name, "", org),
                )
            )
        session.add_all(people)
        session.flush()
        for i in range(ACTIVITIES):
            start = datetime(2025, 6, 1, 14, tzinfo=UTC) + timedelta(days=4 * i)
            activity = Activity(
                partnership_id=mou.id,
                kind=rng.choice(["workshop", "technical_training", "webinar"]),
                title_en=f"Training {i}",
                starts_at=start,
                ends_at=start + timedelta(days=rng.choice([0, 1, 2, 4]), hours=8),
                timezone="America/Panama",
                format="in_person",
                status="held",
            )
            session.add(activity)
            session.flush()
            session.add(ActivityArea(activity_id=activity.id, area_id=rng.choice(areas)))
            for p in rng.sample(people, 80):
                pre = rng.randint(0, 80)
                session.add(
                    Enrollment(
                        activity_id=activity.id,
                        participant_id=p.id,
                        status=rng.choice(["attended"] * 8 + ["absent", "registered"]),
                        days_attended=rng.choice([None, 1, 2, 3]),
                        pre_score=pre,
                        post_score=min(pre + rng.randint(-5, 40), 100),
                        satisfaction=rng.randint(1, 5),
                    )
                )
        session.commit()
    engine.dispose()


def median_ms(fn) -> float:
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    url = sys.argv[1] if len(sys.argv) > 1 else f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    build(url)
    engine = make_engine(url)
    with Session(engine) as session:
        mou = session.exec(select(Partnership)).first()
        term = indicator_service.term_of(mou)
        area = mou.areas[1]
        m = indicator_service.measure(session, partnership=mou, period=term)
        print(f"{m.activities_held} held activities, {m.people.total} trained, {m.people.institutions} institutions")
        measure = indicator_service.measure
        for label, fn in (
            ("measure, whole term", lambda: measure(session, partnership=mou, period=term)),
            ("measure, one area", lambda: measure(session, partnership=mou, period=term, area_id=area.id)),
            ("report (JSON), whole term", lambda: indicator_service.report(session, partnership=mou, period=term)),
            ("headline, public", lambda: indicator_service.headline(session, mou, public=True)),
        ):
            print(f"{label:28} {median_ms(fn):7.1f} ms (median of {ROUNDS})")


if __name__ == "__main__":
    main()

"""Benchmark datasets: the real MOU filled with a realistic load of records, or a hundred times that.

realistic: 1 partnership, 7 areas, 150 activities, 120 deliverables, 3,000 participants
hundred:   20 partnerships (the MOU and 19 copies), 15,000 activities, 12,000 deliverables,
           300,000 participants

Rows go in through bulk INSERTs (no audit trail, no per-row ORM work), so even the large set
loads in well under a minute on SQLite. `build(url, scale)` returns what the benchmark needs to
sign in and to open the public page.
"""

import random
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert, update
from sqlmodel import Session, select

from tracker.accounts import service as account_service
from tracker.config import DEFAULT_SEED
from tracker.db import make_engine
from tracker.migrate import upgrade
from tracker.models import (
    Activity,
    ActivityArea,
    CooperationArea,
    Deliverable,
    Enrollment,
    Participant,
    Partnership,
    PartnershipParty,
    Person,
)
from tracker.partnerships.seed import load_seed, read_seed

SCALES = {
    # partnerships, activities, deliverables and participants in all
    "realistic": (1, 150, 120, 3_000),
    "hundred": (20, 15_000, 12_000, 300_000),
}
ENROLLMENTS_PER_PARTICIPANT = 4
SEXES = ["female", "female", "male", "male", "another", "not_stated"]
KINDS = ["workshop", "technical_training", "webinar", "study_visit", "expert_meeting"]
ZONES = ["America/Panama", "America/Los_Angeles"]


@dataclass(frozen=True)
class Loaded:
    slug: str
    area_slug: str
    public_token: str
    session_cookie: str


def build(url: str, scale: str, *, today: date | None = None, rng_seed: int = 7) -> Loaded:
    """Migrate an empty database and fill it; returns the first partnership's addresses."""
    partnerships, activities, deliverables, participants = SCALES[scale]
    today = today or datetime.now(UTC).date()
    rng = random.Random(rng_seed)
    upgrade(url)
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        load_seed(session, read_seed(DEFAULT_SEED))
        session.commit()
        mou = session.exec(select(Partnership)).one()
        mou_areas = list(session.exec(select(CooperationArea).where(CooperationArea.partnership_id == mou.id)))
        areas_of = {mou.id: [a.id for a in mou_areas]}
        party_ids = [p.id for p in mou.parties]
        for n in range(2, partnerships + 1):
            areas_of[_copy(session, mou, mou_areas, party_ids, n)] = None
        for pid in areas_of:
            areas_of[pid] = list(session.exec(select(CooperationArea.id).where(CooperationArea.partnership_id == pid)))
        owners = _people(session, mou.id)
        held_ids = []
        for pid, area_ids in areas_of.items():
            held_ids += _activities(session, rng, mou, pid, area_ids, activities // partnerships, today)
            _deliverables(session, rng, mou, area_ids, owners, deliverables // partnerships, today)
        _participants(session, rng, participants, held_ids)
        token = secrets.token_urlsafe(24)
        session.execute(update(Partnership).where(Partnership.id == mou.id).values(public_token=token))
        manager = session.get(Person, owners[0])
        cookie, _ = account_service.start_session(
            session,
            person=manager,
            now=datetime.now(UTC),
            max_age=timedelta(days=1),
            client_ip="127.0.0.1",
            user_agent="benchmark",
        )
        session.commit()
        loaded = Loaded(mou.slug, mou_areas[1].slug, token, cookie)
    engine.dispose()
    return loaded


def _copy(session: Session, mou: Partnership, areas, party_ids, n: int) -> int:
    pid = session.execute(
        insert(Partnership).returning(Partnership.id, sort_by_parameter_order=True),
        [
            {
                "slug": f"{mou.slug}-copy-{n}",
                "title_en": f"{mou.title_en} (copy {n})",
                "title_es": f"{mou.title_es} (copia {n})",
                "signed_on": mou.signed_on,
                "starts_on": mou.starts_on,
                "ends_on": mou.ends_on,
                "summary_en": mou.summary_en,
                "summary_es": mou.summary_es,
                "published": True,
            }
        ],
    ).scalar_one()
    session.execute(insert(PartnershipParty), [{"partnership_id": pid, "organization_id": o} for o in party_ids])
    session.execute(
        insert(CooperationArea),
        [
            {
                "partnership_id": pid,
                "number": a.number,
                "slug": a.slug,
                "name_en": a.name_en,
                "name_es": a.name_es,
                "description_en": a.description_en,
                "description_es": a.description_es,
            }
            for a in areas
        ],
    )
    return pid


def _people(session: Session, partnership_id: int) -> list[int]:
    """A manager (who signs in) and a few deliverable owners."""
    rows = [
        {
            "name": f"Owner {i}",
            "email": f"owner{i}@example.org",
            "language": "es" if i % 2 else "en",
            "timezone": ZONES[i % 2],
            "role": "manager" if i == 0 else None,
            "partnership_id": None if i == 0 else partnership_id,
            "active": True,
            "reminder_mode": "digest",
        }
        for i in range(12)
    ]
    return list(session.execute(insert(Person).returning(Person.id, sort_by_parameter_order=True), rows).scalars())


def _activities(session, rng, mou, pid, area_ids, count, today) -> list[int]:
    """Activities spread over the term: held (or cancelled) before today, planned after."""
    term = (mou.ends_on - mou.starts_on).days
    rows, areas = [], []
    for i in range(count):
        day = mou.starts_on + timedelta(days=int(term * (i + 0.5) / count))
        start = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=14)
        past = day < today
        status = rng.choice(["held"] * 9 + ["cancelled"]) if past else rng.choice(["planned", "confirmed"])
        rows.append(
            {
                "partnership_id": pid,
                "kind": rng.choice(KINDS),
                "title_en": f"Workshop {i + 1}: carbon market design",
                "title_es": f"Taller {i + 1}: diseño del mercado de carbono",
                "summary_en": "Sessions with both teams.",
                "starts_at": start,
                "ends_at": start + timedelta(days=rng.choice([0, 1, 2]), hours=6),
                "timezone": rng.choice(ZONES),
                "format": rng.choice(["in_person", "virtual", "hybrid"]),
                "languages": ["es", "en"],
                "materials": [],
                "status": status,
                "objectives_en": "Understand allowance allocation.",
                "outcomes_en": "Agreed a draft roadmap for the **MRV** rules." if status == "held" else "",
                "completion_threshold": 80,
                "mastery_threshold": 70,
                "created_at": start - timedelta(days=60),
                "updated_at": start - timedelta(days=60),
            }
        )
    ids = list(session.execute(insert(Activity).returning(Activity.id, sort_by_parameter_order=True), rows).scalars())
    for activity_id in ids:
        for area_id in rng.sample(area_ids, rng.choice([1, 1, 2])):
            areas.append({"activity_id": activity_id, "area_id": area_id})
    session.execute(insert(ActivityArea), areas)
    return [i for i, row in zip(ids, rows, strict=True) if row["status"] == "held"]


def _deliverables(session, rng, mou, area_ids, owners, count, today) -> None:
    """Deadlines over the term: most past ones accepted, a few late, future ones under way."""
    term = (mou.ends_on - mou.starts_on).days
    rows = []
    for i in range(count):
        due = mou.starts_on + timedelta(days=int(term * (i + 0.7) / count))
        if due < today:
            status = rng.choice(["accepted"] * 8 + ["submitted", "in_progress"])
        else:
            status = rng.choice(["not_started", "not_started", "in_progress", "submitted", "accepted"])
        completed = min(due, today) - timedelta(days=rng.randint(0, 10)) if status == "accepted" else None
        rows.append(
            {
                "area_id": rng.choice(area_ids),
                "title_en": f"Report {i + 1} on emission inventories",
                "title_es": f"Informe {i + 1} sobre inventarios de emisiones",
                "description_en": "",
                "owner_id": rng.choice(owners[1:]),
                "due_on": due,
                "status": status,
                "completed_on": completed,
                "created_at": datetime(2025, 5, 20, tzinfo=UTC),
                "updated_at": datetime(2025, 5, 20, tzinfo=UTC),
            }
        )
    session.execute(insert(Deliverable), rows)


def _participants(session, rng, count, held_ids) -> None:
    """People trained, each enrolled in a few held activities."""
    created = datetime(2025, 6, 1, tzinfo=UTC)
    for start in range(0, count, 20_000):
        batch = range(start, min(start + 20_000, count))
        rows = [
            {
                "name": f"Participante {i}",
                "organization": f"Institución {i % 400}",
                "position": "Analyst",
                "sex": rng.choice(SEXES),
                "country": rng.choice(["PA", "PA", "PA", "US", "CR", ""]),
                "email": f"p{i}@example.org",
                "match_key": f"p{i}@example.org",
                "language": "es",
                "created_at": created,
            }
            for i in batch
        ]
        returning = insert(Participant).returning(Participant.id, sort_by_parameter_order=True)
        ids = list(session.execute(returning, rows).scalars())
        enrollments = []
        for participant_id in ids:
            for activity_id in rng.sample(held_ids, min(ENROLLMENTS_PER_PARTICIPANT, len(held_ids))):
                pre = rng.randint(0, 80)
                enrollments.append(
                    {
                        "activity_id": activity_id,
                        "participant_id": participant_id,
                        "status": rng.choice(["attended"] * 8 + ["absent", "registered"]),
                        "days_attended": None,
                        "pre_score": pre,
                        "post_score": min(pre + rng.randint(-5, 40), 100),
                        "satisfaction": rng.randint(1, 5),
                        "created_at": created,
                    }
                )
        session.execute(insert(Enrollment), enrollments)

"""A quarter to report on: the third of 2026 for area 2 (MRV), with work held, accepted, moved, postponed,
cancelled and left open, people trained against targets, and work planned for the fourth quarter."""

from datetime import date

import pytest
import time_machine

from tracker.models import CooperationArea, IndicatorTarget

PERIOD = "start=2026-07-01&end=2026-09-30"
ASKED_ON = "2026-10-02T15:00Z"


def attend(client, activity, given_names: str, surnames: str, sex: str) -> None:
    """Someone who attended (and so, in a one-day workshop, completed) an activity."""
    person = {"given_names": given_names, "surnames": surnames, "organization": "MiAMBIENTE", "sex": sex,
              "country": "PA", "language": "es", "status": "attended"}  # fmt: skip
    assert client.post(f"/activities/{activity.id}/roster", data=person, follow_redirects=False).status_code == 303


@pytest.fixture
def other_area(mou) -> CooperationArea:
    """Area 1 (cap-and-trade), where nothing happens."""
    return next(a for a in mou.areas if a.number == 1)


@pytest.fixture
def quarter(client, session, mou, area, make_activity, make_deliverable):
    """The third quarter of 2026 in area 2, read on 2 October 2026."""
    with time_machine.travel("2026-03-12T15:00Z", tick=False):
        march = make_activity(title_en="March MRV workshop", start_local="2026-03-10T09:00",
                              end_local="2026-03-10T17:00")  # fmt: skip
        held_march = client.post(f"/api/v1/activities/{march.id}/held", json={"outcomes_en": "A first draft"})
        assert held_march.status_code == 200
        attend(client, march, "Lucía", "Fernández", "female")
    with time_machine.travel("2026-06-01T12:00Z", tick=False):
        accepted = make_deliverable(
            title_en="MRV guidelines",
            title_es="Guía MRV",
            due_on="2026-07-31",
            evidence_url="https://example.org/evidence.pdf",
        )
        moved = make_deliverable(title_en="Emissions registry design", due_on="2026-08-15")
        patch = {"due_on": "2026-11-15", "version": moved.version, "reason": "Waiting for the inventory data"}
        assert client.patch(f"/api/v1/deliverables/{moved.id}", json=patch).status_code == 200
        late = make_deliverable(title_en="Verification checklist", due_on="2026-07-20")
        postponed = make_activity(title_en="August MRV training", start_local="2026-08-10T09:00",
                                  end_local="2026-08-10T17:00")  # fmt: skip
        body = {"start_local": "2026-10-20T09:00", "end_local": "2026-10-20T17:00", "reason": "The venue is booked"}
        assert client.post(f"/api/v1/activities/{postponed.id}/postpone", json=body).status_code == 200
        cancelled = make_activity(title_en="September webinar", start_local="2026-09-03T09:00",
                                  end_local="2026-09-03T11:00")  # fmt: skip
        response = client.post(f"/api/v1/activities/{cancelled.id}/cancel", json={"reason": "No speakers"})
        assert response.status_code == 200
        forgotten = make_activity(title_en="Expert meeting on verification", kind="expert_meeting",
                                  start_local="2026-09-22T09:00", end_local="2026-09-22T12:00")  # fmt: skip
        upcoming = make_activity(title_en="October registry training", start_local="2026-10-06T09:00",
                                 end_local="2026-10-06T17:00")  # fmt: skip
        due_next = make_deliverable(title_en="Registry pilot report", due_on="2026-12-15")
    with time_machine.travel("2026-08-01T12:00Z", tick=False):
        held = make_activity(title_en="July MRV workshop", start_local="2026-07-15T09:00", end_local="2026-07-15T17:00")
        response = client.post(f"/api/v1/activities/{held.id}/held", json={"outcomes_en": "Roadmap **agreed**"})
        assert response.status_code == 200
        attend(client, held, "Ana", "Pérez", "female")
        attend(client, held, "Luis", "Gómez", "male")
        for status in ("submitted", "accepted"):
            assert client.post(f"/api/v1/deliverables/{accepted.id}/status", json={"status": status}).status_code == 200
    session.add_all([
        IndicatorTarget(partnership_id=mou.id, area_id=area.id, indicator="people_trained", dimension="",
                        period_start=date(2026, 1, 1), period_end=date(2026, 12, 31), value=10),
        IndicatorTarget(partnership_id=mou.id, area_id=area.id, indicator="people_trained", dimension="sex=female",
                        period_start=date(2026, 1, 1), period_end=date(2026, 12, 31), value=5),
    ])  # fmt: skip
    session.commit()
    with time_machine.travel(ASKED_ON, tick=False):
        yield {
            "held": held, "accepted": accepted, "moved": moved, "late": late, "postponed": postponed,
            "cancelled": cancelled, "forgotten": forgotten, "upcoming": upcoming, "due_next": due_next,
        }  # fmt: skip

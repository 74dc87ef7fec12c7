"""The plan's pages: items grouped by area and period, added, moved and dropped with plain forms and with htmx."""

import re

import time_machine
from sqlmodel import select

from tests.conftest import SLUG
from tracker.models import Activity, AuditEvent, Deliverable

HX = {"HX-Request": "true"}


def groups(html: str, area_number: int) -> dict[str, list[str]]:
    """Each period heading of one area's section, and the titles of the items under it."""
    section = html[html.index(f'id="area-{area_number}"') :]
    section = section[: section.index("</section>")]
    found = {}
    for body in section.split('<tbody class="period')[1:]:
        heading = re.sub(r"<[^>]+>", "", re.search(r'scope="rowgroup">(.*?)</th>', body, re.S).group(1))
        found[heading.split()[0] + " " + heading.split()[1]] = re.findall(
            r'<a href="/(?:activitie|deliverable)s/\d+">(?:<span lang="\w+">)?([^<]+)', body
        )
    return found


def test_it_groups_the_plan_by_area_and_quarter_or_semester(client, plan, make_deliverable, area):
    other = next(a for a in area.partnership.areas if a.number == 5)
    make_deliverable(title_en="Forest carbon study", area_id=other.id, due_on="2026-08-14")
    page = client.get(f"/partnerships/{SLUG}/plan")
    assert page.status_code == 200
    assert groups(page.text, 2) == {
        "Q1 2026": ["MRV workshop"],
        "Q2 2026": ["MRV roadmap"],
        "Q3 2026": ["Inventory training"],
    }  # only the quarters with something planned, on the page of every area
    assert groups(page.text, 5) == {"Q3 2026": ["Forest carbon study"]}
    assert groups(page.text, 1) == {}
    by_semester = client.get(f"/partnerships/{SLUG}/plan?by=semester")
    assert groups(by_semester.text, 2) == {
        "H1 2026": ["MRV workshop", "MRV roadmap"],
        "H2 2026": ["Inventory training"],
    }
    area_page = client.get(f"/partnerships/{SLUG}/plan/mrv")
    shown = groups(area_page.text, 2)
    assert list(shown)[:2] == ["Q2 2025", "Q3 2025"] and len(shown) == 9  # the area's page: every quarter
    assert shown["Q3 2026"] == ["Inventory training"] and shown["Q4 2026"] == []


def test_the_plan_shows_the_areas_targets_read_only(client, plan, session, mou, area):
    from datetime import date

    from tracker.models import IndicatorTarget

    session.add(IndicatorTarget(partnership_id=mou.id, area_id=area.id, indicator="people_trained",
                                dimension="sex=female", period_start=date(2026, 1, 1), period_end=date(2026, 12, 31),
                                value=60))  # fmt: skip
    session.commit()
    page = client.get(f"/partnerships/{SLUG}/plan/mrv").text
    targets = page[page.index('class="targets"') :]
    assert "People trained" in targets and "Women" in targets and ">60<" in targets
    assert "/admin/indicators" not in targets  # nothing to change here


def test_a_partner_reads_the_plan_without_its_forms(login, make_user, plan):
    partner = login(make_user("partner"))
    page = partner.get(f"/partnerships/{SLUG}/plan/mrv")
    assert page.status_code == 200 and "MRV workshop" in page.text
    assert "/move" not in page.text and "/plan/items" not in page.text and "Approve the plan" not in page.text
    assert partner.post(f"/partnerships/{SLUG}/plan/items", data={}).status_code == 403


def _item(area_id, **overrides) -> dict:
    return {
        "type": "deliverable",
        "area_id": str(area_id),
        "title_es": "Guía de verificación",
        "period": "2026-Q4",
    } | overrides


def test_a_manager_adds_an_item_in_spanish_only_without_javascript(client, area, session):
    response = client.post(f"/partnerships/{SLUG}/plan/items", data=_item(area.id), follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith(f"/partnerships/{SLUG}/plan/mrv")
    deliverable = session.exec(select(Deliverable)).one()
    assert (deliverable.title_es, deliverable.title_en, str(deliverable.due_on)) == (
        "Guía de verificación",
        None,
        "2026-12-31",
    )
    page = client.get(response.headers["location"])
    assert "Added to the plan." in page.text and groups(page.text, 2)["Q4 2026"] == ["Guía de verificación"]


def test_an_activity_takes_its_periods_first_day_or_its_date(client, area, session, make_person):
    owner = make_person()
    data = _item(area.id, type="activity", activity_kind="webinar", title_es="", title_en="Registry webinar",
                 period="T3 2026", responsible_id=str(owner.id))  # fmt: skip
    assert client.post(f"/partnerships/{SLUG}/plan/items", data=data, follow_redirects=False).status_code == 303
    dated = data | {"title_en": "Second webinar", "on": "2026-08-20"}
    assert client.post(f"/partnerships/{SLUG}/plan/items", data=dated, follow_redirects=False).status_code == 303
    first, second = session.exec(select(Activity).order_by(Activity.id)).all()
    assert (first.kind, first.status, first.starts_at.isoformat()) == (
        "webinar",
        "planned",
        "2026-07-01T14:00:00+00:00",
    )
    assert [p.id for p in first.responsible] == [owner.id]
    assert second.starts_at.isoformat() == "2026-08-20T14:00:00+00:00"


def test_with_htmx_an_addition_swaps_the_areas_section_and_a_refusal_comes_back_in_it(client, area):
    added = client.post(f"/partnerships/{SLUG}/plan/items", data=_item(area.id), headers=HX)
    assert added.status_code == 200 and added.text.lstrip().startswith('<section class="plan-area" id="area-2"')
    assert "<html" not in added.text and "Guía de verificación" in added.text
    refused = client.post(f"/partnerships/{SLUG}/plan/items", data=_item(area.id, title_es="", period=""), headers=HX)
    assert refused.status_code == 422 and refused.text.lstrip().startswith('<section class="plan-area"')
    assert 'id="title_es-error"' in refused.text and 'id="title_en-error"' in refused.text
    assert "Choose a period or a date." in refused.text
    wrong = client.post(f"/partnerships/{SLUG}/plan/items", data=_item(area.id, period="Q1 2024"))
    assert wrong.status_code == 422 and "<html" in wrong.text and "Choose one of the term&#39;s periods" in wrong.text


def test_a_date_outside_the_term_is_kept_only_when_confirmed(client, area, session):
    outside = _item(area.id, period="", on="2027-06-30")
    refused = client.post(f"/partnerships/{SLUG}/plan/items", data=outside)
    assert refused.status_code == 422 and 'name="confirm_outside_term"' in refused.text
    kept = client.post(
        f"/partnerships/{SLUG}/plan/items", data=outside | {"confirm_outside_term": "on"}, follow_redirects=False
    )
    assert kept.status_code == 303
    assert groups(client.get(f"/partnerships/{SLUG}/plan").text, 2) == {"Outside the": ["Guía de verificación"]}


def test_before_approval_an_activity_moves_without_a_reason_and_keeps_its_status(client, plan, session):
    workshop = plan["workshop"]
    data = {"on": "2026-03-24", "version": str(workshop.version), "next": f"/partnerships/{SLUG}/plan"}
    response = client.post(f"/plan/activities/{workshop.id}/move", data=data, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"/partnerships/{SLUG}/plan"
    session.expire_all()
    moved = session.get(Activity, workshop.id)
    assert (moved.status, moved.starts_at.isoformat(), moved.ends_at.isoformat()) == (
        "planned", "2026-03-24T14:00:00+00:00", "2026-03-24T22:00:00+00:00",
    )  # fmt: skip


def test_with_htmx_a_move_swaps_the_row_and_a_deliverable_says_why(client, plan, session):
    roadmap = plan["roadmap"]
    url = f"/plan/deliverables/{roadmap.id}/move"
    refused = client.post(url, data={"on": "2026-07-31", "version": str(roadmap.version)}, headers=HX)
    assert refused.status_code == 422 and refused.text.lstrip().startswith('<tr class="plan-item deliverable')
    assert "This field is required." in refused.text and "<details open>" in refused.text.replace("\n", "")
    data = {"on": "2026-07-31", "version": str(roadmap.version), "reason": "Waiting for the emission factors."}
    moved = client.post(url, data=data, headers=HX)
    assert moved.status_code == 200 and "Moved to Jul 31, 2026." in moved.text and "<html" not in moved.text
    reason = session.exec(
        select(AuditEvent.reason).where(AuditEvent.entity == "deliverable", AuditEvent.action == "update")
    ).one()
    assert reason == "Waiting for the emission factors."


def test_a_move_from_a_page_read_before_someone_else_saved_is_refused(client, plan):
    roadmap = plan["roadmap"]
    data = {"on": "2026-07-31", "version": str(roadmap.version - 1 or 99), "reason": "Late data."}
    response = client.post(f"/plan/deliverables/{roadmap.id}/move", data=data, headers=HX)
    assert response.status_code == 409 and "Someone else saved this record" in response.text


def test_after_approval_a_move_without_a_reason_is_refused_on_its_field(client, admin_client, plan, session):
    assert admin_client.post(f"/partnerships/{SLUG}/baselines", data={}, follow_redirects=False).status_code == 303
    workshop = plan["workshop"]
    url = f"/plan/activities/{workshop.id}/move"
    refused = client.post(url, data={"on": "2026-03-24", "version": str(workshop.version)})
    assert refused.status_code == 422 and "<html" in refused.text  # the area's page, the row's form open
    assert re.search(r'id="a\d+-activity-\d+-move-error">This field is required.<', refused.text)
    api = client.post(url, data={"on": "2026-03-24", "version": str(workshop.version)}, headers=HX)
    assert api.status_code == 422
    moved = client.post(
        url,
        data={"on": "2026-03-24", "version": str(workshop.version), "reason": "Room taken."},
        follow_redirects=False,
    )
    assert moved.status_code == 303
    session.expire_all()
    assert session.get(Activity, workshop.id).status == "postponed"  # once approved, a move is a postponement


def test_without_javascript_drop_asks_on_a_confirmation_page_then_cancels(client, plan, session):
    workshop = plan["workshop"]
    page = client.get(
        f"/plan/activities/{workshop.id}/drop", params={"reason": "", "next": f"/partnerships/{SLUG}/plan/mrv"}
    )
    assert page.status_code == 200 and "Cancel the activity “MRV workshop”?" in page.text
    assert "The baseline comparison lists it as dropped, with your reason." in page.text
    assert session.get(Activity, workshop.id).status == "planned"
    url = f"/plan/activities/{workshop.id}/drop"
    refused = client.post(url, data={"reason": "", "next": f"/partnerships/{SLUG}/plan/mrv"})
    assert refused.status_code == 422 and 'id="reason-error"' in refused.text
    done = client.post(
        url,
        data={"reason": "Merged with the June training.", "next": f"/partnerships/{SLUG}/plan/mrv"},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == f"/partnerships/{SLUG}/plan/mrv"
    session.expire_all()
    assert session.get(Activity, workshop.id).status == "cancelled"
    assert "MRV workshop" not in client.get(f"/partnerships/{SLUG}/plan").text


def test_with_htmx_a_deliverable_is_dropped_in_its_row_saying_why(client, plan, session):
    roadmap = plan["roadmap"]
    url = f"/plan/deliverables/{roadmap.id}/drop"
    refused = client.post(url, data={"reason": " "}, headers=HX)
    assert (
        refused.status_code == 422
        and refused.text.lstrip().startswith("<tr")
        and "This field is required." in refused.text
    )
    dropped = client.post(url, data={"reason": "The ministry publishes it itself."}, headers=HX)
    assert dropped.status_code == 200 and "was dropped from the plan" in dropped.text
    session.expire_all()
    assert session.get(Deliverable, roadmap.id).status == "cancelled"
    event = session.exec(
        select(AuditEvent).where(AuditEvent.entity == "deliverable", AuditEvent.action == "status")
    ).one()
    assert event.reason == "The ministry publishes it itself."
    again = client.post(url, data={"reason": "Twice"}, headers=HX)
    assert again.status_code == 409  # a cancelled deliverable cannot be dropped again


def test_what_is_done_no_longer_moves(client, plan, session):
    training = plan["training"]
    with time_machine.travel("2026-07-20T12:00Z", tick=False):
        client.post(f"/activities/{training.id}/held", data={"outcomes_en": "Twenty people trained."})
        response = client.post(f"/plan/activities/{training.id}/move", data={"on": "2026-08-01"}, headers=HX)
    assert response.status_code == 409 and "Held" in response.text
    page = client.get(f"/partnerships/{SLUG}/plan/mrv").text
    assert "Done: it no longer moves." in page

"""Amendments to the term: an administrator records one (the term's end follows, and every page that reads
it), removes the latest after a confirmation page (the end before it comes back), each change audited."""

import re
from datetime import date

import pytest
import time_machine
from sqlmodel import select

from tests.conftest import SLUG
from tests.steering.conftest import PERIOD
from tracker.models import Amendment, AuditEvent, Partnership

PAGE = f"/admin/partnerships/{SLUG}/amendments"
TODAY = "2026-10-02T15:00Z"
EXTENSION = {
    "signed_on": "2026-09-15",
    "ends_on": "2027-11-11",
    "text_url": "https://www.miambiente.gob.pa/mde-carb-enmienda-1.pdf",
    "summary_es": "Prórroga de seis meses para completar el registro de emisiones.",
    "summary_en": "",
}


@pytest.fixture
def admin(login, make_user):
    return login(make_user("admin"))


def _current_end(session, mou) -> date:
    session.expire_all()
    return session.get(Partnership, mou.id).ends_on


def _days_left(client) -> int:
    # The overview's own sentence under the term's timeline.
    found = re.search(
        r"of the term has elapsed; ([\d,]+) days? (?:are|is) left", client.get(f"/partnerships/{SLUG}").text
    )
    return int(found.group(1).replace(",", ""))


def test_an_extension_moves_the_terms_end_and_the_overview_follows(admin, session, mou):
    with time_machine.travel(TODAY, tick=False):
        assert _days_left(admin) == (date(2027, 5, 11) - date(2026, 10, 2)).days
        form = admin.get(PAGE).text
        current = form.split('name="current_end" value="')[1].split('"')[0]
        response = admin.post(PAGE, data=EXTENSION | {"current_end": current}, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == f"{PAGE}?saved=recorded"
        assert _days_left(admin) == (date(2027, 11, 11) - date(2026, 10, 2)).days
        page = admin.get(f"{PAGE}?saved=recorded").text
    assert current == "2027-05-11" and _current_end(session, mou) == date(2027, 11, 11)
    amendment = session.exec(select(Amendment)).one()
    assert (amendment.previous_ends_on, amendment.ends_on, amendment.signed_on) == (
        date(2027, 5, 11), date(2027, 11, 11), date(2026, 9, 15),
    )  # fmt: skip
    assert "The amendment is recorded: the term now ends on Nov 11, 2027." in page
    assert "Prórroga de seis meses" in page and EXTENSION["text_url"] in page
    trail = session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert ("amendment", "create") in {(e.entity, e.action) for e in trail}
    term = next(e for e in trail if e.entity == "partnership" and e.action == "update")
    assert term.changes["ends_on"] == ["2027-05-11", "2027-11-11"] and term.actor_name == "Admin User"


def test_a_shorter_term_is_allowed_and_says_what_now_falls_after_it(
    admin, session, mou, make_activity, make_deliverable
):
    make_activity(title_en="Closing workshop", start_local="2027-04-20T09:00", end_local="2027-04-20T17:00")
    make_deliverable(title_en="Final report", due_on="2027-05-01")
    with time_machine.travel(TODAY, tick=False):
        response = admin.post(PAGE, data=EXTENSION | {"ends_on": "2027-03-31", "current_end": "2027-05-11"})
    assert response.status_code == 200  # followed to the page
    assert _current_end(session, mou) == date(2027, 3, 31)
    assert "1 activity is dated after the end of the term." in response.text
    assert "1 open deliverable is due after the end of the term." in response.text


def test_removing_the_latest_asks_first_and_restores_the_previous_end(admin, session, mou):
    with time_machine.travel(TODAY, tick=False):
        admin.post(PAGE, data=EXTENSION | {"current_end": "2027-05-11"})
        second = EXTENSION | {"signed_on": "2026-10-01", "ends_on": "2028-01-31", "current_end": "2027-11-11"}
        assert admin.post(PAGE, data=second, follow_redirects=False).status_code == 303
        latest = session.exec(select(Amendment).order_by(Amendment.id.desc())).first()
        confirm = admin.get(f"{PAGE}/remove")
        assert confirm.status_code == 200
        assert "Remove the latest amendment?" in confirm.text
        assert "The term ends on Nov 11, 2027 again (it ends on Jan 31, 2028 now)" in confirm.text
        assert f'name="amendment_id" value="{latest.id}"' in confirm.text
        no_reason = admin.post(f"{PAGE}/remove", data={"amendment_id": str(latest.id), "reason": " "})
        assert no_reason.status_code == 422 and _current_end(session, mou) == date(2028, 1, 31)
        removed = admin.post(f"{PAGE}/remove", data={"amendment_id": str(latest.id), "reason": "Recorded twice"},
                             follow_redirects=False)  # fmt: skip
        assert removed.status_code == 303 and removed.headers["location"] == f"{PAGE}?saved=removed"
        assert _days_left(admin) == (date(2027, 11, 11) - date(2026, 10, 2)).days
    assert _current_end(session, mou) == date(2027, 11, 11)
    assert len(session.exec(select(Amendment)).all()) == 1
    events = session.exec(select(AuditEvent).where(AuditEvent.reason == "Recorded twice")).all()
    assert {(e.entity, e.action) for e in events} == {("amendment", "delete"), ("partnership", "update")}


def test_a_stale_removal_or_recording_is_refused(admin, session, mou):
    with time_machine.travel(TODAY, tick=False):
        admin.post(PAGE, data=EXTENSION | {"current_end": "2027-05-11"})
        first = session.exec(select(Amendment)).one()
        admin.post(
            PAGE, data=EXTENSION | {"signed_on": "2026-10-01", "ends_on": "2028-01-31", "current_end": "2027-11-11"}
        )
        stale = admin.post(f"{PAGE}/remove", data={"amendment_id": str(first.id), "reason": "Wrong one"})
        assert stale.status_code == 409 and "only the latest one can be removed" in stale.text
        # A form opened before the second amendment: its end no longer the term's.
        late = admin.post(PAGE, data=EXTENSION | {"signed_on": "2026-10-02", "current_end": "2027-11-11"})
    assert late.status_code == 409 and "it now ends on Jan 31, 2028" in late.text
    assert _current_end(session, mou) == date(2028, 1, 31) and len(session.exec(select(Amendment)).all()) == 2


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"ends_on": "2025-05-01"}, "ends_on", "The new end must be after the start of the term (May 12, 2025)."),
        ({"ends_on": "2025-05-12"}, "ends_on", "The new end must be after the start of the term (May 12, 2025)."),
        ({"ends_on": "2101-01-01"}, "ends_on", "Enter a date between Jan 1, 2000 and Dec 31, 2100."),
        ({"signed_on": "2026-10-03"}, "signed_on", "An amendment is recorded once it is signed"),
        (
            {"signed_on": "2025-01-01"},
            "signed_on",
            "An amendment cannot be signed before the MOU itself (May 12, 2025).",
        ),
        ({"signed_on": ""}, "signed_on", "Enter a date as YYYY-MM-DD."),
        ({"text_url": "javascript:alert(1)"}, "text_url", "Enter a full link starting with http:// or https://."),
        ({"summary_es": " "}, "summary_es", "Write it in Spanish, in English, or in both."),
    ],
)
def test_invalid_input_gets_a_message_under_its_field(admin, session, mou, changes, field, message):
    with time_machine.travel(TODAY, tick=False):
        response = admin.post(PAGE, data=EXTENSION | {"current_end": "2027-05-11"} | changes)
    assert response.status_code == 422
    error = response.text.split(f'id="{field}-error">')[1].split("</p>")[0]
    assert message in error
    assert _current_end(session, mou) == date(2027, 5, 11) and session.exec(select(Amendment)).first() is None


def test_an_amendment_signed_before_the_latest_is_refused(admin, session, mou):
    with time_machine.travel(TODAY, tick=False):
        admin.post(PAGE, data=EXTENSION | {"current_end": "2027-05-11"})
        response = admin.post(PAGE, data=EXTENSION | {"signed_on": "2026-09-01", "current_end": "2027-11-11"})
    assert response.status_code == 422 and "The latest amendment was signed on Sep 15, 2026" in response.text


def test_the_steering_report_lists_the_amendments(admin, client, mou):
    with time_machine.travel(TODAY, tick=False):
        admin.post(PAGE, data=EXTENSION | {"current_end": "2027-05-11"})
        page = client.get(f"/partnerships/{SLUG}/steering?{PERIOD}").text
    term = page[page.index('id="term-title"') :].split("</section>")[0]
    assert "the term runs from May 12, 2025 to Nov 11, 2027" in term
    assert "Sep 15, 2026" in term and "was May 11, 2027" in term and "Prórroga de seis meses" in term
    assert f'href="{EXTENSION["text_url"]}"' in term


def test_nothing_to_remove_is_a_404_and_the_page_is_for_administrators(admin, client, mou):
    assert admin.get(f"{PAGE}/remove").status_code == 404
    assert admin.post(f"{PAGE}/remove", data={"amendment_id": "1", "reason": "x"}).status_code == 404
    assert client.get(PAGE).status_code == 403  # a program manager
    assert client.post(PAGE, data=EXTENSION).status_code == 403


def test_reloading_the_mou_file_keeps_the_amended_end(admin, session, mou):
    from tracker.config import DEFAULT_SEED
    from tracker.partnerships.seed import load_seed, read_seed

    with time_machine.travel(TODAY, tick=False):
        current = admin.get(PAGE).text.split('name="current_end" value="')[1].split('"')[0]
        assert admin.post(PAGE, data=EXTENSION | {"current_end": current}, follow_redirects=False).status_code == 303
    assert _current_end(session, mou) == date(2027, 11, 11)
    load_seed(session, read_seed(DEFAULT_SEED))
    session.commit()
    assert _current_end(session, mou) == date(2027, 11, 11)

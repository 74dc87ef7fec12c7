"""The executive summary of a period: written by managers in one language or both, shown to each reader in
theirs (or marked as another's), kept in the audit trail, never overwritten unseen."""

from io import BytesIO

import time_machine
from pypdf import PdfReader
from sqlmodel import select

from tests.conftest import SLUG
from tests.steering.conftest import ASKED_ON, PERIOD
from tracker.models import AuditEvent, PeriodSummary

FORM = f"/partnerships/{SLUG}/steering/summary?{PERIOD}"


def _summary_part(html: str) -> str:
    return html[html.index('id="summary-title"') :].split("</section>")[0]


def test_a_summary_written_in_spanish_only_shows_marked_to_an_english_reader(client, session, mou):
    with time_machine.travel(ASKED_ON, tick=False):
        form = client.get(FORM)
        assert form.status_code == 200 and 'name="summary_es"' in form.text and 'name="seen" value=""' in form.text
        saved = client.post(FORM, data={"seen": "", "summary_es": "Se aceptó la **guía MRV**.", "summary_en": ""},
                            follow_redirects=False)  # fmt: skip
        assert saved.status_code == 303
        assert saved.headers["location"] == f"/partnerships/{SLUG}/steering?start=2026-07-01&end=2026-09-30&saved=1"
        english = _summary_part(client.get(f"/partnerships/{SLUG}/steering?{PERIOD}&lang=en").text)
        spanish = _summary_part(client.get(f"/partnerships/{SLUG}/steering?{PERIOD}&lang=es").text)
        other_period = _summary_part(client.get(f"/partnerships/{SLUG}/steering?start=2026-04-01&end=2026-06-30").text)
    assert '<div lang="es"><p>Se aceptó la <strong>guía MRV</strong>.</p>' in english
    assert 'class="lang-tag"' in english and ">ES</abbr>" in english
    assert "Se aceptó la <strong>guía MRV</strong>." in spanish and "lang-tag" not in spanish
    assert "Se aceptó" not in other_period  # a summary belongs to its own period
    stored = session.exec(select(PeriodSummary)).one()
    assert (stored.summary_en, stored.summary_es) == ("", "Se aceptó la **guía MRV**.")
    event = session.exec(select(AuditEvent).where(AuditEvent.entity == "period_summary")).one()
    assert event.action == "create" and event.actor_name == "Manager User"


def test_the_pdf_marks_a_summary_written_in_another_language(client, mou):
    with time_machine.travel(ASKED_ON, tick=False):
        client.post(FORM, data={"seen": "", "summary_es": "Resumen solo en español.", "summary_en": ""})
        pdf = client.get(f"/partnerships/{SLUG}/steering.pdf?{PERIOD}&lang=en").content
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert "Resumen solo en español." in text and "ES · Spanish" in text


def test_a_summary_with_neither_language_is_refused_on_both_boxes(client, session, mou):
    with time_machine.travel(ASKED_ON, tick=False):
        response = client.post(FORM, data={"seen": "", "summary_es": "  ", "summary_en": ""})
    assert response.status_code == 422
    assert response.text.count("Write it in Spanish, in English, or in both.") == 2
    assert 'id="summary_en-error"' in response.text and 'id="summary_es-error"' in response.text
    assert session.exec(select(PeriodSummary)).first() is None


def test_a_save_over_someone_elses_newer_text_asks_first(client, login, make_user, session, mou):
    other = login(make_user("manager", email="other@example.org", name="Other Manager"))
    with time_machine.travel(ASKED_ON, tick=False):
        assert (
            client.post(FORM, data={"seen": "", "summary_en": "First text."}, follow_redirects=False).status_code == 303
        )
        opened = client.get(FORM).text
        seen = opened.split('name="seen" value="')[1].split('"')[0]
        assert (
            other.post(FORM, data={"seen": seen, "summary_en": "Their text."}, follow_redirects=False).status_code
            == 303
        )
        refused = client.post(FORM, data={"seen": seen, "summary_en": "My text."})
        assert refused.status_code == 409
        assert "Someone saved this summary while you were editing it" in refused.text
        assert "Their text." in refused.text and "My text." in refused.text  # theirs shown, mine kept
        again = refused.text.split('name="seen" value="')[1].split('"')[0]
        kept = client.post(FORM, data={"seen": again, "summary_en": "My text."}, follow_redirects=False)
    assert kept.status_code == 303
    session.expire_all()
    assert session.exec(select(PeriodSummary)).one().summary_en == "My text."


def test_partners_read_the_summary_but_cannot_write_it(login, make_user, client, mou):
    partner = login(make_user("partner"))
    with time_machine.travel(ASKED_ON, tick=False):
        client.post(FORM, data={"seen": "", "summary_en": "For the committee."})
        assert "For the committee." in partner.get(f"/partnerships/{SLUG}/steering?{PERIOD}").text
        assert "/steering/summary" not in partner.get(f"/partnerships/{SLUG}/steering?{PERIOD}").text
        assert partner.get(FORM).status_code == 403
        assert partner.post(FORM, data={"seen": "", "summary_en": "Mine."}).status_code == 403


def test_untrusted_text_is_escaped(client, mou):
    with time_machine.travel(ASKED_ON, tick=False):
        client.post(FORM, data={"seen": "", "summary_en": "<script>alert(1)</script> [x](javascript:alert(1))"})
        page = client.get(f"/partnerships/{SLUG}/steering?{PERIOD}").text
    summary = _summary_part(page)
    assert "<script>" not in summary and "&lt;script&gt;" in summary and 'href="javascript' not in summary

"""The certificate itself: the printable page and the PDF from one template, in the holder's language."""

from datetime import UTC, date, datetime
from io import BytesIO

from pypdf import PdfReader
from sqlalchemy import update

from tests.certificates.conftest import certificates_of, issue
from tracker.certificates.rules import date_span
from tracker.models import Activity

THIN = "\u2009"


def _text(pdf: bytes) -> list[str]:
    reader = PdfReader(BytesIO(pdf))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def test_the_pdf_is_a_real_pdf_with_the_full_name_number_and_verification_address(client, session, training, people):
    issue(client, training)
    ana = certificates_of(session)["Ana María"]
    response = client.get(f"/activities/{training.id}/certificates/{people['Ana María'].id}.pdf")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert response.headers["content-disposition"] == f'inline; filename="{ana.number}.pdf"'
    (page,) = _text(response.content)
    assert "Ana María Pérez Batista" in page  # given names and surnames, as composed
    assert ana.number in page and f"http://testserver/verify/{ana.verify_token}" in page
    assert "Diseño de mercados de carbono" in page and "17–19 de noviembre de 2026" in page  # her language
    width, height = PdfReader(BytesIO(response.content)).pages[0].mediabox[2:]
    assert (round(float(width)), round(float(height))) == (842, 595)  # A4, landscape


def test_all_of_an_activitys_certificates_come_in_one_pdf_a_page_each(client, session, training):
    issue(client, training)
    response = client.get(f"/activities/{training.id}/certificates.pdf")
    assert response.headers["content-disposition"].startswith("attachment;")
    pages = _text(response.content)
    assert len(pages) == 3
    assert ["Luis Gómez" in pages[0], "Sam Lee" in pages[1], "Ana María Pérez Batista" in pages[2]] == [True] * 3
    assert "November 17" in pages[1] and "de noviembre" in pages[2]  # each in its holder's language
    english = _text(client.get(f"/activities/{training.id}/certificates.pdf?lang=en").content)
    assert all("November 17 – 19, 2026" in page for page in english)  # (thin spaces read as spaces)


def test_a_multi_day_activity_reads_as_a_range_of_dates_in_both_languages(client, training, people):
    assert date_span(date(2026, 11, 17), date(2026, 11, 19), "es") == "17–19 de noviembre de 2026"
    assert date_span(date(2026, 11, 17), date(2026, 11, 19), "en") == f"November 17{THIN}–{THIN}19, 2026"
    assert (
        date_span(date(2026, 11, 30), date(2026, 12, 2), "es") == f"30 de noviembre{THIN}–{THIN}2 de diciembre de 2026"
    )
    assert date_span(date(2026, 12, 30), date(2027, 1, 2), "en") == f"December 30, 2026{THIN}–{THIN}January 2, 2027"
    assert date_span(date(2026, 11, 17), date(2026, 11, 17), "es") == "17 de noviembre de 2026"
    page = f"/activities/{training.id}/certificates/{people['Ana María'].id}"
    assert "<dd>17–19 de noviembre de 2026</dd>" in client.get(page).text
    assert f"<dd>November 17{THIN}–{THIN}19, 2026</dd>" in client.get(f"{page}?lang=en").text


def test_the_days_are_those_of_the_activitys_own_clock(client, session, make_activity, people, training):
    # 21:00 to 23:00 in Panama is 02:00 to 04:00 UTC the next day: still the 17th there.
    evening = make_activity(start_local="2026-11-17T21:00", end_local="2026-11-17T23:00")
    from tracker.models import Enrollment

    session.add(Enrollment(activity_id=evening.id, participant_id=people["Sam"].id, status="attended"))
    session.commit()
    page = client.get(f"/activities/{evening.id}/certificates/{people['Sam'].id}").text
    assert "<dd>November 17, 2026</dd>" in page and ">Date<" in page


def test_the_page_is_in_the_holders_language_unless_the_reader_asks(client, training, people):
    sam, ana = people["Sam"].id, people["Ana María"].id
    base = f"/activities/{training.id}/certificates"
    assert '<html lang="en">' in client.get(f"{base}/{sam}").text
    spanish = client.get(f"{base}/{ana}")
    assert '<html lang="es">' in spanish.text and spanish.headers["content-language"] == "es"
    assert 'lang="es"' in spanish.text and "Diseño de mercados de carbono" in spanish.text
    english = client.get(f"{base}/{ana}?lang=en")
    assert '<html lang="en">' in english.text and "Carbon market design" in english.text
    assert "certificate.css" in english.text and 'name="robots" content="noindex"' in english.text


def test_before_issuing_the_page_is_a_preview_without_number_or_address(client, session, training, people):
    page = client.get(f"/activities/{training.id}/certificates/{people['Sam'].id}").text
    assert "Preview: not issued yet." in page and "/verify/" not in page and "Download the PDF" not in page
    issue(client, training)
    page = client.get(f"/activities/{training.id}/certificates/{people['Sam'].id}").text
    sam = certificates_of(session)["Sam"]
    assert "Preview" not in page and sam.number in page and f"/verify/{sam.verify_token}" in page
    assert 'class="qr" src="data:image/svg+xml' in page and "Download the PDF" in page


def test_a_certificate_of_an_activity_in_year_1_or_9999_still_renders(client, session, training, people, engine):
    issue(client, training)
    for start, end in ((datetime(1, 1, 1, 5), datetime(1, 1, 3, 5)), (datetime(9999, 12, 30), datetime(9999, 12, 31))):
        start, end = start.replace(tzinfo=UTC), end.replace(tzinfo=UTC)
        with engine.begin() as conn:
            conn.execute(update(Activity).where(Activity.id == training.id).values(starts_at=start, ends_at=end))
        for path in ("", ".pdf"):
            response = client.get(f"/activities/{training.id}/certificates/{people['Sam'].id}{path}")
            assert response.status_code == 200, (start, path)
        verify = client.get(f"/verify/{certificates_of(session)['Sam'].verify_token}")
        assert verify.status_code == 200

"""Importing sign-in sheets and registration exports (CSV, XLSX): a preview first, the roster only on confirm."""

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook
from playwright.sync_api import expect
from sqlmodel import Session, select
from starlette.requests import Request

from tests.conftest import count_rows
from tests.test_browser import browser, live, open_page  # noqa: F401 - the real-browser fixtures
from tracker.i18n import gettext_for
from tracker.models import Activity, Enrollment, ImportBatch, ImportLayout, Participant
from tracker.participants import column_fields, import_routes, importing, sheets
from tracker.validation import FieldErrors

_included = False


@pytest.fixture(scope="module", autouse=True)
def _import_pages(app):
    """The import pages on the test app (app.py may not include them yet); the app's own routes afterwards."""
    global _included
    before = list(app.router.routes)
    if not _included:
        app.include_router(import_routes.router)
        _included = True
    yield
    # Leave the route table as create_app built it, for the test that checks every route's roles.
    app.router.routes[:] = before
    _included = False


HEADERS = [
    "Name", "Organization", "Position", "Sex", "Country", "Email", "Language", "Attended",
    "Days attended", "Pre-test", "Post-test", "Satisfaction",
]  # fmt: skip
# Data row index -> (column, bad value, the field the preview must blame): twelve rows that cannot be imported.
BAD = {
    10: ("Name", "", "name"),
    25: ("Email", "ana@", "email"),
    40: ("Pre-test", "150", "pre_score"),
    55: ("Satisfaction", "9", "satisfaction"),
    70: ("Sex", "x", "sex"),
    85: ("Country", "ZZ", "country"),
    100: ("Days attended", "5", "days_attended"),  # the training lasts 3 days
    115: ("Post-test", "-3", "post_score"),
    130: ("Language", "fr", "language"),
    145: ("Attended", "maybe", "status"),
    160: ("Days attended", "two", "days_attended"),
    175: ("Satisfaction", "0", "satisfaction"),
}
BAD_ROWS = {index + 2: field for index, (_, _, field) in BAD.items()}  # the header is row 1


def sign_in_rows(count: int = 500) -> list[list[str]]:
    """A sign-in sheet of `count` different people, with the BAD cells in it."""
    rows = []
    for i in range(count):
        row = [
            f"Participant {i:03d}", f"Institution {i % 7}", "Analyst", ("F", "M", "Mujer", "Hombre")[i % 4], "PA",
            f"p{i}@example.org", ("es", "en")[i % 2], ("yes", "sí", "x", "no")[i % 4], str(1 + i % 3), "40", "85",
            str(1 + i % 5),
        ]  # fmt: skip
        if i in BAD:
            column, value, _ = BAD[i]
            row[HEADERS.index(column)] = value
        rows.append(row)
    return rows


def csv_bytes(headers, rows, delimiter=",", encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(headers, rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        # Numbers as a spreadsheet stores them (2.0, 85.0), text as text.
        sheet.append([float(v) if re.fullmatch(r"\d+", v) else v for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client: TestClient, activity, content: bytes, filename: str = "sheet.csv", **kwargs):
    return client.post(f"/activities/{activity.id}/import", files={"file": (filename, content)}, **kwargs)


def confirm_form(html: str) -> tuple[str, dict]:
    """The confirm form's action and hidden fields, as the browser would send them."""
    form = re.search(r'<form method="post" action="(/imports/\d+/confirm)"[^>]*>(.*?)</form>', html, re.S)
    action, body = form.groups()
    return action, dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', body))


def confirm(client: TestClient, html: str):
    action, data = confirm_form(html)
    return client.post(action, data=data, follow_redirects=False)


def problem_rows(html: str) -> set[int]:
    return {int(n) for n in re.findall(r'<tr class="problem" data-row="(\d+)">', html)}


def chosen(html: str, column: int) -> str:
    """The field a column is mapped to on the mapping form ("" when ignored)."""
    select = re.search(rf'<select id="column_{column}" name="column_{column}".*?</select>', html, re.S).group(0)
    found = re.search(r'<option value="([^"]*)" selected>', select)
    return found.group(1) if found else ""


def batch_of(engine, html: str) -> ImportBatch:
    batch_id = int(re.search(r"/imports/(\d+)/confirm", html).group(1))
    with Session(engine) as session:
        return session.get(ImportBatch, batch_id)


@pytest.fixture
def training(make_activity):
    """A three-day technical training."""
    return make_activity(kind="technical_training", start_local="2026-03-10T09:00", end_local="2026-03-12T17:00")


def _assert_imports_500_rows(client, engine, training, content: bytes, filename: str):
    preview = upload(client, training, content, filename)
    assert preview.status_code == 200
    assert problem_rows(preview.text) == set(BAD_ROWS)
    batch = batch_of(engine, preview.text)
    assert batch.status == "preview"
    assert {p["row"]: list(p["errors"]) for p in batch.problems} == {row: [f] for row, f in BAD_ROWS.items()}
    assert len(batch.rows) == 488
    assert count_rows(engine, Enrollment) == 0  # nothing on the roster before the manager confirms

    answer = confirm(client, preview.text)
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/activities/{training.id}/roster?added=488&updated=0"
    assert count_rows(engine, Enrollment) == 488
    people = count_rows(engine, Participant)
    assert people == 488

    again = upload(client, training, content, filename)
    assert again.status_code == 200 and problem_rows(again.text) == set(BAD_ROWS)
    assert {entry["action"] for entry in batch_of(engine, again.text).rows} == {"unchanged"}
    assert "<dt>Unchanged</dt><dd>488</dd>" in again.text
    assert confirm(client, again.text).status_code == 303
    assert count_rows(engine, Enrollment) == 488
    assert count_rows(engine, Participant) == people


def test_it_previews_a_500_row_csv_lists_the_12_bad_rows_and_adds_the_rest_once(client, engine, training):
    _assert_imports_500_rows(client, engine, training, csv_bytes(HEADERS, sign_in_rows()), "sign-in.csv")


def test_it_imports_an_xlsx_workbook_the_same_way(client, engine, training):
    _assert_imports_500_rows(client, engine, training, xlsx_bytes(HEADERS, sign_in_rows()), "sign-in.xlsx")


def test_the_preview_says_why_each_row_was_refused(client, engine, training):
    preview = upload(client, training, csv_bytes(HEADERS, sign_in_rows(200)))
    english = gettext_for("en")
    problems = {
        p["row"]: importing.problem_messages(p["errors"], english) for p in batch_of(engine, preview.text).problems
    }
    assert problems[12] == {"name": "This field is required."}
    assert problems[27] == {"email": "Enter a valid email address, such as name@example.org."}
    assert problems[42] == {"pre_score": "Must be at most 100."}
    assert problems[57] == {"satisfaction": "Must be at most 5."}
    assert problems[72]["sex"].startswith("Write F or M")
    assert problems[87] == {"country": "Use a two-letter country code, such as PA or US."}
    assert problems[102] == {"days_attended": "This activity lasts 3 days."}
    assert "Must be at most 100." in preview.text and "<q>150</q>" in preview.text


def shown_to(app, engine, batch_id: int, language: str) -> str:
    """The preview of a stored batch as a viewer reading `language` opens it: nothing staged again."""
    headers = [(b"accept-language", language.encode()), (b"hx-request", b"true")]
    request = Request(
        {"type": "http", "method": "GET", "path": "/", "query_string": b"", "headers": headers, "app": app}
    )
    with Session(engine) as session:
        batch = session.get(ImportBatch, batch_id)
        layout = session.exec(select(ImportLayout)).one()
        values = {f"column_{i}": field for field, i in column_fields.guess_mapping(layout.headers).items()}
        activity = session.get(Activity, batch.activity_id)
        preview = import_routes._preview(request, session, activity=activity, batch=batch, layout=layout, values=values)
        return preview.body.decode()


def test_a_batch_uploaded_in_spanish_shows_its_problems_in_the_language_of_whoever_opens_it(
    app, client, engine, training
):
    content = csv_bytes(["Nombre", "Correo"], [["", "ana@example.org"], ["Luis", "luis@"]])
    spanish = upload(client, training, content, params={"lang": "es"})
    assert "Este campo es obligatorio." in spanish.text
    batch = batch_of(engine, spanish.text)
    # What is stored is the kind of each problem, not a sentence in the uploader's language.
    assert {p["row"]: p["errors"] for p in batch.problems} == {2: {"name": ["blank", {}]}, 3: {"email": ["email", {}]}}
    english = shown_to(app, engine, batch.id, "en")
    assert "This field is required." in english and "Enter a valid email address" in english
    assert "Este campo es obligatorio." not in english
    assert "Este campo es obligatorio." in shown_to(app, engine, batch.id, "es")


def test_a_batch_staged_with_messages_shows_them_as_they_were_written(app, client, engine, training):
    content = csv_bytes(["Name", "Email"], [["", "ana@example.org"], ["Luis", ""]])
    batch = batch_of(engine, upload(client, training, content).text)
    with Session(engine) as session:
        stored = session.get(ImportBatch, batch.id)
        stored.problems = [problem | {"errors": {"name": "Este campo es obligatorio."}} for problem in stored.problems]
        session.add(stored)
        session.commit()
    english = shown_to(app, engine, batch.id, "en")
    assert "Este campo es obligatorio." in english and problem_rows(english) == {2}
    assert importing.problem_messages({"name": "Texto guardado"}, gettext_for("en")) == {"name": "Texto guardado"}


def test_a_cp1252_csv_with_semicolons_keeps_its_accents(client, engine, session, training):
    content = "Nombre;Institución;Correo;Sexo\r\nJosé Pérez;Autoridad del Canal;jose@example.org;Masculino\r\n"
    preview = upload(client, training, content.encode("cp1252"), "inscritos.csv")
    assert preview.status_code == 200 and "José Pérez" in preview.text
    assert confirm(client, preview.text).status_code == 303
    person = session.exec(select(Participant)).one()
    assert (person.name, person.organization, person.sex) == ("José Pérez", "Autoridad del Canal", "male")


def test_a_utf8_csv_with_a_bom_is_read(client, session, training):
    content = "\ufeffNombre,Correo\nÑusta Quispe,nusta@example.org\n".encode()
    preview = upload(client, training, content)
    assert confirm(client, preview.text).status_code == 303
    assert session.exec(select(Participant.name)).one() == "Ñusta Quispe"


@pytest.mark.parametrize(
    "content, filename, text",
    [
        (b"Budget line;Amount\nTravel;1200\n", "budget.csv", "No column could be read as the participants"),
        (b"%PDF-1.4\n\x00\x01\x02binary\x00", "sheet.pdf", "Upload a CSV file or an Excel workbook (.xlsx)."),
        (b"PK\x03\x04not really a workbook", "sheet.xlsx", "Upload a CSV file or an Excel workbook (.xlsx)."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old excel", "sheet.xls", "Old Excel files (.xls) cannot be read"),
        (b"", "empty.csv", "The file is empty."),
        (b"\n \n", "blank.csv", "The file is empty."),
        (b"Ana P\xc3\xa9rez,ana@example.org\nLuis,luis@example.org\n", "no-header.csv", "The first row must name"),
        (b"Name,Email\n", "header-only.csv", "no participants under it"),
    ],
)
def test_an_unusable_file_gets_a_message_on_the_upload_form(client, engine, training, content, filename, text):
    answer = upload(client, training, content, filename)
    assert answer.status_code == 422
    assert text in answer.text and 'id="file-error"' in answer.text
    assert count_rows(engine, ImportBatch) == 0


def test_a_post_without_a_file_asks_for_one(client, training):
    answer = client.post(f"/activities/{training.id}/import", data={"note": "no file"})
    assert answer.status_code == 422 and "This field is required." in answer.text


def test_files_over_5_mb_or_5000_rows_are_refused_with_a_message(client, training):
    for size in (sheets.MAX_BYTES + 10, sheets.MAX_BYTES + 200_000):  # read and refused; refused unread
        too_big = upload(client, training, b"Name\n" + b"A" * size + b"\n")
        assert too_big.status_code == 422 and "larger than 5 MB" in too_big.text
    rows = csv_bytes(["Name"], [[f"Person {i}"] for i in range(sheets.MAX_ROWS + 1)])
    too_long = upload(client, training, rows)
    assert too_long.status_code == 422 and "more than 5000 rows" in too_long.text
    just_enough = csv_bytes(["Name"], [[f"P{i}"] for i in range(sheets.MAX_ROWS)])
    assert upload(client, training, just_enough).status_code == 200


def test_the_mapping_confirmed_once_is_proposed_for_the_same_layout(client, engine, session, training):
    headers = ["Nombre completo", "Institución", "Cargo", "Sexo", "País", "Correo", "Asistió", "Puntos encuesta"]
    first = [["Ana Pérez", "MiAMBIENTE", "Técnica", "F", "Panamá", "ana@example.org", "Sí", "5"]]
    preview = upload(client, training, csv_bytes(headers, first, delimiter=";"))
    assert [chosen(preview.text, i) for i in range(8)] == [
        "name", "organization", "position", "sex", "country", "email", "status", "",
    ]  # fmt: skip
    _, data = confirm_form(preview.text)
    # The manager reads "Puntos encuesta" as satisfaction, and leaves the position out.
    manual = data | {"column_2": "", "column_7": "satisfaction"}
    remapped = client.post(re.sub(r"confirm$", "mapping", confirm_form(preview.text)[0]), data=manual)
    assert remapped.status_code == 200 and chosen(remapped.text, 7) == "satisfaction"
    assert confirm(client, remapped.text).status_code == 303
    enrollment = session.exec(select(Enrollment)).one()
    assert enrollment.satisfaction == 5 and enrollment.status == "attended"
    assert session.exec(select(Participant.country, Participant.position)).one() == ("PA", "")

    # The same columns, spelled with other accents and case, in another file: the saved mapping comes back.
    headers_again = ["NOMBRE COMPLETO", "Institucion", "cargo", "SEXO", "Pais", "Correo", "Asistio", "Puntos Encuesta"]
    second = [["Luis Gómez", "MiAMBIENTE", "Jefe", "M", "PA", "luis@example.org", "No", "4"]]
    again = upload(client, training, xlsx_bytes(headers_again, second), "semana-2.xlsx")
    assert [chosen(again.text, i) for i in range(8)] == [
        "name", "organization", "", "sex", "country", "email", "status", "satisfaction",
    ]  # fmt: skip
    assert "imported before" in again.text
    assert count_rows(engine, ImportLayout) == 1


def test_a_mapping_without_a_name_or_with_a_field_twice_is_refused(client, engine, training):
    preview = upload(client, training, csv_bytes(["Name", "Email", "Correo"], [["Ana", "a@example.org", ""]]))
    action = confirm_form(preview.text)[0].replace("confirm", "mapping")
    layout = confirm_form(preview.text)[1]["layout"]
    no_name = client.post(action, data={"layout": layout, "column_1": "email"})
    assert no_name.status_code == 422 and "Choose the column that holds the participants" in no_name.text
    twice = client.post(action, data={"layout": layout, "column_0": "name", "column_1": "email", "column_2": "email"})
    assert twice.status_code == 422 and "Another column is already read as this field." in twice.text
    assert count_rows(engine, Enrollment) == 0


def test_people_twice_in_the_file_are_duplicates_not_errors(client, session, training):
    rows = [
        ["Ana Pérez", "MiAMBIENTE", "ana@example.org"],
        ["Ana Perez", "Otra", "ANA@example.org"],  # the same email
        ["Luis Gómez", "CARB", ""],
        ["LUIS GOMEZ", "carb", ""],  # the same name and organization
    ]
    preview = upload(client, training, csv_bytes(["Name", "Organization", "Email"], rows))
    assert problem_rows(preview.text) == set()
    assert "The same person as row 2" in preview.text and "The same person as row 4" in preview.text
    assert confirm(client, preview.text).status_code == 303
    assert sorted(session.exec(select(Participant.name)).all()) == ["Ana Pérez", "Luis Gómez"]


def test_a_batch_is_confirmed_once_and_a_discarded_one_never(client, engine, training):
    content = csv_bytes(["Name"], [["Ana"], ["Luis"]])
    preview = upload(client, training, content)
    assert confirm(client, preview.text).status_code == 303
    assert confirm(client, preview.text).status_code == 409
    assert count_rows(engine, Enrollment) == 2

    other = upload(client, training, csv_bytes(["Name"], [["Marta"]]))
    batch_id = batch_of(engine, other.text).id
    discarded = client.post(f"/imports/{batch_id}/discard", follow_redirects=False)
    assert discarded.status_code == 303 and discarded.headers["location"] == f"/activities/{training.id}/import"
    assert confirm(client, other.text).status_code == 409
    assert count_rows(engine, Enrollment) == 2
    assert batch_of(engine, other.text).status == "discarded"


def test_a_preview_made_before_the_activity_was_shortened_is_checked_again(client, session, engine, training):
    preview = upload(client, training, csv_bytes(["Name", "Days attended"], [["Ana", "3"], ["Luis", "1"]]))
    assert problem_rows(preview.text) == set()
    training.ends_at = training.starts_at.replace(hour=22)  # now a one-day workshop
    session.add(training)
    session.commit()
    answer = confirm(client, preview.text)
    assert answer.status_code == 409 and "The activity changed since this preview was made" in answer.text
    assert problem_rows(answer.text) == {2} and count_rows(engine, Enrollment) == 0
    assert confirm(client, answer.text).status_code == 303
    assert session.exec(select(Participant.name)).all() == ["Luis"]


def test_htmx_gets_the_fragment_and_browsers_the_page(client, training):
    content = csv_bytes(["Name"], [["Ana"]])
    page = upload(client, training, content)
    fragment = upload(client, training, content, headers={"HX-Request": "true"})
    assert "<html" in page.text and "<html" not in fragment.text and 'id="import-mapping"' in fragment.text
    refused = upload(client, training, b"", headers={"HX-Request": "true"})
    assert refused.status_code == 422 and "<html" not in refused.text and 'id="import-upload"' in refused.text


def test_the_upload_page_has_the_progress_script_and_works_without_it(client, training):
    html = client.get(f"/activities/{training.id}/import").text
    assert '<script src="/static/js/upload-progress.js' in html and " defer>" in html
    assert 'enctype="multipart/form-data"' in html and "<progress" in html and "<script>" not in html
    assert 'accept=".csv,.xlsx' in html and " style=" not in html
    assert 'name="csrf_token"' in html.split('id="import-upload"')[1].split(">", 1)[1][:200]
    assert client.get("/static/js/upload-progress.js").status_code == 200
    # Without JavaScript: a plain multipart POST carrying the token as a form field.
    token = client.headers.pop("X-CSRF-Token")
    answer = upload(client, training, csv_bytes(["Name"], [["Ana"]]), data={"csrf_token": token})
    assert answer.status_code == 200 and "/confirm" in answer.text


def test_a_partner_may_not_import(login, make_user, client, training, engine):
    partner = login(make_user("partner"))
    batch_id = batch_of(engine, upload(client, training, csv_bytes(["Name"], [["Ana"]])).text).id
    assert partner.get(f"/activities/{training.id}/import").status_code == 403
    assert upload(partner, training, csv_bytes(["Name"], [["Luis"]])).status_code == 403
    for action in ("mapping", "confirm", "discard"):
        assert partner.post(f"/imports/{batch_id}/{action}", data={"column_0": "name"}).status_code == 403
    assert count_rows(engine, Enrollment) == 0 and count_rows(engine, ImportBatch) == 1


def test_a_post_without_the_csrf_token_is_refused(client, training, engine):
    preview = upload(client, training, csv_bytes(["Name"], [["Ana"]]))
    client.headers.pop("X-CSRF-Token")
    assert upload(client, training, csv_bytes(["Name"], [["Luis"]])).status_code == 403
    action, data = confirm_form(preview.text)
    del data["csrf_token"]
    assert client.post(action, data=data).status_code == 403
    assert count_rows(engine, Enrollment) == 0 and count_rows(engine, ImportBatch) == 1


@pytest.mark.browser
def test_the_progress_bar_follows_the_upload_in_a_browser(open_page, live, training, engine, tmp_path):  # noqa: F811
    sheet = tmp_path / "sign-in.csv"
    rows = [[f"Person {i}", f"p{i}@example.org", "n" * 400] for i in range(4000)]
    sheet.write_bytes(csv_bytes(["Name", "Email", "Notes"], rows))  # 1.7 MB
    page = open_page()
    refused = []
    page.on("console", lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto(f"{live.url}/activities/{training.id}/import")
    page.evaluate(
        """() => { window.seen = []; document.addEventListener("htmx:xhr:progress", () => {
             const box = document.querySelector("[data-upload-status]");
             if (box) window.seen.push([!box.hidden, box.querySelector("progress").max, box.textContent.trim()]);
           }); }"""
    )
    page.set_input_files("#file", str(sheet))
    page.click("text=Upload and preview")
    page.wait_for_selector("#import-mapping")
    seen = page.evaluate("window.seen")
    # Shown while the file goes up, sized to it, then waiting for the server to check the rows.
    assert seen and all(shown for shown, _, _ in seen)
    assert seen[0][1] > 1_500_000 and seen[-1][2] == "Checking the rows…"
    assert page.url.endswith(f"/activities/{training.id}/import") and refused == []
    assert count_rows(engine, Enrollment) == 0


@pytest.mark.browser
def test_without_javascript_the_form_is_a_plain_upload(open_page, live, training, session, tmp_path):  # noqa: F811
    sheet = tmp_path / "inscritos.csv"
    sheet.write_bytes("Nombre;Institución\nJosé Pérez;MiAMBIENTE\n".encode("cp1252"))
    page = open_page(javascript=False)
    page.goto(f"{live.url}/activities/{training.id}/import")
    assert page.locator("[data-upload-status]").is_hidden()
    page.set_input_files("#file", str(sheet))
    page.click("text=Upload and preview")
    page.click("text=Add 1 person to the roster")
    expect(page).to_have_url(re.compile(rf"/activities/{training.id}/roster\?added=1&updated=0$"))
    assert session.exec(select(Participant.name)).one() == "José Pérez"


def test_unknown_batches_are_404(client):
    assert client.post("/imports/999999/confirm", data={}).status_code == 404


# The pure functions ---------------------------------------------------------------------------


def test_it_guesses_english_and_spanish_headers():
    headers = [
        "Nombre y apellido", "Nombre de la institución", "Cargo / Puesto", "Sexo (F/M)", "País", "Correo electrónico",
        "Idioma", "¿Asistió?", "Días asistidos", "Prueba inicial", "Prueba final", "Satisfacción (1-5)", "Firma",
    ]  # fmt: skip
    fields = [
        "name", "organization", "position", "sex", "country", "email", "language", "status", "days_attended",
        "pre_score", "post_score", "satisfaction",
    ]  # fmt: skip
    assert column_fields.guess_mapping(headers) == {field: i for i, field in enumerate(fields)}
    exported = ["name", "organization", "email", "status", "days_attended", "completed", "pre_score", "post_score"]
    assert column_fields.guess_mapping(exported) == {
        "name": 0, "organization": 1, "email": 2, "status": 3, "days_attended": 4, "pre_score": 6, "post_score": 7,
    }  # fmt: skip


def test_columns_are_named_as_spreadsheets_name_them():
    assert [column_fields.column_letter(i) for i in (0, 25, 26, 51, 701, 702)] == ["A", "Z", "AA", "AZ", "ZZ", "AAA"]


def test_the_layout_signature_ignores_case_accents_and_spacing():
    signature = column_fields.layout_signature(["Nombre", "Institución"])
    assert column_fields.layout_signature([" NOMBRE ", "institucion"]) == signature
    assert column_fields.layout_signature(["Institución", "Nombre"]) != signature


def test_it_reads_local_words_for_sex_attendance_language_and_country():
    assert [importing.normalized("sex", w) for w in ("F", "Mujer", "masculino", "Otro", "x")] == [
        "female", "female", "male", "another", "x",
    ]  # fmt: skip
    assert [importing.normalized("status", w) for w in ("Sí", "X", "no", "Justificado")] == [
        "attended", "attended", "absent", "excused",
    ]  # fmt: skip
    assert [importing.normalized("country", w) for w in ("pa", "Panamá", "Estados Unidos", "Narnia")] == [
        "PA", "PA", "US", "Narnia",
    ]  # fmt: skip
    assert importing.normalized("language", "Español") == "es"
    assert importing.normalized("pre_score", "85.0") == "85"


def test_it_decodes_utf8_and_falls_back_to_windows_1252():
    assert sheets.decode("Pérez".encode()) == "Pérez"
    assert sheets.decode(b"\xef\xbb\xbfP\xc3\xa9rez") == "Pérez"
    assert sheets.decode("Pérez – “ok”".encode("cp1252")) == "Pérez – “ok”"
    table = sheets.read_table("Nombre;Institución\nJosé;Ministerio, Panamá\n".encode("cp1252"), "a.csv")
    assert table.headers == ["Nombre", "Institución"] and table.rows == [(2, ["José", "Ministerio, Panamá"])]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Name,Organization,Email\nAna,MiAMBIENTE,a@example.org\n", ","),
        ("Nombre;Institución\nAna;Ministerio de Ambiente, Panamá\nLuis;CARB, California\n", ";"),
        ("Lista de asistencia, Taller MRV\n\nNombre;Institución;Correo\nAna;MiAMBIENTE;a@example.org\n", ";"),
        ('Name,Organization\n"Pérez, Ana","MiAMBIENTE; Panamá"\n', ","),
        ("Name\tEmail\nAna\ta@example.org\n", "\t"),
        ("Name\nAna\n", ","),
    ],
)
def test_it_finds_the_delimiter(text, expected):
    assert sheets.delimiter(text) == expected


def test_a_stray_cell_far_to_the_right_does_not_widen_every_row():
    table = sheets.table_from_records([(1, ["Name"]), (2, ["Ana", *[""] * 500, "stray"]), (3, ["x" * 5000])])
    assert len(table.headers) == sheets.MAX_COLUMNS and len(table.rows[0][1]) == sheets.MAX_COLUMNS
    assert len(table.rows[1][1][0]) == sheets.MAX_CELL
    with pytest.raises(FieldErrors):
        sheets.table_from_records([(1, [f"Column {i}" for i in range(sheets.MAX_COLUMNS + 1)]), (2, ["Ana"])])


def test_title_rows_above_the_column_names_are_skipped():
    records = [
        (1, ["Lista de asistencia – Taller MRV", "", ""]),
        (2, ["Nombre del evento: Taller MRV"]),
        (3, []),
        (4, ["N.º", "Nombre", "Institución", "Correo"]),
        (5, ["1", "Ana Pérez", "MiAMBIENTE", "ana@example.org"]),
    ]
    table = sheets.table_from_records(records)
    assert table.headers == ["N.º", "Nombre", "Institución", "Correo"]
    assert table.rows == [(5, ["1", "Ana Pérez", "MiAMBIENTE", "ana@example.org"])]

"""Every email carries a link to what the tracker holds about its recipient; the page behind it, in their
language, and their corrections of it."""

import re
from contextlib import closing

from sqlmodel import select

from tests.conftest import signed_in
from tests.mail.test_pipeline import INVITEE, csrf_of, tracker_with
from tests.own_data.conftest import token_for
from tracker.i18n import gettext_for
from tracker.models import AuditEvent, Participant, Person

LINK = re.compile(r"http://testserver(/my-data/[A-Za-z0-9._~-]+)")


def _footer(message) -> tuple[str, str]:
    text = message.get_body(("plain",)).get_content()
    return text, LINK.search(text).group(1)


def test_a_certificate_email_carries_the_link_in_the_participants_language_and_it_opens_their_page(
    mail_settings, smtp, session, manager, training, maria, anon, tmp_path
):
    settings = mail_settings.model_copy(update={"files_dir": tmp_path / "files"})
    with tracker_with(settings) as app, closing(signed_in(app, session, manager)) as client:
        assert client.post(f"/activities/{training.id}/certificates/issue").status_code == 200
        client.post(f"/activities/{training.id}/certificates/send")
        app.state.courier.wait()
    (message,) = smtp.inbox.to("maria@miambiente.gob.pa")
    text, path = _footer(message)
    spanish = gettext_for("es")("See or correct what we hold about you: %(url)s") % {"url": f"http://testserver{path}"}
    assert spanish in text and "Hola, María Rodríguez Batista:" in text
    assert f"Vea o corrija sus datos: http://testserver{path}" in text
    assert path.startswith(f"/my-data/participant.{maria.id}.")
    html = message.get_body(("html",)).get_content()
    assert f'href="http://testserver{path}"' in html
    page = anon.get(path)
    assert page.status_code == 200 and page.headers["content-language"] == "es"
    assert "noindex" in page.headers["x-robots-tag"] and page.headers["cache-control"] == "no-store"
    for shown in ("María Rodríguez Batista", "Analista", "MiAMBIENTE", "maria@miambiente.gob.pa", "Panamá", "Mujer",
                  "Diseño de mercados de carbono", "Asistió", "CM-2026-"):  # fmt: skip
        assert shown in page.text, shown
    assert "Sam Lee" not in page.text and "Luis" not in page.text  # nobody else's
    # The switch shows it in English.
    english = anon.get(f"{path}?lang=en")
    assert english.headers["content-language"] == "en" and "Carbon market design" in english.text


def test_an_invitation_carries_the_link_of_the_person_invited(mail_settings, smtp, session, make_user, mou, anon):
    with tracker_with(mail_settings) as app, closing(signed_in(app, session, make_user("admin"))) as admin:
        assert admin.post("/admin/users", data=INVITEE | {"partnership_id": mou.id}).status_code == 201
        app.state.courier.wait()
    (message,) = smtp.inbox.to(INVITEE["email"])
    _text, path = _footer(message)
    luis = session.exec(select(Person).where(Person.email == INVITEE["email"])).one()
    assert path.startswith(f"/my-data/person.{luis.id}.")
    page = anon.get(path)
    assert page.status_code == 200 and "Luis Gómez" in page.text and "luis@miambiente.gob.pa" in page.text
    assert page.headers["content-language"] == "es"


def test_a_forged_or_expired_link_is_a_404(settings, anon, maria, time_machine):
    token = token_for(settings, maria)
    kind, record, expires, signature = token.split(".")
    for forged in (f"{kind}.{record}.{expires}.{'a' * 32}", f"person.{record}.{expires}.{signature}", "nothing"):
        assert anon.get(f"/my-data/{forged}").status_code == 404
        assert anon.get(f"/my-data/{forged}/delete").status_code == 404
    assert anon.get(f"/my-data/{token}").status_code == 200
    time_machine.move_to("2027-11-21T15:00:00Z")
    assert anon.get(f"/my-data/{token}").status_code == 404


def _csrf(anon, path) -> str:
    return csrf_of(anon.get(path).text)


def test_a_participant_corrects_their_details_and_the_trail_names_them(
    settings, anon, session, maria, login, make_user
):
    path = f"/my-data/{token_for(settings, maria)}"
    form = {"given_names": "María José", "surnames": "Rodríguez Batista", "organization": "Ministerio de Ambiente",
            "position": "Analista de MRV", "country": "PA", "language": "en"}  # fmt: skip
    response = anon.post(path, data=form | {"csrf_token": _csrf(anon, path)}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"{path}?saved=1"
    session.expire_all()
    corrected = session.get(Participant, maria.id)
    assert (corrected.name, corrected.organization, corrected.language) == (
        "María José Rodríguez Batista", "Ministerio de Ambiente", "en"
    )  # fmt: skip
    event = session.exec(
        select(AuditEvent).where(AuditEvent.entity == "participant").order_by(AuditEvent.id.desc())
    ).first()
    assert (event.actor_id, event.actor_name) == (None, "María Rodríguez Batista (own data)")
    assert event.changes["given_names"] == ["María", "María José"]
    # In her new language, and the audit trail says who did it.
    assert "Your corrections are saved." in anon.get(f"{path}?saved=1").text
    trail = login(make_user("admin", email="admin@example.org")).get("/admin/audit?lang=en").text
    assert "María Rodríguez Batista (own data)" in trail


def test_a_refused_correction_keeps_the_input_with_each_fields_message(settings, anon, session, maria):
    path = f"/my-data/{token_for(settings, maria)}"
    form = {"given_names": "  ", "surnames": "x" * 121, "country": "XX", "language": "es", "organization": "Nueva"}
    response = anon.post(path, data=form | {"csrf_token": _csrf(anon, path)})
    assert response.status_code == 422
    assert response.text.count('class="error"') == 3 and 'value="Nueva"' in response.text
    session.expire_all()
    assert session.get(Participant, maria.id).organization == "MiAMBIENTE"


def test_a_correction_without_the_forms_token_is_refused(settings, anon, session, maria):
    path = f"/my-data/{token_for(settings, maria)}"
    assert anon.post(path, data={"given_names": "Otra"}).status_code == 403
    assert anon.post(f"{path}/delete", data={}).status_code == 403
    session.expire_all()
    assert session.get(Participant, maria.id).given_names == "María"


def test_hostile_input_is_shown_as_text(settings, anon, maria):
    path = f"/my-data/{token_for(settings, maria)}"
    form = {"given_names": "<script>alert(1)</script>", "surnames": '"><img src=x onerror=alert(2)>', "country": "",
            "language": "es", "organization": "{{ 7*7 }}"}  # fmt: skip
    assert anon.post(path, data=form | {"csrf_token": _csrf(anon, path)}).status_code == 200
    page = anon.get(path).text
    assert "<script>alert(1)" not in page and "<img src=x" not in page and "&lt;script&gt;" in page
    assert "{{ 7*7 }}" in page and "49" not in page.split("{{ 7*7 }}")[0][-5:]


def test_a_person_corrects_their_name_language_and_time_zone(settings, anon, session, make_person, make_deliverable):
    ana = make_person(name="Ana Perez", email="ana@miambiente.gob.pa")
    make_deliverable(owner_id=ana.id, title_en="MRV roadmap", title_es="Hoja de ruta MRV")
    path = f"/my-data/{token_for(settings, ana, 'person')}"
    page = anon.get(path)
    assert "Hoja de ruta MRV" in page.text and "ana@miambiente.gob.pa" in page.text
    form = {"name": "Ana Pérez", "language": "en", "timezone": "America/Los_Angeles", "organization_id": ""}
    assert anon.post(path, data=form | {"csrf_token": csrf_of(page.text)}, follow_redirects=False).status_code == 303
    session.expire_all()
    person = session.get(Person, ana.id)
    assert (person.name, str(person.language), person.timezone) == ("Ana Pérez", "en", "America/Los_Angeles")
    event = session.exec(select(AuditEvent).where(AuditEvent.entity == "person").order_by(AuditEvent.id.desc())).first()
    assert (event.actor_id, event.actor_name) == (ana.id, "Ana Perez (own data)")
    bad = anon.post(
        path, data=form | {"timezone": "Mars/Olympus", "organization_id": "999999", "csrf_token": csrf_of(page.text)}
    )
    assert bad.status_code == 422 and bad.text.count('class="error"') == 1  # the zone first; the rest after it

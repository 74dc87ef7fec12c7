"""Names as people write them: given names and surnames, from every way a sign-in sheet writes them."""

import pytest
from sqlmodel import select

from tests.participants.test_import import confirm, upload
from tracker.models import Participant
from tracker.participants import column_fields, names
from tracker.participants.importing import check_row


@pytest.fixture
def training(make_activity):
    return make_activity(kind="technical_training", start_local="2026-03-10T09:00", end_local="2026-03-12T17:00")


def spanish_excel_csv(header: list[str], rows: list[list[str]]) -> bytes:
    """A sheet as Excel in a Spanish locale saves "CSV (delimitado por comas)": semicolons, Windows-1252."""
    return "\r\n".join(";".join(cells) for cells in [header, *rows]).encode("cp1252")


def test_a_sheet_with_nombre_and_apellidos_keeps_every_full_name(client, session, training):
    people = [
        ("Marisol", "Ríos Batista"),
        ("José Luis", "Pérez de la Cruz"),
        ("María de los Ángeles", "Núñez"),
        ("Marisol", "Castillo Vega"),
        ("Iván", "Ortega"),
    ]
    rows = [[given, surnames, "MiAMBIENTE", "F"] for given, surnames in people]
    preview = upload(client, training, spanish_excel_csv(["Nombre", "Apellidos", "Institución", "Sexo"], rows))
    assert preview.status_code == 200
    assert '<option value="given_names" selected>' in preview.text  # "Nombre" beside "Apellidos" is the given name
    assert confirm(client, preview.text).status_code == 303
    stored = session.exec(select(Participant.given_names, Participant.surnames, Participant.name)).all()
    assert sorted(stored) == sorted((g, s, f"{g} {s}") for g, s in people)  # two Marisols stay two people
    roster = client.get(f"/activities/{training.id}/roster").text
    by_surname = sorted(people, key=lambda p: names.fold(p[1]))
    assert [roster.index(f"{g} {s}") for g, s in by_surname] == sorted(roster.index(f"{g} {s}") for g, s in people)


@pytest.mark.parametrize(
    ("header", "cells", "expected"),
    [
        (
            ["Nombre", "Primer apellido", "Segundo apellido"],
            ["Marisol", "Ríos", "Batista"],
            ("Marisol", "Ríos Batista"),
        ),
        (["Apellidos, Nombre"], ["Ríos Batista, Marisol"], ("Marisol", "Ríos Batista")),
        (["Apellidos y nombres"], ["RÍOS BATISTA MARISOL"], ("Marisol", "Ríos Batista")),
        (["Nombre completo"], ["Marisol Ríos Batista"], ("Marisol", "Ríos Batista")),
        (["Full name"], ["Jane Smith"], ("Jane", "Smith")),
        (["First name", "Last name"], ["Mary Ann", "O'NEILL"], ("Mary Ann", "O'Neill")),
        (
            ["Nombres", "Apellido paterno", "Apellido materno"],
            ["JOSÉ LUIS", "DE LA CRUZ", "PÉREZ"],
            ("José Luis", "de la Cruz Pérez"),
        ),
    ],
)
def test_every_way_a_sheet_writes_names_gives_given_names_and_surnames(header, cells, expected):
    mapping = column_fields.guess_mapping(header)
    person, _attendance, errors = check_row(cells, mapping, days=1)
    assert errors == {}
    assert (person["given_names"], person.get("surnames", "")) == expected


def test_the_full_name_follows_the_custom_of_the_persons_country():
    assert names.full_name("Marisol", "Ríos Batista", "PA") == "Marisol Ríos Batista"
    assert names.full_name("Min-jun", "Kim", "KR") == "Kim Min-jun"  # Gyeonggi: the family name first
    assert names.full_name("Indra", "", "ID") == "Indra"


def test_of_two_spellings_of_one_name_the_accented_properly_cased_one_is_kept():
    assert names.better_spelling("JOSE", "José") == "José"
    assert names.better_spelling("José", "JOSE") == "José"
    assert names.better_spelling("jose perez", "José Pérez") == "José Pérez"
    assert names.better_spelling("José", "Josefina") == "Josefina"  # another name, not another spelling
    assert names.tidy("MARÍA DE LOS ÁNGELES") == "María de los Ángeles"
    assert names.tidy("McDonald") == "McDonald"  # a casing someone chose is kept


def test_a_sheet_naming_people_only_by_surname_is_refused_with_a_message(client, training):
    preview = upload(client, training, spanish_excel_csv(["Apellidos", "Institución"], [["Ríos", "MiAMBIENTE"]]))
    assert preview.status_code == 422
    assert "No column could be read as the participants" in preview.text


def test_duplicates_are_proposed_by_full_name_not_by_first_name(client, session, training):
    rows = [["Marisol", "Ríos Batista", "MiAMBIENTE"], ["Marisol", "Castillo Vega", "MiAMBIENTE"]]
    preview = upload(client, training, spanish_excel_csv(["Nombre", "Apellidos", "Institución"], rows))
    confirm(client, preview.text)
    page = client.get("/participants/duplicates").text
    assert "Marisol Ríos Batista" not in page and "Marisol Castillo Vega" not in page

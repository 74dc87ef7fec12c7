def test_people_round_trip_with_a_lower_cased_email(client, orgs):
    body = {
        "name": "Sam Lee",
        "email": "Sam.Lee@ARB.ca.gov",
        "timezone": "America/Los_Angeles",
        "organization_id": orgs["CARB"].id,
    }
    created = client.post("/api/v1/people", json=body)
    assert created.status_code == 201
    person = created.json()
    assert person["email"] == "sam.lee@arb.ca.gov" and person["language"] == "en"
    changed = client.patch(f"/api/v1/people/{person['id']}", json={"language": "es", "version": person["version"]})
    assert changed.json()["language"] == "es" and changed.json()["name"] == "Sam Lee"
    assert client.get("/api/v1/people", params={"q": "sam.lee"}).json()["total"] == 1
    assert client.get("/api/v1/people/999").status_code == 404


def test_partnerships_and_areas_are_listed_created_and_updated(login, make_user, mou, orgs):
    client = login(make_user("admin"))
    listed = client.get("/api/v1/partnerships").json()
    assert [p["slug"] for p in listed["items"]] == ["carb-miambiente-2025"]
    areas = client.get("/api/v1/areas", params={"partnership": "carb-miambiente-2025"}).json()
    assert areas["total"] == 7
    body = {
        "slug": "carb-example-2026",
        "title_en": "Example",
        "title_es": "Ejemplo",
        "signed_on": "2026-01-10",
        "starts_on": "2026-01-10",
        "ends_on": "2028-01-09",
        "party_ids": [orgs["CARB"].id],
    }
    created = client.post("/api/v1/partnerships", json=body)
    assert created.status_code == 201
    assert client.post("/api/v1/partnerships", json=body).status_code == 422  # slug taken
    area = client.post(
        "/api/v1/areas",
        json={"partnership_id": created.json()["id"], "number": 1, "slug": "mrv", "name_en": "MRV", "name_es": "MRV"},
    )
    assert area.status_code == 201
    renamed = client.patch(f"/api/v1/areas/{area.json()['id']}", json={"name_es": "Medición", "version": 1})
    assert renamed.json()["name_es"] == "Medición"
    bad_term = client.patch("/api/v1/partnerships/carb-example-2026", json={"ends_on": "2025-01-01", "version": 1})
    assert bad_term.status_code == 422


def test_the_openapi_schema_lists_every_api_route(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/v1/activities",
        "/api/v1/deliverables",
        "/api/v1/people",
        "/api/v1/partnerships",
        "/api/v1/areas",
        "/healthz",
    ):
        assert path in paths

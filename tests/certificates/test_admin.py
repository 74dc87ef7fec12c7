"""Signatories and logos, set by administrators; images told by their content, stored once by it."""

import pytest
from sqlmodel import select

from tests.certificates.conftest import image_bytes, issue
from tests.conftest import SLUG, count_rows
from tracker.models import PartnershipLogo, Signatory, StoredFile
from tracker.storage import LocalFileStore, sha256_of

PAGE = f"/admin/partnerships/{SLUG}/certificates"


@pytest.fixture
def admin(login, make_user):
    return login(make_user("admin", email="admin@example.org"))


def _add_signatory(admin, orgs, name, organization="MiAMBIENTE", image=None, **fields):
    data = {"name": name, "title_es": "Ministro de Ambiente", "organization_id": orgs[organization].id} | fields
    files = {"image": ("firma.png", image if image is not None else image_bytes(), "image/png")}
    return admin.post(f"/admin/partnerships/{SLUG}/signatories", data=data, files=files, follow_redirects=False)


def test_an_admin_sets_signatories_and_logos_and_certificates_show_them_in_order(
    admin, client, orgs, session, training, people, files
):
    assert _add_signatory(admin, orgs, "Juan Carlos Navarro").status_code == 303
    second = _add_signatory(admin, orgs, "Liane Randolph", "CARB", title_en="Chair", title_es="")
    assert second.status_code == 303
    logo = image_bytes("JPEG", (300, 120), "CARB")
    for alt in ("CARB", "MiAMBIENTE"):
        files_ = {"image": ("logo.jpg", logo if alt == "CARB" else image_bytes(text=alt), "image/jpeg")}
        assert admin.post(f"/admin/partnerships/{SLUG}/logos", data={"alt_text": alt}, files=files_).status_code == 200
    page = admin.get(PAGE).text
    assert page.index("Juan Carlos Navarro") < page.index("Liane Randolph")
    assert 'alt="Signature of Juan Carlos Navarro"' in page and "data:image/png;base64," in page
    randolph = session.exec(select(Signatory).where(Signatory.name == "Liane Randolph")).one()
    moved = admin.post(f"/admin/partnerships/{SLUG}/signatories/{randolph.id}/move", data={"direction": "up"})
    assert moved.status_code == 200 and "The order is saved." in moved.text
    assert moved.text.index("Liane Randolph") < moved.text.index("Juan Carlos Navarro")
    issue(client, training)
    certificate = client.get(f"/activities/{training.id}/certificates/{people['Sam'].id}").text
    assert certificate.index("Liane Randolph") < certificate.index("Juan Carlos Navarro")
    assert "Chair" in certificate and "California Air Resources Board" in certificate
    assert 'lang="es">Ministro de Ambiente' in certificate  # written in Spanish only: said so
    assert certificate.index('alt="CARB"') < certificate.index('alt="MiAMBIENTE"')
    # Each image once in the store, under its SHA-256.
    assert count_rows(session.get_bind(), StoredFile) == 3  # one signature image (twice), two logos
    assert files.read(sha256_of(logo)) == logo


def test_an_upload_that_is_not_a_png_or_jpeg_is_refused_whatever_its_name(admin, orgs, engine, files):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00"
    truncated = image_bytes()[:60]
    for content, message in (
        (b"this is not an image, only named .png", "told by its content"),
        (svg, "SVG included"),
        (gif, "told by its content"),
        (truncated, "could not be read"),
        (image_bytes("JPEG")[:-40], "could not be read"),
        (image_bytes("PNG", (5200, 20)), "at most 5000 pixels on each side"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * (2 * 1024 * 1024), "larger than 2 MB"),
    ):
        response = _add_signatory(admin, orgs, "Juan Carlos Navarro", image=content)
        assert response.status_code == 422 and 'id="image-error"' in response.text, message
        assert message in response.text
        assert 'value="Juan Carlos Navarro"' in response.text  # the rest of the input kept
    logo = admin.post(
        f"/admin/partnerships/{SLUG}/logos", data={"alt_text": ""}, files={"image": ("x.png", b"", "image/png")}
    )
    assert logo.status_code == 422 and 'id="alt_text-error"' in logo.text and "Choose a PNG or JPEG image." in logo.text
    assert count_rows(engine, Signatory) == count_rows(engine, PartnershipLogo) == count_rows(engine, StoredFile) == 0
    assert not files.root.exists() or not any(files.root.rglob("*"))  # nothing half-written


def test_field_errors_come_back_together_and_store_nothing(admin, engine):
    response = admin.post(f"/admin/partnerships/{SLUG}/signatories", data={"name": "", "organization_id": "999"})
    assert response.status_code == 422
    for field in ("name", "title_en", "title_es", "organization_id"):
        assert f'id="{field}-error"' in response.text
    assert count_rows(engine, Signatory) == 0


def test_removing_a_signatory_asks_first(admin, orgs, session, client, training, people):
    _add_signatory(admin, orgs, "Juan Carlos Navarro")
    signatory = session.exec(select(Signatory)).one()
    url = f"/admin/partnerships/{SLUG}/signatories/{signatory.id}/remove"
    page = admin.get(url)
    assert page.status_code == 200 and "Juan Carlos Navarro (MiAMBIENTE)" in page.text
    assert f'action="{url}"' in page.text and 'name="csrf_token"' in page.text
    assert count_rows(session.get_bind(), Signatory) == 1  # asking removed nothing
    assert admin.post(url, follow_redirects=False).status_code == 303
    assert count_rows(session.get_bind(), Signatory) == 0
    assert "Juan Carlos Navarro" not in client.get(f"/activities/{training.id}/certificates/{people['Sam'].id}").text
    assert client.get(PAGE).status_code == 403  # managers do not set them


def test_the_store_keeps_each_file_once_under_its_sha256(tmp_path):
    store = LocalFileStore(tmp_path)
    sha256 = store.put(b"logo bytes")
    assert sha256 == sha256_of(b"logo bytes") and store.put(b"logo bytes") == sha256
    assert (tmp_path / sha256[:2] / sha256[2:]).read_bytes() == b"logo bytes"
    assert store.read(sha256) == b"logo bytes" and store.exists(sha256)
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [sha256[2:]]  # no temporary file left
    assert not store.exists("0" * 64) and not store.exists("../../etc/passwd")
    with pytest.raises(ValueError):
        store.read("../" + sha256[3:])
    with pytest.raises(FileNotFoundError):
        store.read("0" * 64)


def test_an_upload_without_javascript_carries_the_csrf_token_in_the_form(admin, orgs, engine):
    token = admin.headers.pop("X-CSRF-Token")
    assert _add_signatory(admin, orgs, "Juan Carlos Navarro").status_code == 403  # no token: refused
    assert count_rows(engine, Signatory) == 0
    assert _add_signatory(admin, orgs, "Juan Carlos Navarro", csrf_token=token).status_code == 303
    assert count_rows(engine, Signatory) == 1

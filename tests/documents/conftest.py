"""Documents' fixtures: a file store of the test's own, and real files of each kind, made here (a PDF by
WeasyPrint, a PNG by Pillow, an .xlsx by openpyxl, a .docx and an .odt as their zip packages), with the
hostile ones a browser would run (HTML, SVG)."""

import zipfile
from io import BytesIO

import pytest
from openpyxl import Workbook
from PIL import Image, ImageDraw
from weasyprint import HTML

from tests.test_browser import browser, live  # noqa: F401 (the shared Chromium and live server)
from tracker.storage import LocalFileStore

HTML_WITH_SCRIPT = (
    b"<!doctype html><html><head><title>agenda</title></head><body><h1>Agenda</h1>"
    b"<script>document.title = 'ran'; window.ran = true; fetch('/ran-html');</script></body></html>"
)
SVG_WITH_ONLOAD = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" '
    b'onload="document.title = \'ran\'; fetch(\'/ran-svg\')"><rect width="10" height="10"/></svg>'
)


@pytest.fixture(autouse=True)
def files(app, tmp_path):
    """Uploaded files go to this test's folder, never to the repository's data/."""
    store = app.state.file_store = LocalFileStore(tmp_path / "files")
    yield store
    del app.state.file_store


def pdf_bytes(text: str = "Informe técnico del taller MRV") -> bytes:
    """A real one-page PDF."""
    return HTML(string=f"<h1>{text}</h1><p>Ministerio de Ambiente de Panamá — CARB</p>").write_pdf()


def png_bytes(text: str = "Taller") -> bytes:
    """A small real PNG photo."""
    image = Image.new("RGB", (120, 80), "white")
    ImageDraw.Draw(image).text((10, 30), text, fill="black")
    out = BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def xlsx_bytes() -> bytes:
    """A real workbook, as a sign-in sheet exported from Excel."""
    book = Workbook()
    sheet = book.active
    sheet.append(["Nombre", "Apellidos", "Organización"])
    sheet.append(["José", "Pérez Batista", "MiAMBIENTE"])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _package(first: tuple[str, str], *entries: tuple[str, str], stored_first: bool = False) -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        info = zipfile.ZipInfo(first[0])
        info.compress_type = zipfile.ZIP_STORED if stored_first else zipfile.ZIP_DEFLATED
        package.writestr(info, first[1])
        for name, content in entries:
            package.writestr(name, content)
    return out.getvalue()


def docx_bytes() -> bytes:
    """A minimal Word document, as its Open XML package."""
    types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'wordprocessingml.document.main+xml"/></Types>'
    )
    return _package(("[Content_Types].xml", types), ("_rels/.rels", "<Relationships/>"),
                    ("word/document.xml", "<w:document/>"))  # fmt: skip


def odt_bytes() -> bytes:
    """A minimal OpenDocument text: its `mimetype` entry first, stored."""
    return _package(("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", "<x/>"),
                    stored_first=True)  # fmt: skip


def zip_bytes() -> bytes:
    """A ZIP archive of photos: accepted by no one, whatever it is named."""
    return _package(("fotos/taller-1.jpg", "not really a photo"), ("fotos/taller-2.jpg", "nor this one"))

"""Handing a document's file out: as the type detected at upload (never what a browser claimed), shown
inline only when browsers show that type without running anything (PDF and images), downloaded
otherwise, in a sandbox either way, to those who may see its partnership."""

import re
import unicodedata
from pathlib import PurePosixPath
from urllib.parse import quote

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from tracker.api import PathId
from tracker.auth import ViewerDep
from tracker.db import SessionDep
from tracker.documents import detection
from tracker.documents import service as document_service
from tracker.errors import NotFound
from tracker.i18n import N_
from tracker.models import Document
from tracker.storage import file_store

router = APIRouter(include_in_schema=False)
StoreDep = Depends(file_store)
# Whatever the file holds runs nothing on this site: no script, no plugin, no form, no frame, no other origin
# (the sandbox makes the document an origin of its own). Images and Chromium's PDF viewer still show.
DOCUMENT_CSP = (
    "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
    "frame-ancestors 'none'; form-action 'none'; base-uri 'none'"
)
_NOT_ASCII_SAFE = re.compile(r"[^A-Za-z0-9._()\- ]+")


def download_name(document: Document) -> str:
    """The name a file is saved under: its own, ending as its type does (`report.exe` holding a PDF is
    saved as `report.exe.pdf`)."""
    name = document_service.clean_filename(document.filename)
    endings = detection.EXTENSIONS.get(document.content_type)
    if endings and PurePosixPath(name).suffix.lower() not in endings:
        name += endings[0]
    return name


def content_disposition(disposition: str, filename: str) -> str:
    """`inline` or `attachment`, with the name as plain ASCII and, when it has more, as UTF-8 (RFC 6266
    and 5987): `Informe_técnico.pdf` reaches every browser whole, and no name can break the header."""
    clean = document_service.clean_filename(filename)
    folded = "".join(c for c in unicodedata.normalize("NFKD", clean) if not unicodedata.combining(c))
    folded = folded.encode("ascii", "replace").decode("ascii")
    fallback = re.sub(r"_+", "_", _NOT_ASCII_SAFE.sub("_", folded)).strip(" _") or "document"
    header = f'{disposition}; filename="{fallback}"'
    if fallback != clean:
        header += f"; filename*=UTF-8''{quote(clean, safe='')}"
    return header


def file_response(store, document: Document, *, inline: bool) -> Response:
    """The document's bytes with the headers that keep them inert."""
    try:
        data = store.read(document.sha256)
    except FileNotFoundError:
        raise NotFound(N_("This document's file is missing from the file store.")) from None
    shown = inline and detection.shown_inline(document.content_type)
    headers = {
        "Content-Disposition": content_disposition("inline" if shown else "attachment", download_name(document)),
        "Content-Security-Policy": DOCUMENT_CSP,
        "X-Content-Type-Options": "nosniff",
        "Cross-Origin-Resource-Policy": "same-origin",
        # Sign-in sheets carry names: nothing is kept in shared caches or on the disk of a shared computer.
        "Cache-Control": "private, no-store",
    }
    return Response(data, media_type=document.content_type, headers=headers)


@router.get("/documents/{document_id}", name="document")
def document_file(document_id: PathId, session: SessionDep, viewer: ViewerDep, store=StoreDep):
    document = document_service.get_document_or_404(session, document_id, viewer)
    return file_response(store, document, inline=True)


@router.get("/documents/{document_id}/download", name="document_download")
def document_download(document_id: PathId, session: SessionDep, viewer: ViewerDep, store=StoreDep):
    document = document_service.get_document_or_404(session, document_id, viewer)
    return file_response(store, document, inline=False)


def urls(document: Document) -> dict[str, str]:
    """Where a document is shown and downloaded."""
    return {"url": f"/documents/{document.id}", "download_url": f"/documents/{document.id}/download"}

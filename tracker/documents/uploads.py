"""Reading a document upload within the size limit, on the way in.

`UploadLimit` caps the body of every document upload at the limit and the form around it: past that the
body ends, closed as a multipart message, and the request is marked, so no more of it is ever read into a
temporary file, whichever part of the app reads the form first (the CSRF check reads a form sent without
JavaScript). `read_upload` then gives the route the form's fields and the file, or why there is none.
"""

import re
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

# Room for the multipart envelope and the text fields around a file of the largest size allowed.
FORM_OVERHEAD = 64 * 1024
TOO_LARGE = "document_upload_too_large"
MB = 1024 * 1024
# Where documents are uploaded: pages and the API.
UPLOAD_PATH = re.compile(r"^/(?:api/v1/)?(?:(?:activities|deliverables)/\d+|partnerships/[^/]+)/documents$")
_BOUNDARY = re.compile(rb'boundary="?([^";,\s]+)"?', re.IGNORECASE)
CHUNK = 256 * 1024


def max_bytes_of(request: Request) -> int:
    """The largest document this tracker accepts (TRACKER_MAX_UPLOAD_MB)."""
    return request.app.state.settings.max_upload_mb * MB


class UploadLimit:
    """Pure ASGI: the body of a document upload stops at `max_bytes` and the form around it."""

    def __init__(self, app, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "POST" or not UPLOAD_PATH.match(scope["path"]):
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])
        boundary = _BOUNDARY.search(headers.get(b"content-type", b""))
        if boundary is None or not headers.get(b"content-type", b"").lower().startswith(b"multipart/form-data"):
            return await self.app(scope, receive, send)
        allowed = self.max_bytes + FORM_OVERHEAD
        declared = headers.get(b"content-length", b"")
        # Announced too large: only the fields before the file (the CSRF token first) are read.
        budget = FORM_OVERHEAD if declared.isdigit() and int(declared) > allowed else allowed
        closing = b"\r\n--" + boundary.group(1) + b"--\r\n"
        received, cut = 0, False

        async def limited_receive():
            nonlocal received, cut
            if cut:
                return {"type": "http.request", "body": b"", "more_body": False}
            message = await receive()
            if message["type"] != "http.request":
                return message
            body = message.get("body", b"")
            if received + len(body) <= budget:
                received += len(body)
                return message
            cut = True
            scope.setdefault("state", {})[TOO_LARGE] = True
            return {"type": "http.request", "body": body[: budget - received] + closing, "more_body": False}

        await self.app(scope, limited_receive, send)


@dataclass(frozen=True)
class Upload:
    """An upload form's text fields and its one file (None when none came), or why it was refused unread."""

    values: dict = field(default_factory=dict)
    filename: str | None = None
    data: bytes | None = None
    refusal: tuple[str, dict] | None = None  # (message kind of tracker.validation, its context)


async def read_upload(request: Request) -> Upload:
    """The fields and the file of a document upload, read on the event loop (FormDep reads no files)."""
    max_bytes = max_bytes_of(request)
    too_large = ("document_too_large", {"max_mb": max_bytes // MB})
    try:
        form = await request.form(max_files=1, max_fields=20)
    except HTTPException:  # a malformed multipart body, or more than one file
        return Upload(refusal=("document_unreadable", {}))
    values = {key: value for key, value in form.multi_items() if isinstance(value, str)}
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        refusal = too_large if request.scope.get("state", {}).get(TOO_LARGE) else None
        return Upload(values=values, refusal=refusal)
    try:
        if request.scope.get("state", {}).get(TOO_LARGE):
            return Upload(values=values, refusal=too_large)
        chunks, size = [], 0
        while size <= max_bytes and (chunk := await upload.read(CHUNK)):
            chunks.append(chunk)
            size += len(chunk)
    finally:
        await upload.close()  # its spooled temporary file: nobody else closes a form read by hand
    if size > max_bytes:
        return Upload(values=values, refusal=too_large)
    data = b"".join(chunks)
    if not upload.filename and not data:
        return Upload(values=values)  # the browser's empty part when no file was chosen
    return Upload(values=values, filename=_sent_name(upload.filename), data=data)


def _sent_name(name: str | None) -> str | None:
    # Browsers write a name's quote, CR and LF as %22, %0D and %0A in the part's header (HTML's form
    # encoding): the quote comes back, the line breaks go (tracker.documents.service.clean_filename).
    return name.replace("%22", '"').replace("%0D", "").replace("%0A", "") if name else name


UploadDep = Annotated[Upload, Depends(read_upload)]

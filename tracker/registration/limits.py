"""Pure ASGI: the public registration forms (and personal links) accept bodies of at most 64 KB, refused
before anything reads them (the CSRF check parses forms first)."""

import re

from tracker.i18n import gettext_for
from tracker.registration.rules import MAX_BODY_BYTES
from tracker.validation import N_

PUBLIC_PATH = re.compile(r"^/(register|my-registration)/")
TOO_LARGE = N_("The form sent is too large. Shorten the texts and send it again.")


class BodyLimit:
    """Refuse (413) a POST to a public registration address whose body is over `max_bytes`."""

    def __init__(self, app, max_bytes: int = MAX_BODY_BYTES):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "POST" or not PUBLIC_PATH.match(scope["path"]):
            return await self.app(scope, receive, send)
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            return await _refuse(send)
        # Read it all here (it is small, or refused): a body sent in chunks is counted too.
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return await self.app(scope, receive, send)  # the client left: nothing to answer
            body = message.get("body", b"")
            size += len(body)
            if size > self.max_bytes:
                return await _refuse(send)
            chunks.append(body)
            more = message.get("more_body", False)
        replayed = False

        async def replay():
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": b"".join(chunks), "more_body": False}

        await self.app(scope, replay, send)


async def _refuse(send) -> None:
    # Both languages: nothing has been read that would say which one the person reads.
    text = "\n".join(gettext_for(language)(TOO_LARGE) for language in ("es", "en")).encode()
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(text)).encode())]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": text})

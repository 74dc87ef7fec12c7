"""Documents printed on the server (WeasyPrint): HTML and a stylesheet in, PDF bytes out, nothing fetched
from the network or this machine's files on the way."""

from collections.abc import Callable, Iterable
from pathlib import Path

from starlette.responses import Response
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# A source of bytes a document may embed besides data URIs: (scheme, read(url) -> (bytes, content type)).
Source = tuple[str, Callable[[str], tuple[bytes, str]]]


class LockedFetcher(URLFetcher):
    """What WeasyPrint may read for a document: data URIs and the `sources` named, nothing else (a link
    someone typed into a text, an image address in a stylesheet, a `file:` path)."""

    def __init__(self, sources: Iterable[Source] = ()):
        self.sources = dict(sources)
        super().__init__(allowed_protocols=("data", *self.sources))

    def fetch(self, url, headers=None):
        scheme = url.partition(":")[0].lower()
        if scheme in self.sources:
            data, content_type = self.sources[scheme](url)
            return URLFetcherResponse(url, data, {"Content-Type": content_type})
        if scheme == "data":
            return super().fetch(url, headers)
        raise ValueError(f"not fetched for a document: {url[:80]}")


def write_pdf(html: str, stylesheet: Path, sources: Iterable[Source] = ()) -> bytes:
    """The HTML as PDF, styled by `stylesheet` (the page size and margins are the stylesheet's)."""
    document = HTML(string=html, url_fetcher=LockedFetcher(sources))
    return document.write_pdf(stylesheets=[CSS(filename=str(stylesheet))])


def pdf_response(data: bytes, filename: str, language: str, disposition: str = "inline") -> Response:
    """A PDF answer: shown in the browser (`inline`) or saved (`attachment`), its language named."""
    headers = {"Content-Disposition": f'{disposition}; filename="{filename}"', "Content-Language": language}
    return Response(data, media_type="application/pdf", headers=headers)

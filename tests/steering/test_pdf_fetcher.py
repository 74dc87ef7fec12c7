"""tracker/pdf.py: a document reads data URIs and the sources it names, never the network or a file."""

import base64

import pytest

from tracker.pdf import LockedFetcher

PIXEL = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")


def test_it_reads_data_uris_and_named_sources_only():
    fetcher = LockedFetcher([("tracker-file", lambda url: (PIXEL, "image/png"))])
    assert fetcher.fetch("tracker-file:abc123").read() == PIXEL
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"
    for url in ("http://example.org/logo.png", "https://example.org/x.css", "file:///etc/passwd", "ftp://x/y"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)

"""Logos and signatures as uploaded: PNG or JPEG only, told by their content (never by their name), and
decoded once before anything is stored. SVG is refused: it can carry scripts."""

import warnings
from io import BytesIO

from PIL import Image, UnidentifiedImageError

MAX_BYTES = 2 * 1024 * 1024
MAX_SIDE = 5000  # pixels: a signature or a logo needs far fewer; a larger one is a mistake or a bomb
# The first bytes of each format we keep, and what it is served as.
MAGIC = {b"\x89PNG\r\n\x1a\n": ("PNG", "image/png"), b"\xff\xd8\xff": ("JPEG", "image/jpeg")}


class ImageRefused(ValueError):
    """An upload that is not a usable PNG or JPEG; `kind` names the message (tracker.certificates.forms)."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


def content_type_of(data: bytes) -> str:
    """The content type of an uploaded logo or signature, checked from its bytes; ImageRefused otherwise."""
    if not data:
        raise ImageRefused("image_missing")
    if len(data) > MAX_BYTES:
        raise ImageRefused("image_too_large")
    found = next((found for magic, found in MAGIC.items() if data.startswith(magic)), None)
    if found is None:
        raise ImageRefused("image_type")
    expected_format, content_type = found
    # WeasyPrint lets Pillow read truncated images (a process-wide switch): wholeness is checked here on
    # its own, PNG by its chunks' checksums, JPEG by its end marker.
    if expected_format == "JPEG" and b"\xff\xd9" not in data[-64:]:
        raise ImageRefused("image_unreadable")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data)) as image:
                if image.format != expected_format:
                    raise ImageRefused("image_type")
                if max(image.size) > MAX_SIDE:
                    raise ImageRefused("image_dimensions")
                if expected_format == "PNG":
                    image.verify()
            with Image.open(BytesIO(data)) as image:
                image.load()  # decodes every pixel: a corrupt file fails here, not in a PDF
    except ImageRefused:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ImageRefused("image_dimensions") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise ImageRefused("image_unreadable") from None
    return content_type

"""What an uploaded file is, told by its bytes (libmagic), never by its name or by what the browser claims.

The type detected is the one stored and served. Whether it is accepted is the deployment's list
(`Settings.upload_types`); whether a browser may show it rather than download it is decided here, once.
"""

import magic
from babel.lists import format_list

from tracker.documents.kinds import ODF, OOXML, TYPE_NAMES
from tracker.i18n import translate

# Shown in the browser (with a sandbox that runs nothing); everything else is always downloaded.
INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"})
# Plain text libmagic mistakes for a program's source now and then ("#include" in minutes reads as C).
# They are kept as what they are: text. Scripts it recognizes (shell, Python…) stay what they are, refused.
PROSE_LOOKALIKES = frozenset(
    {"text/x-c", "text/x-c++", "text/x-asm", "text/x-algol68", "text/x-fortran", "text/x-pascal", "text/x-tex",
     "text/troff", "text/x-makefile", "text/x-m4", "text/x-diff"}
)  # fmt: skip
ALIASES = {"application/csv": "text/csv", "text/x-csv": "text/csv", "image/jpg": "image/jpeg"}

# The endings a downloaded file of each type should have; the first is added when its name lacks one.
EXTENSIONS = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg", ".jpe"),
    "image/gif": (".gif",),
    "image/webp": (".webp",),
    OOXML + "wordprocessingml.document": (".docx",),
    OOXML + "spreadsheetml.sheet": (".xlsx",),
    OOXML + "presentationml.presentation": (".pptx",),
    ODF + "text": (".odt",),
    ODF + "spreadsheet": (".ods",),
    ODF + "presentation": (".odp",),
    "text/csv": (".csv", ".txt", ".tsv"),
    "text/plain": (".txt", ".csv", ".tsv", ".md", ".text"),
}


class Refused(ValueError):
    """An upload whose content is of a type not accepted; `content_type` is what libmagic read."""

    def __init__(self, content_type: str):
        super().__init__(content_type)
        self.content_type = content_type


def detect(data: bytes) -> str:
    """The content type of these bytes as libmagic reads them (lower case, without parameters)."""
    found = magic.from_buffer(data, mime=True) or "application/octet-stream"
    found = found.split(";", 1)[0].strip().lower()
    return ALIASES.get(found, found)


def checked_type(data: bytes, allowed) -> str:
    """The type to store these bytes as, when `allowed` admits it; Refused otherwise."""
    found = detect(data)
    if found in PROSE_LOOKALIKES and "text/plain" in allowed:
        found = "text/plain"
    if found not in allowed:
        raise Refused(found)
    return found


def shown_inline(content_type: str) -> bool:
    """Whether a browser may show this type itself (else it is only ever downloaded)."""
    return content_type in INLINE_TYPES


def type_name(content_type: str, language: str) -> str:
    """A type in the reader's words ("PDF", "página HTML"), or as it is written when it has none."""
    name = TYPE_NAMES.get(content_type)
    return translate(name, {}, language) if name else content_type


def allowed_names(allowed, language: str) -> str:
    """The accepted types, named once each, as a list in the reader's language."""
    names = list(dict.fromkeys(type_name(content_type, language) for content_type in allowed))
    return format_list(names, locale=language)


def accept_attribute(allowed) -> str:
    """A file input's `accept` hint for these types (the server decides by content all the same)."""
    endings = [ending for content_type in allowed for ending in EXTENSIONS.get(content_type, ())]
    return ",".join(dict.fromkeys([*endings, *allowed]))


def explained(errors: dict, allowed, language: str) -> dict:
    """Refusals of an upload with the types named in the reader's words (for their messages)."""
    shown = dict(errors)
    if "file" in shown and shown["file"][0] == "document_type":
        context = dict(shown["file"][1])
        context |= {"what": type_name(context.get("type", ""), language), "allowed": allowed_names(allowed, language)}
        shown["file"] = ("document_type", context)
    return shown

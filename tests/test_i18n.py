import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tracker.config import ROOT
from tracker.i18n import catalog_path, negotiate
from tracker.validation import MESSAGES

PLACEHOLDER = re.compile(r"\{[a-z_]+\}|%\([a-z_]+\)[sd]")


def _extracted() -> set[str]:
    """Every msgid the code and templates use, extracted as `make messages` does."""
    method_map = [("tracker/**.py", "python"), ("templates/**.html", "jinja2"), ("templates/**.txt", "jinja2")]
    jinja = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}
    options = {"templates/**.html": jinja, "templates/**.txt": jinja}
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "Nn_": (1, 2)}
    found = set()
    # Unlike Babel's default, enter folders starting with "_": none may hide strings.
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT),
        method_map,
        options,
        keywords=keywords,
        directory_filter=lambda path: not Path(path).name.startswith("."),
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def _catalog(language):
    with catalog_path(language).open("rb") as fp:
        return read_po(fp, locale=language)


def test_every_string_in_the_code_is_translated_to_spanish():
    catalog = _catalog("es")
    missing = []
    for msgid in sorted(_extracted()):
        entry = catalog.get(msgid)
        strings = entry.string if entry and isinstance(entry.string, tuple) else (entry.string if entry else "",)
        if entry is None or entry.fuzzy or not all(strings):
            missing.append(msgid)
    assert missing == [], "run `make messages` and translate these in es/messages.po"


def test_spanish_translations_keep_their_placeholders():
    for entry in _catalog("es"):
        if not entry.id:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        allowed = {frozenset(PLACEHOLDER.findall(i)) for i in ids}
        for string in strings:
            assert frozenset(PLACEHOLDER.findall(string)) in allowed, (entry.id, string)


def test_every_error_message_is_extracted():
    singulars = {getattr(entry, "singular", entry) for entry in MESSAGES.values()}
    assert singulars <= _extracted()


@pytest.mark.parametrize(
    "query, cookie, header, expected",
    [
        ("es", None, "en", "es"),
        (None, "es", "en-US,en;q=0.9", "es"),
        (None, None, "es-PA,es;q=0.9,en;q=0.8", "es"),
        (None, None, "fr-FR, en;q=0.5, es;q=0.8", "es"),
        (None, None, "de", "en"),
        ("xx", "yy", "es;q=0", "en"),
        (None, None, None, "en"),
    ],
)
def test_it_picks_the_language_from_query_then_cookie_then_header(query, cookie, header, expected):
    assert negotiate(query, cookie, header) == expected

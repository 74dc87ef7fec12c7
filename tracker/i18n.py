"""Languages: catalogs, locale negotiation, and bilingual record fields."""

from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

if TYPE_CHECKING:  # only a type here: emails and the sweep use this module without the web framework
    from starlette.requests import Request


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated where it is shown."""
    return message


@dataclass(frozen=True)
class Plural:
    """A message with a count: its English singular and plural, and the context key holding the count."""

    singular: str
    plural: str
    count: str


def Nn_(singular: str, plural: str, count: str) -> Plural:  # noqa: N802 - named like N_, which it pairs with
    """Mark a message with a count for extraction; translated by the language's plural rules where shown."""
    return Plural(singular, plural, count)


def translate(message: str | Plural, context: dict, language: str) -> str:
    """A marked message in a language, its placeholders filled, a count by the language's plural rules."""
    catalog = translations(language)
    if isinstance(message, Plural):
        return catalog.ngettext(message.singular, message.plural, int(context.get(message.count) or 0)).format(
            **context
        )
    return catalog.gettext(message).format(**context)


# The interface languages: adding one takes its catalog (make messages) and this line.
LANGUAGES = ("en", "es")
DEFAULT_LANGUAGE = "en"
LANGUAGE_COOKIE = "lang"
CATALOG_DIR = Path(__file__).resolve().parent / "translations"


def catalog_path(language: str) -> Path:
    """Where a language's editable catalog lives."""
    return CATALOG_DIR / language / "LC_MESSAGES" / "messages.po"


@cache
def translations(language: str) -> Translations:
    """The compiled catalog of a language, built in memory from its .po file.

    Compiling on load keeps the .po the only source: no stale .mo can ship.
    """
    with catalog_path(language).open("rb") as fp:
        catalog = read_po(fp, locale=language)
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer)


def _accept_language(header: str) -> str | None:
    """The best of our languages in an Accept-Language header, honouring q-values."""
    ranked = []
    for index, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, index, primary))
    return min(ranked)[2] if ranked else None


def negotiate(query: str | None, cookie: str | None, accept: str | None, person: str | None = None) -> str:
    """Pick the language: ?lang=, the cookie, the signed-in person's, Accept-Language, English."""
    for choice in (query, cookie, person):
        if choice in LANGUAGES:
            return choice
    return _accept_language(accept or "") or DEFAULT_LANGUAGE


def request_language(request: "Request") -> str:
    """The language negotiated for a request (cached on its state)."""
    language = getattr(request.state, "language", None)
    if language is None:
        viewer = getattr(request.state, "viewer", None)
        language = negotiate(
            request.query_params.get("lang"),
            request.cookies.get(LANGUAGE_COOKIE),
            request.headers.get("accept-language"),
            viewer.language if viewer is not None else None,
        )
        request.state.language = language
    return language


def gettext_for(language: str):
    """The gettext function of a language."""
    return translations(language).gettext


def babel_locale(language: str) -> Locale:
    """Babel's Locale for one of our languages."""
    return Locale.parse(language)


@cache
def language_name(code: str, in_language: str) -> str:
    """A language's name in another (or its own) language: "Spanish", "español"."""
    name = babel_locale(in_language).languages.get(code, code)
    return name[:1].upper() + name[1:] if in_language == code else name


def autonym(code: str) -> str:
    """A language named in its own words, as a language switch shows it: "English", "Español"."""
    return language_name(code, code)


def in_language(record, field: str, language: str) -> tuple[str, str]:
    """A bilingual field as a reader of `language` gets it: (text, the language it is written in).

    Their own language when written in it, else another one (records need only one); ("", language)
    when none is written. The one place this is decided: pages, exports, feeds and emails all ask here.
    """
    for code in (language, *(code for code in LANGUAGES if code != language)):
        value = getattr(record, f"{field}_{code}", None)
        if value:
            return value, code
    return "", language


def localized(record, field: str, language: str) -> str:
    """A bilingual field's text for a reader of `language` (see `in_language`), unmarked."""
    return in_language(record, field, language)[0]


def marked(record, field: str, language: str) -> str:
    """A bilingual field as plain text (exports, feeds, emails): another language's text carries its code,
    "[EN] Carbon market workshop", so a reader knows it was not written in theirs."""
    text, written_in = in_language(record, field, language)
    return f"[{written_in.upper()}] {text}" if text and written_in != language else text

"""The Jinja environment that pages and emails share: autoescaping, gettext in the language being
rendered, and the filters that need no request. No web framework here, so the reminder sweep renders
emails without the app."""

from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from tracker.config import ROOT
from tracker.i18n import DEFAULT_LANGUAGE, LANGUAGES, autonym, in_language, language_name, translations
from tracker.labels import status_label
from tracker.markdown import render_markdown
from tracker.own_data.names import shown_name

_language: ContextVar[str] = ContextVar("language", default=DEFAULT_LANGUAGE)


def current_language() -> str:
    """The language of the template being rendered."""
    return _language.get()


def gettext(message: str) -> str:
    """A message in the language being rendered."""
    return translations(_language.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """A message with a count, in the language being rendered, by its plural rules."""
    return translations(_language.get()).ngettext(singular, plural, n)


@contextmanager
def rendering_in(language: str):
    """Render (and translate) in `language` within this block."""
    token = _language.set(language)
    try:
        yield
    finally:
        _language.reset(token)


def text_in(record, field: str, markdown: bool = False, limit: int | None = None) -> Markup:
    """A bilingual field in HTML for the reader: in their language, or in another one marked as such
    (`lang` for screen readers and a small "EN"/"ES" tag for everyone); Markdown fields rendered; a
    `limit` shortens the text to about that many characters (a preview)."""
    reader = _language.get()
    text, written_in = in_language(record, field, reader)
    if limit is not None and len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0].rstrip() + "…"
    body = render_markdown(text) if markdown else escape(text)
    if not text or written_in == reader:
        return Markup(body)
    tag = Markup('<abbr class="lang-tag" title="{}">{}</abbr>').format(
        language_name(written_in, reader), written_in.upper()
    )
    if markdown:  # a block: its tag above it
        return Markup('<p class="lang-note">{}</p><div lang="{}">{}</div>').format(tag, written_in, body)
    return Markup('<span lang="{}">{}</span> {}').format(written_in, body, tag)


def make_environment(templates_dir: Path = ROOT / "templates") -> Environment:
    """Templates with autoescaping, gettext, and the filters every template may use."""
    env = Environment(
        loader=FileSystemLoader(templates_dir),
        autoescape=select_autoescape(["html", "xml"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        # Templates change only with a release (and a restart): no file check on every render.
        auto_reload=False,
    )
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    env.globals["languages"] = LANGUAGES
    # Each language named in its own words (a language switch), or in the reader's (a list of languages).
    env.globals["language_options"] = lambda: [(code, autonym(code), code) for code in LANGUAGES]
    env.filters["language_name"] = lambda code: language_name(str(code), _language.get())
    env.filters["markdown"] = render_markdown
    env.globals["text_in"] = text_in
    env.filters["label_of"] = lambda code: status_label(code, gettext)
    # A participant's or person's name; an anonymised one's marker in the reader's words.
    env.filters["person_name"] = lambda name: shown_name(name, gettext)
    return env


@cache
def shared_environment() -> Environment:
    """The environment of templates rendered outside any request (emails)."""
    return make_environment()


def render_template(template: str, context: dict, language: str, env: Environment | None = None) -> str:
    """Render a template in a language."""
    with rendering_in(language):
        return (env or shared_environment()).get_template(template).render(context)

"""Long text written as Markdown, rendered to HTML that an allowlist has cleaned."""

from functools import cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a",
    "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td", "del",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
SCHEMES = {"http", "https", "mailto"}


@cache
def _parser() -> MarkdownIt:
    # No raw HTML: what people type as tags is shown as text. Headings start at h3 under page titles.
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True}).enable("table")
    parser.enable("strikethrough")
    return parser


def _shift_headings(html: str) -> str:
    for level in (6, 5, 4, 3, 2, 1):
        target = min(level + 2, 6)
        html = html.replace(f"<h{level}>", f"<h{target}>").replace(f"</h{level}>", f"</h{target}>")
    return html


def render_markdown(text: str | None) -> Markup:
    """Safe HTML for a Markdown text: allowlisted tags, links only to http, https and mailto."""
    if not text:
        return Markup("")
    html = _shift_headings(_parser().render(text))
    cleaned = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(cleaned)

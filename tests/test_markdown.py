from html.parser import HTMLParser

import pytest

from tracker.markdown import render_markdown


def test_markdown_renders_lists_emphasis_and_links():
    html = str(render_markdown("**Agreed**:\n\n- an MRV roadmap\n- [the slides](https://example.org/slides.pdf)"))
    assert "<strong>Agreed</strong>" in html and "<li>an MRV roadmap</li>" in html
    assert '<a href="https://example.org/slides.pdf" rel="noopener noreferrer nofollow">the slides</a>' in html


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        "[click](data:text/html,<script>alert(1)</script>)",
        '<a href="javascript:alert(1)">x</a>',
        "<iframe src=https://evil.example></iframe>",
        "[x](vbscript:msgbox(1))",
    ],
)
def test_no_markup_that_can_run_survives(text):
    elements = _elements(str(render_markdown(text)))
    assert not {tag for tag, _ in elements} & {"script", "img", "iframe"}
    for _tag, attrs in elements:
        assert not [name for name in attrs if name.startswith("on")]
        assert not attrs.get("href", "").startswith(("javascript", "data", "vbscript"))


def _elements(html: str) -> list[tuple[str, dict]]:
    found = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))

    Collect().feed(html)
    return found


def test_mailto_links_are_kept_and_headings_sit_below_the_page_title():
    html = str(render_markdown("# Outcomes\n\nWrite to [the team](mailto:mrv@example.org)"))
    assert "<h3>Outcomes</h3>" in html and 'href="mailto:mrv@example.org"' in html

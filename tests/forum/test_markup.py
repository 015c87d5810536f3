"""The one Markdown pipeline: what it renders, what it never lets through."""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from community.markup import ALLOWED_TAGS, mention_token, quote, render

PAYLOADS = [
    line
    for line in (Path(__file__).parent / "xss_payloads.txt").read_text().splitlines()
    if line.strip()
]
SAFE_SCHEMES = {"http", "https", "mailto", ""}


class Inspector(HTMLParser):
    """Collects every tag and attribute of rendered HTML, as a browser parses it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]


def inspect(html: str) -> Inspector:
    inspector = Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector


def scheme_of(url: str) -> str:
    # Browsers ignore control characters and whitespace inside a scheme.
    cleaned = re.sub(r"[\x00-\x20]", "", url).lower()
    return urlsplit(cleaned).scheme


def assert_safe(html: str) -> None:
    found = inspect(html)
    assert set(found.tags) <= ALLOWED_TAGS, set(found.tags) - ALLOWED_TAGS
    for tag, name, value in found.attributes:
        assert not name.startswith("on"), (tag, name, value)
        assert name not in {"style", "srcdoc", "formaction", "background"}, name
        if name in {"href", "src"}:
            assert scheme_of(value) in SAFE_SCHEMES, (tag, name, value)
        if tag == "img" and name == "src":
            assert value.startswith("/forum/anhang/"), value
    assert "<script" not in html.lower()


def test_the_corpus_is_large_enough_to_mean_something():
    assert len(PAYLOADS) >= 60


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_script_handler_or_foreign_scheme_survives(payload):
    assert_safe(render(payload).html)


@pytest.mark.django_db
def test_all_payloads_in_one_post_stay_harmless():
    assert_safe(render("\n\n".join(PAYLOADS)).html)


@pytest.mark.django_db
def test_markdown_formatting_is_rendered():
    html = render(
        "## Ergebnis\n\n**fett** und *kursiv*, `code`\n\n> Zitat\n\n- eins\n- zwei\n\n"
        "| A | B |\n|---|--:|\n| 1 | 2 |"
    ).html
    assert "<h3>Ergebnis</h3>" in html  # headings sit below the page's own
    assert "<strong>fett</strong>" in html and "<em>kursiv</em>" in html
    assert "<code>code</code>" in html
    assert "<blockquote>" in html and "<li>eins</li>" in html
    assert "<table>" in html and '<td align="right">2</td>' in html


@pytest.mark.django_db
def test_raw_html_is_shown_as_text_not_markup():
    html = render("Bitte <b>nicht</b> fett").html
    assert "<b>" not in html
    assert "&lt;b&gt;nicht&lt;/b&gt;" in html


@pytest.mark.django_db
def test_links_get_rel_nofollow_ugc_noopener_noreferrer():
    html = render("[Konzept](https://example.org/bus) und https://example.org/roh").html
    links = [a for a in inspect(html).attributes if a[1] == "rel"]
    assert len(links) == 2
    assert all(value == "nofollow ugc noopener noreferrer" for *_, value in links)


@pytest.mark.django_db
def test_images_only_from_the_platforms_own_uploads():
    html = render(
        "![Plan](/forum/anhang/7/plan.png) ![fremd](https://cdn.example/x.png)"
    )
    assert '<img alt="Plan" src="/forum/anhang/7/plan.png">' in html.html
    assert "cdn.example" not in html.html


@pytest.mark.django_db
def test_mentions_link_the_member_and_are_reported(make_member):
    jonas = make_member(name="Jonas Peer")
    rendered = render(f"Danke {mention_token(jonas)} und @**Jonas Peer**!")
    assert rendered.mentioned == [jonas]
    assert f'<a class="mention" href="/mitglieder/{jonas.pk}/">@Jonas Peer</a>' in (
        rendered.html
    )


@pytest.mark.django_db
def test_ambiguous_or_unknown_names_mention_nobody(make_member):
    make_member(name="Anna Muster")
    make_member(name="Anna Muster")
    rendered = render("Hallo @**Anna Muster** und @**Niemand Bekannt**")
    assert rendered.mentioned == []
    assert 'class="mention"' not in rendered.html


@pytest.mark.django_db
def test_mentions_of_deactivated_members_are_plain_text(make_member):
    gone = make_member(name="Alt Konto", is_active=False)
    assert render(mention_token(gone)).mentioned == []


def test_quote_marks_every_line_and_names_the_author():
    assert quote("Anna", "Zeile eins\nZeile zwei") == (
        "> **Anna:**\n> Zeile eins\n> Zeile zwei\n\n"
    )

"""The platform's one Markdown pipeline: forum posts, articles and chat messages.

Markdown is rendered once, when the text is saved, and the stored HTML is what
pages show. Raw HTML in the source is never passed through: Python-Markdown's
HTML handling is switched off (it appears as text), and bleach then cleans the
result with a small allowlist as a second line of defence.
"""

from __future__ import annotations

import html as html_lib
import re
import secrets
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import partial
from urllib.parse import unquote

import bleach
import markdown
from bleach.css_sanitizer import CSSSanitizer
from bleach.linkifier import LinkifyFilter
from django.urls import reverse

from accounts.models import User

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li",
        "h3", "h4", "a", "img", "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener noreferrer"
# Images only from the platform's own attachments (never another origin):
# exactly an attachment's address, the forum's or the chat's (each served
# after its own permission check): /forum/anhang/<id>/<name> or
# /chat/anhang/<id>/<name>, the name in URL characters only (no query,
# fragment, backslash, space or control character, which browsers would drop
# or reinterpret).
ATTACHMENT_URL = re.compile(
    r"/(?:forum|chat)/anhang/[0-9]{1,12}/[A-Za-z0-9._~!$&'()*+,;=:@%-]+"
)

# Zulip's mention syntax: @**Full Name**, or @**Full Name|42** for namesakes.
MENTION = re.compile(r"@\*\*(?P<name>[^*|\n]{1,150}?)(?:\|(?P<id>\d{1,12}))?\*\*")
HEADING = re.compile(r"<(/?)h([1-6])>")


@dataclass
class Rendered:
    html: str
    mentioned: list[User] = field(default_factory=list)


def is_attachment_url(value: str) -> bool:
    """Whether an image source is an attachment's address and nothing else.

    Browsers resolve "..", "%2e%2e" and "%2E." segments before they request,
    so "/forum/anhang/../../meine-daten/export/" would fetch the reader's
    data export. The address must have the attachment shape as written, and
    its name, decoded, must be one plain path segment.
    """
    if not ATTACHMENT_URL.fullmatch(value):
        return False
    name = unquote(value.rsplit("/", 1)[1])
    return name not in {".", ".."} and not any(c in name for c in "/\\?#")


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if tag == "a":
        return name in {"href", "title"}
    if tag == "img":
        if name == "src":
            return is_attachment_url(value)
        return name in {"alt", "title"}
    if tag in {"th", "td"}:
        return name == "align" and value in {"left", "right", "center"}
    return False


def _set_rel(attrs: dict, new: bool = False) -> dict:
    attrs[(None, "rel")] = LINK_REL
    return attrs


def _markdown() -> markdown.Markdown:
    md = markdown.Markdown(
        extensions=["fenced_code", "tables", "sane_lists", "nl2br"],
        extension_configs={"tables": {"use_align_attribute": True}},
        output_format="html",
    )
    # No raw HTML: block and inline HTML become escaped text.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


class _Engine:
    """One thread's Markdown converter and bleach Cleaner (which links too).

    Neither may be shared between threads (bleach documents its Cleaner as
    not thread-safe; a Markdown instance keeps state between calls), and
    building them costs more than rendering a chat message. So every thread
    (Daphne's request threads, the chat's store thread, management commands)
    builds its own once and keeps it.
    """

    def __init__(self) -> None:
        self.markdown = _markdown()
        # Cleaning and linking in one pass: bleach.linkify() on cleaned HTML
        # escapes the text inside skipped tags a second time
        # ("&amp;lt;img&amp;gt;" in code).
        self.cleaner = bleach.sanitizer.Cleaner(
            tags=ALLOWED_TAGS,
            attributes=_allowed_attribute,
            protocols=ALLOWED_PROTOCOLS,
            strip=True,
            strip_comments=True,
            css_sanitizer=CSSSanitizer(allowed_css_properties=[]),
            filters=[
                partial(
                    LinkifyFilter,
                    callbacks=[_set_rel],
                    skip_tags={"pre", "code"},
                    parse_email=False,
                )
            ],
        )

    def convert(self, source: str) -> str:
        self.markdown.reset()
        return self.cleaner.clean(_shift_headings(self.markdown.convert(source)))


_local = threading.local()


def _engine() -> _Engine:
    """The calling thread's engine (built on first use)."""
    engine = getattr(_local, "engine", None)
    if engine is None:
        engine = _local.engine = _Engine()
    return engine


# Plain text: what most chat messages are. Text of letters, digits, spaces,
# line breaks, emoji and a little punctuation renders to paragraphs and line
# breaks and nothing else, so it skips Markdown, bleach and linkify
# (microseconds instead of half a millisecond) with the same output. Nothing
# in it is Markdown (no * _ ` [ # > | ~ + = < & \\, no list or code-block
# indent), nothing needs escaping, nothing becomes a link (a dot only ends a
# word, so no "example.org"). tests/community/test_markup_engine.py compares
# both paths on generated text.
_SUSPECT = re.compile(r"[^\w\n ,;:?!'\"()%€$§/@.\-]|_")
# Two spaces, leading or trailing spaces on a line, more than one blank line.
_LAYOUT = re.compile(r"  |\n\n\n|^ | $", re.MULTILINE)
# A dot not after a letter or digit, not before a space or line end ("a.b"),
# or after a number that starts a line ("1. item"); a dash not inside a word
# ("- item", "--").
_MARKUP_DOT_OR_DASH = re.compile(
    r"(?<![^\W_])\.|\.(?! |$)|^\d+\.|(?<![^\W_])-", re.MULTILINE
)


def _plain_characters(text: str) -> bool:
    for match in _SUSPECT.finditer(text):
        char = match[0]
        # Emoji and other pictographs pass; combining marks and controls not.
        if char == "_" or ord(char) < 0x2000 or unicodedata.category(char) != "So":
            return False
    return True


def _plain_html(source: str) -> str | None:
    """The HTML of `source` if it is plain text (see above), else None."""
    if not source or source != source.strip():
        return None
    if _LAYOUT.search(source) or _MARKUP_DOT_OR_DASH.search(source):
        return None
    if not _plain_characters(source):
        return None
    return "\n".join(
        "<p>" + paragraph.replace("\n", "<br>\n") + "</p>"
        for paragraph in source.split("\n\n")
    )


def _shift_headings(rendered: str) -> str:
    """Posts sit under the page's own h1/h2: # and ## become h3, deeper h4."""

    def level(match: re.Match) -> str:
        return f"<{match[1]}h{3 if int(match[2]) <= 3 else 4}>"

    return HEADING.sub(level, rendered)


def _resolve_mentions(source: str) -> dict[str, User]:
    """Map each mention token in `source` to the active member it names."""
    tokens = {m[0]: (m["name"].strip(), m["id"]) for m in MENTION.finditer(source)}
    if not tokens:
        return {}
    names = {name for name, _ in tokens.values()}
    candidates: dict[str, list[User]] = {}
    for user in User.objects.filter(name__in=names, is_active=True).only("pk", "name"):
        candidates.setdefault(user.name, []).append(user)
    resolved = {}
    for token, (name, user_id) in tokens.items():
        namesakes = candidates.get(name, [])
        if user_id:
            namesakes = [u for u in namesakes if str(u.pk) == user_id]
        if len(namesakes) == 1:  # ambiguous names without an id mention nobody
            resolved[token] = namesakes[0]
    return resolved


def render(source: str) -> Rendered:
    """Render member-written Markdown to safe HTML, resolving @mentions.

    Safe to call from any thread at the same time (see `_Engine`)."""
    plain = _plain_html(source)
    if plain is not None:
        return Rendered(html=plain)
    mentions = _resolve_mentions(source)
    placeholders: dict[str, User] = {}
    for token, user in mentions.items():
        placeholder = f"zrmention{secrets.token_hex(8)}"
        placeholders[placeholder] = user
        source = source.replace(token, placeholder)
    linked = _engine().convert(source)
    for placeholder, user in placeholders.items():
        href = reverse("accounts:profile", args=[user.pk])
        link = f'<a class="mention" href="{href}">@{html_lib.escape(user.name)}</a>'
        linked = linked.replace(placeholder, link)
    unique = list({user.pk: user for user in placeholders.values()}.values())
    return Rendered(html=linked, mentioned=unique)


def mention_token(user: User) -> str:
    """What a member types (or the composer inserts) to mention `user`."""
    return f"@**{user.name}|{user.pk}**"


def replace_mentions_of(user: User, source: str, replacement: str) -> str:
    """`source` with every mention of `user` replaced by plain `replacement`."""

    def replace(match: re.Match) -> str:
        if match["id"]:
            named = match["id"] == str(user.pk)
        else:
            named = match["name"].strip() == user.name
        return replacement if named else match[0]

    return MENTION.sub(replace, source)


def quote(author_name: str, source: str) -> str:
    """A Markdown quote of a post, for the reply box."""
    quoted = "\n".join(f"> {line}" for line in source.strip().splitlines())
    return f"> **{author_name}:**\n{quoted}\n\n"


_BLOCK_END = re.compile(r"</(p|li|blockquote|pre|h3|h4|tr)>|<br\s*/?>", re.IGNORECASE)


def plain_text(html: str) -> str:
    """The words of rendered HTML as plain text (e-mails, snippets): block
    ends become line breaks, tags go, entities are decoded."""
    text = _BLOCK_END.sub("\n", html)
    text = html_lib.unescape(bleach.clean(text, tags=set(), strip=True))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)

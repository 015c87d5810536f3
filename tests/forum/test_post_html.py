"""What a posted text becomes on the thread page: images only from attachment
addresses, code shown as written."""

from __future__ import annotations

import pytest

from forum.models import Post


def post_reply(client, thread, source: str) -> Post:
    response = client.post(f"/forum/thema/{thread.pk}/antworten/", {"source": source})
    assert response.status_code == 302
    return Post.objects.filter(thread=thread).latest("position")


@pytest.mark.parametrize(
    "address",
    [
        "/forum/anhang/../../meine-daten/export/",
        "/forum/anhang/%2e%2e/%2e%2e/meine-daten/export/",
        "/forum/anhang/%2E%2E/%2E./meine-daten/export/",
        "/forum/anhang/1/../../../verwaltung/protokoll/export/",
        "/forum/anhang/1/%2e%2e",
        "/forum/anhang/1/..%2f..%2f..%2fmeine-daten%2fexport%2f",
        "/forum/anhang/1/..%5c..%5cmeine-daten",
        "/forum/anhang/1/x.png?next=/meine-daten/export/",
        "/forum/anhang/1/x.png#frag",
        "/forum/anhang/x/y.png",
        "/forum/anhang//evil.example/x.png",
        "/forum/anhang/1/x.png/../../../../meine-daten/export/",
    ],
)
def test_an_image_outside_the_attachments_is_not_shown(
    member_client, make_thread, address
):
    thread = make_thread()
    post = post_reply(member_client, thread, f"Schauen Sie: ![Plan]({address})")
    assert "src=" not in post.html  # the image stays a text (its alt)
    page = member_client.get(f"/forum/thema/{thread.pk}/").content.decode()
    assert "meine-daten/export" not in page.split('id="beitrag-', 1)[-1]


def test_an_attachment_image_is_shown(member_client, make_thread):
    thread = make_thread()
    post = post_reply(
        member_client, thread, "![Plan](/forum/anhang/7/Plan%20B%C3%BCrgerbus.png)"
    )
    assert '<img alt="Plan" src="/forum/anhang/7/Plan%20B%C3%BCrgerbus.png">' in (
        post.html
    )


def test_inline_code_shows_what_was_written(member_client, make_thread):
    thread = make_thread()
    post = post_reply(member_client, thread, "Schreiben Sie `<img>` und `a & b`.")
    assert "<code>&lt;img&gt;</code>" in post.html
    assert "<code>a &amp; b</code>" in post.html
    page = member_client.get(f"/forum/thema/{thread.pk}/").content.decode()
    assert "<code>&lt;img&gt;</code>" in page
    assert "&amp;lt;" not in page


def test_fenced_code_shows_what_was_written(member_client, make_thread):
    thread = make_thread()
    source = '```\n<a href="x">Link</a> & "Zitat"\nhttps://example.org\n```'
    post = post_reply(member_client, thread, source)
    assert (
        "<pre><code>&lt;a href=&quot;x&quot;&gt;Link&lt;/a&gt; "
        "&amp; &quot;Zitat&quot;\nhttps://example.org\n</code></pre>"
    ) in post.html
    assert "&amp;lt;" not in post.html and "&amp;amp;" not in post.html


def test_links_in_text_are_still_made_and_marked(member_client, make_thread):
    thread = make_thread()
    post = post_reply(member_client, thread, "Siehe https://example.org/a?b=1&c=2")
    assert (
        '<a href="https://example.org/a?b=1&amp;c=2" '
        'rel="nofollow ugc noopener noreferrer">https://example.org/a?b=1&amp;c=2</a>'
    ) in post.html

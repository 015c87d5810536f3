"""Issue 16, item 13: forms and pages that fit what members do."""

import re

from forum.actions.posts import edit_post
from forum.actions.reading import toggle_reaction as react


def test_discussion_and_knowledge_forms_hide_the_offer_seek_fields(
    member_client, space
):
    url = f"/forum/{space.slug}/neues-thema/"
    fieldset = re.compile(r'<fieldset class="offer-seek-fields"[^>]*>')
    for kind in ("discussion", "knowledge"):
        html = member_client.get(url, {"art": kind}).content.decode()
        assert " hidden>" in fieldset.search(html)[0], kind
    for kind in ("offer", "seek"):
        html = member_client.get(url, {"art": kind}).content.decode()
        assert " hidden" not in fieldset.search(html)[0], kind


def test_article_edits_carry_a_summary_and_the_last_editor_is_shown(
    client, make_thread, make_member
):
    article = make_thread(kind="knowledge", title="Bürgerbus: Leitfaden", source="v1")
    post = article.posts.get()
    colleague = make_member(name="Jonas Peer")
    client.force_login(colleague)
    form = client.get(f"/forum/beitrag/{post.pk}/bearbeiten/").content.decode()
    assert '<label for="id_summary">Zusammenfassung der Änderung</label>' in form

    client.post(
        f"/forum/beitrag/{post.pk}/bearbeiten/",
        {
            "title": "Bürgerbus: Leitfaden",
            "source": "v2 mit Kosten",
            "summary": "Kosten ergänzt",
        },
    )

    assert post.revisions.get(number=2).summary == "Kosten ergänzt"
    history = client.get(f"/forum/beitrag/{post.pk}/versionen/").content.decode()
    assert "Zusammenfassung: Kosten ergänzt" in history
    page = client.get(f"/forum/thema/{article.pk}/").content.decode()
    assert "Zuletzt bearbeitet von Jonas Peer am" in page
    assert "„Kosten ergänzt“" in page


def test_discussion_edits_ask_for_no_summary(member_client, make_thread):
    post = make_thread().posts.get()
    form = member_client.get(f"/forum/beitrag/{post.pk}/bearbeiten/").content.decode()
    assert "id_summary" not in form
    edit_post(post.author, post, source="Neu")
    page = member_client.get(f"/forum/thema/{post.thread_id}/").content.decode()
    assert "Zuletzt bearbeitet von" not in page


def test_the_overviews_space_cards_lead_to_the_spaces(member_client, space):
    html = member_client.get("/uebersicht/").content.decode()
    assert f'<a class="card-link" href="/forum/{space.slug}/">{space.title}</a>' in html


def test_reactions_say_their_count_apart_and_who_reacted(
    member_client, member, make_thread, make_member
):
    thread = make_thread(author=make_member())
    post = thread.posts.get()
    react(member, post, kind="thanks")
    react(make_member(name="Bernd Kollege"), post, kind="thanks")
    html = member_client.get(f"/forum/thema/{thread.pk}/").content.decode()
    button = re.search(r'<button[^>]*value="thanks"[^>]*>.*?</button>', html)[0]
    assert 'title="Anna Beispiel, Bernd Kollege"' in button
    assert f'aria-describedby="reaktion-{post.pk}-thanks"' in button
    assert 'Danke<span class="visually-hidden">,</span> <span class="count">2' in button
    assert (
        f'<span class="visually-hidden" id="reaktion-{post.pk}-thanks">'
        "Anna Beispiel, Bernd Kollege</span>"
    ) in html

"""The forum's composers: drafts of replies and new threads come back and go
once posted; "Zitieren" without a reload gets the quote as Markdown."""

from community.actions.drafts import keep_draft
from community.models import Draft
from forum.actions.moderation import hide_post
from forum.actions.posts import reply


def test_a_reply_draft_is_put_back_into_the_reply_box(
    member_client, member, make_thread, make_member
):
    thread = make_thread(author=make_member())
    saved = member_client.post(
        "/entwuerfe/", {"place": f"reply:{thread.pk}", "text": "Wir haben <auch>"}
    )
    assert saved.json() == {"kept": True}

    html = member_client.get(f"/forum/thema/{thread.pk}/").content.decode()

    assert ">\nWir haben &lt;auch&gt;</textarea>" in html
    assert "Entwurf wiederhergestellt" in html


def test_a_reply_draft_belongs_to_its_thread_and_member(
    client, member, make_member, make_thread
):
    thread, other_thread = make_thread(), make_thread(title="Andere Frage")
    keep_draft(member, f"reply:{thread.pk}", text="Nur hier")
    client.force_login(member)
    assert "Nur hier" not in client.get(f"/forum/thema/{other_thread.pk}/").text
    client.force_login(make_member())
    assert "Nur hier" not in client.get(f"/forum/thema/{thread.pk}/").text


def test_posting_the_reply_discards_its_draft(member_client, member, make_thread):
    thread = make_thread()
    keep_draft(member, f"reply:{thread.pk}", text="Fast fertig")
    response = member_client.post(
        f"/forum/thema/{thread.pk}/antworten/", {"source": "Fast fertig. Fertig."}
    )
    assert response.status_code == 302
    assert not Draft.objects.filter(user=member).exists()
    html = member_client.get(f"/forum/thema/{thread.pk}/").content.decode()
    assert 'id="id_source">\n</textarea>' in html


def test_a_refused_reply_keeps_its_draft(member_client, member, make_thread):
    thread = make_thread()
    keep_draft(member, f"reply:{thread.pk}", text="x" * 20)
    member_client.post(f"/forum/thema/{thread.pk}/antworten/", {"source": " "})
    assert Draft.objects.filter(user=member, place=f"reply:{thread.pk}").exists()


def test_a_new_thread_draft_comes_back_with_its_title_and_goes_once_published(
    member_client, member, space
):
    keep_draft(member, f"thread:{space.slug}", title="Rufbus im Dorf", text="Wer hat …")
    html = member_client.get(f"/forum/{space.slug}/neues-thema/").content.decode()
    assert 'value="Rufbus im Dorf"' in html
    assert ">\nWer hat …</textarea>" in html
    assert "Entwurf wiederhergestellt" in html

    member_client.post(
        f"/forum/{space.slug}/neues-thema/",
        {
            "kind": "discussion",
            "title": "Rufbus im Dorf",
            "source": "Wer hat Erfahrung?",
        },
    )
    assert not Draft.objects.filter(user=member).exists()


def test_quoting_without_script_adds_the_quote_after_the_draft(
    member_client, member, make_thread, make_member
):
    thread = make_thread(author=make_member(name="Jonas Peer"), source="Erster Satz.")
    keep_draft(member, f"reply:{thread.pk}", text="Meine Notiz")
    first = thread.posts.get()
    html = member_client.get(f"/forum/thema/{thread.pk}/?zitat={first.pk}").text
    assert (
        ">\nMeine Notiz\n\n&gt; **Jonas Peer:**\n&gt; Erster Satz.\n\n</textarea>"
        in html
    )


def test_the_quote_link_offers_the_markdown_without_a_reload(
    member_client, make_thread, make_member
):
    thread = make_thread(
        author=make_member(name="Jonas Peer"), source="Zeile 1\nZeile 2"
    )
    first = thread.posts.get()
    html = member_client.get(f"/forum/thema/{thread.pk}/").text
    assert f'data-quote-url="/forum/beitrag/{first.pk}/zitat/"' in html
    assert 'data-author="Jonas Peer"' in html

    response = member_client.get(f"/forum/beitrag/{first.pk}/zitat/")

    assert response.json() == {
        "markdown": "> **Jonas Peer:**\n> Zeile 1\n> Zeile 2\n\n"
    }


def test_hidden_posts_and_invisible_spaces_are_not_quoted(
    client, member, staff_member, make_thread, make_space, make_member
):
    post = reply(make_member(), make_thread(), source="Bald verborgen")
    hide_post(staff_member, post)
    client.force_login(member)
    assert client.get(f"/forum/beitrag/{post.pk}/zitat/").status_code == 404

    closed = make_space(title="Projektgruppe", slug="projekt", is_restricted=True)
    insider = make_member()
    closed.members.add(insider)
    secret = make_thread(insider, in_space=closed).posts.get()
    assert client.get(f"/forum/beitrag/{secret.pk}/zitat/").status_code == 404

"""Editing with a visible history, Wissen articles edited together, restore."""

from forum.models import Thread


def test_an_edit_keeps_the_earlier_version(member_client, make_thread):
    thread = make_thread(source="Erste Fassung")
    post = thread.posts.get()
    response = member_client.post(
        f"/forum/beitrag/{post.pk}/bearbeiten/",
        {"title": thread.title, "source": "Zweite Fassung"},
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.html == "<p>Zweite Fassung</p>" and post.revision_count == 2
    history = member_client.get(f"/forum/beitrag/{post.pk}/versionen/").content.decode()
    assert "<del>Erste Fassung</del>" in history
    assert "<ins>Zweite Fassung</ins>" in history
    assert "Version 2 von Anna Beispiel" in history
    thread_html = member_client.get(f"/forum/thema/{thread.pk}/").content.decode()
    assert "bearbeitet" in thread_html and "2 Versionen" in thread_html


def test_any_member_of_the_space_edits_a_knowledge_article(
    client, make_thread, make_member
):
    article = make_thread(kind="knowledge", title="Bürgerbus: Leitfaden", source="v1")
    colleague = make_member(name="Jonas Peer")
    client.force_login(colleague)
    post = article.posts.get()
    client.post(
        f"/forum/beitrag/{post.pk}/bearbeiten/",
        {"title": "Bürgerbus: Leitfaden 2026", "source": "v2 mit Kosten"},
    )
    article.refresh_from_db()
    assert article.title == "Bürgerbus: Leitfaden 2026"
    revision = post.revisions.get(number=2)
    assert revision.editor == colleague and revision.title == article.title


def test_a_discussion_post_is_edited_only_by_its_author(
    client, make_thread, make_member
):
    thread = make_thread(source="Meins")
    client.force_login(make_member())
    post = thread.posts.get()
    response = client.post(
        f"/forum/beitrag/{post.pk}/bearbeiten/", {"title": "x", "source": "Fremd"}
    )
    assert response.status_code == 403
    post.refresh_from_db()
    assert post.source == "Meins"
    assert client.get(f"/forum/beitrag/{post.pk}/versionen/").status_code == 403


def test_restoring_an_old_version_is_itself_a_new_version(member_client, make_thread):
    thread = make_thread(kind="knowledge", title="Leitfaden", source="Gut")
    post = thread.posts.get()
    member_client.post(
        f"/forum/beitrag/{post.pk}/bearbeiten/", {"title": "Kaputt", "source": "Spam"}
    )
    member_client.post(f"/forum/beitrag/{post.pk}/versionen/1/wiederherstellen/")
    post.refresh_from_db()
    thread.refresh_from_db()
    assert post.source == "Gut" and thread.title == "Leitfaden"
    assert list(post.revisions.values_list("number", "source")) == [
        (1, "Gut"),
        (2, "Spam"),
        (3, "Gut"),
    ]


def test_locked_threads_cannot_be_edited_by_members(member_client, make_thread):
    thread = make_thread(source="Alt")
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    post = thread.posts.get()
    response = member_client.post(
        f"/forum/beitrag/{post.pk}/bearbeiten/", {"title": "x", "source": "Neu"}
    )
    assert response.status_code == 403

"""Starting threads and replying, through the real views."""

import pytest
from django.db import transaction

from forum.models import MAX_POST_LENGTH, Post, Thread, ThreadKind, ThreadStatus
from forum.queries.threads import thread_page_rows


def test_a_member_starts_a_discussion_and_lands_on_it(member_client, space):
    response = member_client.post(
        f"/forum/{space.slug}/neues-thema/",
        {
            "kind": "discussion",
            "title": "Rufbus oder Bürgerbus?",
            "source": "**Ideen?**",
        },
    )
    thread = Thread.objects.get()
    assert response.status_code == 302 and response.url == f"/forum/thema/{thread.pk}/"
    html = member_client.get(response.url).content.decode()
    assert "Rufbus oder Bürgerbus?" in html
    assert "<strong>Ideen?</strong>" in html
    assert thread.status == ""  # discussions have no offer/seek status


def test_a_seek_carries_topic_region_size_status_and_expiry(
    member_client, space, member
):
    response = member_client.post(
        f"/forum/{space.slug}/neues-thema/",
        {
            "kind": "seek",
            "title": "Wir suchen ein Konzept für Bürgerbusse im ländlichen Raum",
            "source": "Unsere Gemeinde hat 4.200 Einwohner.",
            "topic": "mobility",
            "size_class": "small",
        },
    )
    assert response.status_code == 302
    seek = Thread.objects.get()
    assert seek.kind == ThreadKind.SEEK and seek.status == ThreadStatus.OPEN
    assert seek.topic == "mobility" and seek.size_class == "small"
    assert seek.state is None  # no Land chosen: nationwide
    assert seek.expires_on is not None


def test_empty_title_and_text_get_german_field_errors(member_client, space):
    response = member_client.post(
        f"/forum/{space.slug}/neues-thema/",
        {"kind": "discussion", "title": "   ", "source": "  \n "},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bitte geben Sie einen Titel ein." in html
    assert "Bitte schreiben Sie einen Text." in html
    assert not Thread.objects.exists()


def test_over_long_posts_are_refused_with_the_limit(member_client, make_thread):
    thread = make_thread()
    response = member_client.post(
        f"/forum/thema/{thread.pk}/antworten/", {"source": "x" * (MAX_POST_LENGTH + 1)}
    )
    assert response.status_code == 400
    assert "höchstens 50000 Zeichen" in response.content.decode()
    assert thread.posts.count() == 1


def test_offers_and_seeks_need_a_topic(member_client, space):
    response = member_client.post(
        f"/forum/{space.slug}/neues-thema/",
        {"kind": "offer", "title": "Wir bieten", "source": "Vorlage", "topic": ""},
    )
    assert "Biete- und Suche-Beiträge brauchen ein Thema" in response.content.decode()
    assert not Thread.objects.exists()


def test_replies_appear_at_the_end_with_a_permalink(
    member_client, make_thread, make_member
):
    thread = make_thread(author=make_member())
    response = member_client.post(
        f"/forum/thema/{thread.pk}/antworten/", {"source": "Wir haben das gemacht."}
    )
    post = Post.objects.get(thread=thread, position=2)
    assert response.url == f"/forum/thema/{thread.pk}/?seite=1#beitrag-{post.pk}"
    permalink = member_client.get(f"/forum/beitrag/{post.pk}/")
    assert permalink.url == response.url


def test_a_locked_thread_refuses_replies_and_stores_nothing(member_client, make_thread):
    thread = make_thread()
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    response = member_client.post(
        f"/forum/thema/{thread.pk}/antworten/", {"source": "Noch etwas"}
    )
    assert response.status_code == 403
    assert thread.posts.count() == 1


def test_restricted_spaces_are_invisible_to_outsiders(
    member_client, member, make_space, make_member, make_thread
):
    project = make_space(title="Projekt Nord", is_restricted=True)
    insider = make_member()
    project.members.add(insider)
    thread = make_thread(author=insider, in_space=project)
    assert member_client.get(f"/forum/{project.slug}/").status_code == 404
    assert member_client.get(f"/forum/thema/{thread.pk}/").status_code == 404
    response = member_client.post(
        f"/forum/thema/{thread.pk}/antworten/", {"source": "Hallo"}
    )
    assert response.status_code == 404
    assert thread.posts.count() == 1
    assert "Projekt Nord" not in member_client.get("/forum/").content.decode()
    project.members.add(member)
    assert member_client.get(f"/forum/thema/{thread.pk}/").status_code == 200


def test_the_forum_is_for_signed_in_members(client, make_thread):
    thread = make_thread()
    response = client.get(f"/forum/thema/{thread.pk}/")
    assert response.status_code == 302 and "/konto/login/" in response.url


def test_twenty_posts_per_page(member_client, make_thread, add_posts, member):
    thread = make_thread()
    add_posts(thread, member, 44)  # 45 posts: pages of 20, 20, 5
    thread.refresh_from_db()
    assert thread.page_count == 3
    page_three = member_client.get(f"/forum/thema/{thread.pk}/?seite=3")
    assert page_three.content.decode().count('id="beitrag-') == 5
    assert 'href="?seite=2"' in page_three.content.decode()


@pytest.mark.postgres  # SQLite's shared in-memory test database locks whole tables
@pytest.mark.django_db(transaction=True)
def test_concurrent_replies_get_distinct_positions(make_thread, make_member):
    """Positions come from the locked thread row, so no two replies collide."""
    import threading

    from forum.actions.posts import reply

    thread = make_thread()
    authors = [make_member() for _ in range(4)]
    errors = []

    def write(author):
        try:
            for n in range(5):
                reply(author, thread, source=f"Antwort {n}")
        except Exception as error:
            errors.append(error)
        finally:
            transaction.get_connection().close()

    workers = [threading.Thread(target=write, args=(a,)) for a in authors]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    positions = sorted(thread.posts.values_list("position", flat=True))
    assert positions == list(range(1, 22))


def test_quoting_prefills_the_reply_box(member_client, make_thread, make_member):
    thread = make_thread(author=make_member(name="Jonas Peer"))
    first = thread.posts.get()
    html = member_client.get(f"/forum/thema/{thread.pk}/?zitat={first.pk}").content
    assert "&gt; **Jonas Peer:**" in html.decode()


def test_page_shows_the_posts_in_order(member, make_thread, add_posts):
    thread = make_thread()
    add_posts(thread, member, 3)
    thread.refresh_from_db()
    page = thread_page_rows(thread, member, 1)
    assert [p.position for p in page.posts] == [1, 2, 3, 4]

"""Splitting replies off into a new thread: order, positions, permalinks,
read positions, the audit row and the live event."""

from __future__ import annotations

from audit.models import AuditLogEntry
from forum.models import Post, ReadPosition, Thread
from forum.queries.threads import read_position
from realtime import groups
from tests.forum.live import Listener


def test_split_moves_the_chosen_replies_in_order_into_a_new_thread(
    client, cast, make_thread, add_posts, django_capture_on_commit_callbacks
):
    thread = make_thread(author=cast.author, in_space=cast.space)
    replies = add_posts(thread, cast.other, 5)  # positions 2..6
    moving = [replies[3], replies[1]]  # positions 5 and 3, sent out of order
    client.force_login(cast.other)
    client.get(f"/forum/thema/{thread.pk}/")  # Olga read all 6
    listener = Listener(groups.forum_thread(thread.pk))

    client.force_login(cast.space_moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/forum/thema/{thread.pk}/moderation/teilen/",
            {
                "posts": [p.pk for p in moving],
                "title": "Abgetrennte Diskussion",
                "space": cast.space.pk,
                "reason": "Eigenes Thema",
            },
        )

    new = Thread.objects.get(title="Abgetrennte Diskussion")
    assert response.status_code == 302
    assert response.url == f"/forum/thema/{new.pk}/"
    assert list(new.posts.values_list("pk", "position")) == [
        (replies[1].pk, 1),
        (replies[3].pk, 2),
    ]
    thread.refresh_from_db()
    assert list(thread.posts.values_list("position", flat=True)) == [1, 2, 3, 4]
    assert thread.last_position == 4 and new.last_position == 2
    assert new.author == cast.other
    entry = AuditLogEntry.objects.get(action="forum.thread.split")
    assert entry.data == {"posts": [replies[1].pk, replies[3].pk], "new_thread": new.pk}
    assert entry.reason == "Eigenes Thema"
    assert listener.events() == [
        {
            "type": "forum.thread",
            "op": "split",
            "thread": thread.pk,
            "new_thread": new.pk,
        }
    ]
    # Permalinks still find the moved posts, on their new thread's page.
    client.force_login(cast.author)
    moved = client.get(f"/forum/beitrag/{replies[3].pk}/")
    assert moved.url == f"/forum/thema/{new.pk}/?seite=1#beitrag-{replies[3].pk}"
    stayed = client.get(f"/forum/beitrag/{replies[4].pk}/")
    assert stayed.url.startswith(f"/forum/thema/{thread.pk}/")
    # Olga had read everything: she still has, in both threads.
    assert read_position(cast.other, thread) == 4
    assert read_position(cast.other, new) == 2
    assert not ReadPosition.objects.filter(user=cast.author, thread=new).exists()


def test_the_opening_post_cannot_be_split_off(client, cast, make_thread, add_posts):
    thread = make_thread(author=cast.author, in_space=cast.space)
    add_posts(thread, cast.other, 1)
    client.force_login(cast.global_moderator)
    response = client.post(
        f"/forum/thema/{thread.pk}/moderation/teilen/",
        {
            "posts": [thread.posts.get(position=1).pk],
            "title": "X",
            "space": cast.space.pk,
        },
    )
    assert response.status_code == 400
    assert Thread.objects.count() == 1
    assert not AuditLogEntry.objects.exists()


def test_split_into_a_space_the_moderator_does_not_moderate_is_refused(
    client, cast, make_thread, add_posts
):
    thread = make_thread(author=cast.author, in_space=cast.space)
    [answer] = add_posts(thread, cast.other, 1)
    client.force_login(cast.space_moderator)
    response = client.post(
        f"/forum/thema/{thread.pk}/moderation/teilen/",
        {"posts": [answer.pk], "title": "X", "space": cast.other_space.pk},
    )
    assert response.status_code == 403
    assert Post.objects.get(pk=answer.pk).thread == thread

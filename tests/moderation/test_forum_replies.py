"""Who may still reply, edit and react: slow mode, locked and closed threads,
and the "Melden" links."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from forum.actions.thread_tools import close_thread, lock_thread, set_slow_mode
from forum.models import Post, Reaction


@pytest.fixture
def thread(cast, make_thread):
    return make_thread(author=cast.author, in_space=cast.space)


def reply_as(client, user, thread, text):
    client.force_login(user)
    return client.post(f"/forum/thema/{thread.pk}/antworten/", {"source": text})


def test_slow_mode_refuses_a_second_reply_within_the_interval(client, cast, thread):
    set_slow_mode(cast.space_moderator, thread, seconds=300)
    assert reply_as(client, cast.other, thread, "Erste Antwort").status_code == 302
    response = reply_as(client, cast.other, thread, "Zweite Antwort")
    assert response.status_code == 400
    html = response.content.decode()
    first = Post.objects.get(source="Erste Antwort")
    allowed = timezone.localtime(first.created_at + timedelta(seconds=300))
    assert allowed.strftime("%H:%M:%S") in html
    assert 'aria-invalid="true"' in html
    assert not Post.objects.filter(source="Zweite Antwort").exists()


def test_slow_mode_lets_members_reply_again_after_the_interval(client, cast, thread):
    set_slow_mode(cast.space_moderator, thread, seconds=60)
    reply_as(client, cast.other, thread, "Erste Antwort")
    Post.objects.filter(source="Erste Antwort").update(
        created_at=timezone.now() - timedelta(seconds=61)
    )
    assert reply_as(client, cast.other, thread, "Später").status_code == 302


def test_slow_mode_counts_per_member(client, cast, thread, make_member):
    set_slow_mode(cast.space_moderator, thread, seconds=300)
    reply_as(client, cast.other, thread, "Von Olga")
    assert (
        reply_as(client, make_member(), thread, "Von jemand anderem").status_code == 302
    )


def test_moderators_are_exempt_from_slow_mode(client, cast, thread):
    set_slow_mode(cast.space_moderator, thread, seconds=3600)
    for text in ("Eins", "Zwei"):
        assert reply_as(client, cast.space_moderator, thread, text).status_code == 302


def test_a_locked_thread_takes_replies_from_moderators_only(client, cast, thread):
    lock_thread(cast.space_moderator, thread)
    assert reply_as(client, cast.other, thread, "Mitglied").status_code == 403
    assert (
        reply_as(client, cast.space_moderator, thread, "Moderation").status_code == 302
    )


def test_a_closed_thread_takes_no_replies_edits_or_reactions_from_anyone(
    client, cast, thread
):
    close_thread(cast.space_moderator, thread, reason="Erledigt")
    post = thread.posts.get()
    for user in (cast.author, cast.space_moderator, cast.global_moderator):
        assert reply_as(client, user, thread, "Noch was").status_code == 403
        response = client.post(
            f"/forum/beitrag/{post.pk}/bearbeiten/",
            {"title": "Neu", "source": "Geändert"},
        )
        assert response.status_code == 403
        reacted = client.post(f"/forum/beitrag/{post.pk}/reaktion/", {"kind": "thanks"})
        assert reacted.status_code == 403
    assert not Post.objects.filter(source="Noch was").exists()
    assert not Reaction.objects.exists()
    thread.refresh_from_db()
    assert thread.title != "Neu"
    html = client.get(f"/forum/thema/{thread.pk}/").content.decode()
    assert 'id="antwort"' not in html


def test_report_links_are_offered_to_members_other_than_the_author(
    client, cast, thread
):
    post = thread.posts.get()
    client.force_login(cast.other)
    html = client.get(f"/forum/thema/{thread.pk}/").content.decode()
    assert f"/moderation/melden/post/{post.pk}/" in html
    assert f"/moderation/melden/thread/{thread.pk}/" in html
    client.force_login(cast.author)
    html = client.get(f"/forum/thema/{thread.pk}/").content.decode()
    assert "/moderation/melden/" not in html

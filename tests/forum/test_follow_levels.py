"""Follow levels per thread and space, as Discourse has them: watching (every
new post), normal (mentions only), muted (nothing; a muted space's threads
leave Neu and Ungelesen)."""

from community.markup import mention_token
from community.models import Notification
from forum.actions.posts import reply
from forum.models import Follow


def replies_to(member) -> int:
    return Notification.objects.filter(recipient=member, kind="reply").count()


def test_the_thread_page_offers_the_three_levels_and_saves_the_choice(
    member_client, member, make_thread, make_member
):
    thread = make_thread(author=make_member())
    html = member_client.get(f"/forum/thema/{thread.pk}/").content.decode()
    assert (
        '<label for="follow-level-thread">Benachrichtigungen für dieses Thema' in html
    )
    for value, name in [
        ("watching", "Beobachten"),
        ("normal", "Normal"),
        ("muted", "Stummgeschaltet"),
    ]:
        assert f'<option value="{value}"' in html and f">{name}</option>" in html
    assert '<option value="normal" selected>' in html

    member_client.post(f"/forum/thema/{thread.pk}/folgen/", {"level": "muted"})
    assert Follow.objects.get(user=member, thread=thread).level == "muted"
    html = member_client.get(f"/forum/thema/{thread.pk}/").content.decode()
    assert '<option value="muted" selected>' in html
    assert "Sie werden hier über nichts benachrichtigt." in html

    member_client.post(f"/forum/thema/{thread.pk}/folgen/", {"level": "normal"})
    assert not Follow.objects.filter(user=member, thread=thread).exists()


def test_watching_a_thread_brings_every_reply_normal_only_mentions(
    member_client, member, make_thread, make_member
):
    thread = make_thread(author=make_member())
    member_client.post(f"/forum/thema/{thread.pk}/folgen/", {"level": "watching"})
    reply(make_member(), thread, source="Erste Antwort")
    assert replies_to(member) == 1

    member_client.post(f"/forum/thema/{thread.pk}/folgen/", {"level": "normal"})
    reply(make_member(), thread, source="Zweite Antwort")
    assert replies_to(member) == 1
    reply(make_member(), thread, source=f"Was meinen Sie, {mention_token(member)}?")
    assert Notification.objects.filter(recipient=member, kind="mention").count() == 1


def test_a_muted_thread_is_silent_even_in_a_watched_space_and_for_mentions(
    member_client, member, make_thread, make_member, space
):
    thread = make_thread()  # the author watches it
    member_client.post(f"/forum/{space.slug}/folgen/", {"level": "watching"})
    member_client.post(f"/forum/thema/{thread.pk}/folgen/", {"level": "muted"})

    reply(make_member(), thread, source="Antwort")
    reply(make_member(), thread, source=f"Frage an {mention_token(member)}")
    assert not Notification.objects.filter(recipient=member).exists()
    # Another thread of the watched space still notifies.
    other = make_thread(author=make_member(), title="Andere Frage")
    reply(make_member(), other, source="Antwort")
    assert replies_to(member) == 1


def test_a_muted_space_notifies_nothing_and_leaves_the_lists_but_a_watched_thread_stays(
    member_client, member, make_thread, make_member, space
):
    other = make_member()
    quiet = make_thread(author=other, title="Leise Frage")
    kept = make_thread(author=other, title="Wichtige Frage")
    member_client.get(f"/forum/thema/{kept.pk}/")  # read before
    member_client.post(f"/forum/{space.slug}/folgen/", {"level": "muted"})
    member_client.post(f"/forum/thema/{kept.pk}/folgen/", {"level": "watching"})

    reply(make_member(), quiet, source="Antwort")
    reply(make_member(), kept, source="Antwort")

    assert replies_to(member) == 1
    new = member_client.get("/forum/neu/").content.decode()
    assert "Leise Frage" not in new
    html = member_client.get(f"/forum/{space.slug}/").content.decode()
    assert '<option value="muted" selected>' in html
    assert "Leise Frage" in html  # the space itself still lists everything

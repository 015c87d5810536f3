"""The moderation core with the forum's and the chat's own target types.

Written against `moderation.registry.kinds()`: each test skips with a reason
if the owning app has not registered its kind.
"""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse

from chat.actions import send_message
from community.models import Notification
from moderation.models import Decision, ReviewItem, Visibility
from moderation.registry import kinds

pytestmark = pytest.mark.usefixtures("fast_passwords", "english")


def needs(kind):
    if kind not in kinds():
        pytest.skip(f'the target kind "{kind}" is not registered')


@pytest.fixture
def post(cast, make_thread):
    needs("post")
    thread = make_thread(cast.author, in_space=cast.space, title="Mitfahrbänke")
    from forum.actions.posts import reply

    return reply(cast.author, thread, source="Alle anderen sind Idioten.")


def test_a_reported_post_is_hidden_and_the_author_gets_the_statement(
    client, cast, post
):
    client.force_login(cast.other)
    thread_url = f"/forum/thema/{post.thread_id}/"
    response = client.post(
        reverse("moderation:report", args=["post", post.pk]),
        {"reason": "insult", "next": thread_url},
    )
    assert response.url == thread_url
    item = ReviewItem.objects.get()

    client.force_login(cast.space_moderator)
    page = client.get(reverse("moderation:item", args=[item.pk]))
    assert page.status_code == 200
    assert "Alle anderen sind Idioten." in page.content.decode()
    client.post(
        reverse("moderation:item", args=[item.pk]),
        {"action": "hide", "rule": "respect", "reason": "Beleidigung"},
    )
    post.refresh_from_db()
    assert post.visibility == Visibility.HIDDEN

    client.force_login(cast.other)
    html = client.get(thread_url).content.decode()
    assert "Alle anderen sind Idioten." not in html

    decision = Decision.objects.get()
    note = Notification.objects.get(recipient=cast.author, kind="moderation")
    assert note.url == reverse("moderation:decision", args=[decision.pk])
    client.force_login(cast.author)
    statement = client.get(note.url).content.decode()
    assert "Beleidigung" in statement


def test_the_author_cannot_report_their_own_post(client, cast, post):
    client.force_login(cast.author)
    response = client.post(
        reverse("moderation:report", args=["post", post.pk]), {"reason": "spam"}
    )
    assert response.status_code == 403
    assert not ReviewItem.objects.exists()


def test_a_reported_chat_message_mutes_its_author_in_the_room(client, cast):
    needs("chat_message")
    from chat.models import Membership

    message = send_message(
        cast.author, cast.room, body="Ihr seid alle doof", client_id=uuid.uuid4().hex
    )
    client.force_login(cast.other)
    client.post(
        reverse("moderation:report", args=["chat_message", message.pk]),
        {"reason": "insult"},
    )
    item = ReviewItem.objects.get()
    assert item.space == cast.space
    client.force_login(cast.space_moderator)
    response = client.post(
        reverse("moderation:item", args=[item.pk]),
        {
            "action": "mute",
            "rule": "respect",
            "reason": "Beleidigung",
            "duration": "24",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(room=cast.room, user=cast.author)
    decision = Decision.objects.get()
    assert membership.muted_until == decision.ends_at
    assert decision.ends_at - decision.created_at == timedelta(hours=24)


def test_a_profile_is_moderated_by_global_moderators_only(client, cast):
    client.force_login(cast.other)
    client.post(
        reverse("moderation:report", args=["profile", cast.author.pk]),
        {"reason": "personal_data"},
    )
    item = ReviewItem.objects.get()
    assert (item.target_kind, item.space) == ("profile", None)
    client.force_login(cast.space_moderator)
    assert client.get(reverse("moderation:item", args=[item.pk])).status_code == 403
    client.force_login(cast.global_moderator)
    page = client.get(reverse("moderation:item", args=[item.pk]))
    actions = [value for value, _ in page.context["form"].fields["action"].choices]
    assert actions == ["dismiss", "warn", "mute", "suspend", "ban"]

"""Moderation in the chat: the "chat_message" target, screening, sanctions and
slow mode in the send path, removal from space rooms."""

from datetime import timedelta

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditLogEntry
from chat import actions, queries
from chat.actions import SendRequest, send_messages
from chat.models import Message
from chat.permissions import Refused, access_room
from community.models import Notification
from moderation.models import (
    FilterAction,
    ItemSource,
    ReviewItem,
    Visibility,
    WordFilter,
)
from moderation.registry import target_type
from moderation.screening import screen_words
from realtime import groups
from tests.chat.conftest import Listener, new_client_id, send


@pytest.fixture
def moderator(make_member, space_room):
    moderator = make_member(name="Mara Moderatorin")
    space_room.space.moderators.add(moderator)
    return moderator


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """`with commit():` runs the block's commit callbacks (the publishing)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


# --- The target type ---------------------------------------------------------


def test_chat_messages_are_registered_for_reports_and_moderation(
    member, colleague, moderator, space_room
):
    message = send(member, space_room, "Hallo zusammen")
    spec = target_type("chat_message")

    loaded = spec.load(message.pk)
    assert loaded == message
    assert spec.can_view(colleague, loaded)
    assert spec.space_of(loaded) == space_room.space
    assert spec.author_of(loaded) == member
    assert spec.excerpt(loaded) == "Hallo zusammen"
    assert spec.url(loaded) == f"/chat/{space_room.pk}/#m{message.seq}"
    assert spec.load(message.pk + 1000) is None


def test_the_context_shows_five_messages_before_and_after(member, space_room):
    sent = [send(member, space_room, f"Nachricht {n}") for n in range(1, 14)]
    template, context = target_type("chat_message").context(sent[6])

    assert template == "chat/partials/message_context.html"
    assert [m.seq for m in context["messages"]] == list(range(2, 13))


def test_direct_messages_belong_to_the_global_moderators_only_through_the_queue(
    member, colleague, make_member
):
    staff = make_member(name="Gerd Geschäftsstelle", is_staff=True)
    room = actions.start_direct(member, [colleague])
    message = send(colleague, room, "Unter uns")
    spec = target_type("chat_message")

    assert spec.space_of(message) is None
    assert spec.can_view(member, message)  # a participant may report it
    assert not spec.can_view(staff, message)

    ReviewItem.objects.create(
        target_kind="chat_message", target_id=message.pk, source=ItemSource.REPORTED
    )
    assert spec.can_view(staff, message)


def test_pending_and_hidden_messages_are_seen_by_their_author_and_moderators_only(
    member, colleague, moderator, space_room
):
    message = send(member, space_room, "Versteckt")
    Message.objects.filter(pk=message.pk).update(visibility=Visibility.HIDDEN)
    message.refresh_from_db()
    spec = target_type("chat_message")

    assert spec.can_view(member, message)
    assert spec.can_view(moderator, message)
    assert not spec.can_view(colleague, message)


# --- Effects -------------------------------------------------------------------


def test_hiding_publishes_the_message_without_its_text(
    member, moderator, space_room, commit
):
    message = send(member, space_room, "Unfreundlich")
    listener = Listener(groups.chat_room(space_room.pk))
    spec = target_type("chat_message")

    with commit():
        assert spec.hide(moderator, message) is True
    (event,) = listener.events()

    assert event["op"] == "hide"
    assert event["message"]["visibility"] == "hidden"
    assert event["message"]["body"] == event["message"]["html"] == ""
    assert event["message"]["seq"] == message.seq
    assert spec.hide(moderator, message) is False
    assert not AuditLogEntry.objects.exists()  # the decision writes the row


def test_restoring_brings_the_text_back_to_every_chat(
    member, moderator, space_room, commit
):
    message = send(member, space_room, "Doch in Ordnung")
    spec = target_type("chat_message")
    spec.hide(None, message)  # hidden automatically after reports
    listener = Listener(groups.chat_room(space_room.pk))

    with commit():
        assert spec.restore(moderator, message) is True
    (event,) = listener.events()

    assert event["op"] == "restore"
    assert event["message"]["visibility"] == "visible"
    assert event["message"]["html"] == "<p>Doch in Ordnung</p>"


def test_deleting_removes_the_text_for_good(member, moderator, space_room, commit):
    message = send(member, space_room, "Persönliche Daten")
    listener = Listener(groups.chat_room(space_room.pk))

    with commit():
        assert target_type("chat_message").delete(moderator, message) is True
    (event,) = listener.events()
    message.refresh_from_db()

    assert event["op"] == "remove"
    assert event["message"]["visibility"] == "removed"
    assert event["message"]["deleted"] is True
    assert message.body == message.html == ""
    assert target_type("chat_message").restore(moderator, message) is False


def test_approving_shows_a_held_message_and_only_then_notifies_mentions(
    member, colleague, moderator, space_room, commit
):
    WordFilter.objects.create(pattern="Wahlkampf", action=FilterAction.HOLD)
    message = send(member, space_room, f"@**{colleague.name}** Wahlkampf?")
    assert message.visibility == Visibility.PENDING
    assert not Notification.objects.filter(recipient=colleague).exists()
    listener = Listener(groups.chat_room(space_room.pk))

    with commit():
        assert target_type("chat_message").approve(moderator, message) is True
    (event,) = listener.events()

    assert event["op"] == "approve"
    assert event["message"]["visibility"] == "visible"
    assert Notification.objects.filter(
        recipient=colleague, kind="chat_mention"
    ).exists()


# --- Visibility in replay and history -------------------------------------------


def test_replay_keeps_the_sequence_but_not_the_text_of_moderated_messages(
    member, moderator, space_room
):
    send(member, space_room, "Erste")
    hidden = send(member, space_room, "Zweite")
    send(member, space_room, "Dritte")
    target_type("chat_message").hide(moderator, hidden)

    replay = queries.replay(space_room.pk, since=0, limit=10)

    assert [e["message"]["seq"] for e in replay.events] == [1, 2, 3]
    assert replay.events[1]["message"]["visibility"] == "hidden"
    assert replay.events[1]["message"]["body"] == ""
    assert replay.events[2]["message"]["body"] == "Dritte"


# --- Screening --------------------------------------------------------------------


def test_a_blocked_word_refuses_the_send_with_a_german_detail(member, space_room):
    WordFilter.objects.create(pattern="Idiot", action=FilterAction.BLOCK)

    (result,) = send_messages(
        [SendRequest(member, space_room.pk, new_client_id(), "Du IDIOT!")]
    )

    assert result.error == "blocked_words"
    assert result.detail == screen_words("Idiot").message != ""
    assert not Message.objects.exists()


def test_too_many_links_of_a_new_member_are_refused(member, space_room, settings):
    settings.MODERATION_NEWCOMER_MAX_LINKS = 1
    settings.MODERATION_HOLD_FIRST_DAYS = 30  # the member joined today
    body = "https://a.example https://b.example"

    (result,) = send_messages([SendRequest(member, space_room.pk, "l-1", body)])

    assert result.error == "too_many_links"
    assert result.detail


def test_a_held_message_is_stored_pending_and_queued(member, colleague, space_room):
    WordFilter.objects.create(pattern="Wahlkampf", action=FilterAction.HOLD)

    message = send(member, space_room, "Wahlkampf im Dorf")
    item = ReviewItem.objects.get(target_kind="chat_message", target_id=message.pk)

    assert message.visibility == Visibility.PENDING
    assert item.source == ItemSource.HELD
    assert item.space == space_room.space
    assert item.findings == screen_words("Wahlkampf").findings


def test_a_flagged_message_is_shown_and_queued(member, space_room):
    WordFilter.objects.create(pattern="Bürgermeister", action=FilterAction.FLAG)

    message = send(member, space_room, "Der Buergermeister sagt …")
    item = ReviewItem.objects.get(target_kind="chat_message", target_id=message.pk)

    assert message.visibility == Visibility.VISIBLE
    assert item.source == ItemSource.FLAGGED


def test_an_edit_into_blocked_words_is_refused(member, space_room):
    WordFilter.objects.create(pattern="Idiot", action=FilterAction.BLOCK)
    message = send(member, space_room, "Hallo")

    with pytest.raises(Refused) as refused:
        actions.edit_message(member, message, body="Idiot")

    assert refused.value.code == "blocked_words"


def test_screening_and_sanctions_cost_a_constant_number_of_queries_per_batch(
    member, colleague, make_member, space_room
):
    WordFilter.objects.create(pattern="Wahlkampf", action=FilterAction.FLAG)
    WordFilter.objects.create(pattern="Idiot", action=FilterAction.BLOCK)
    authors = [member, colleague, *(make_member() for _ in range(3))]

    def batch(size: int) -> int:
        requests = [
            SendRequest(authors[i % 5], space_room.pk, new_client_id(), f"Hallo {i}")
            for i in range(size)
        ]
        with CaptureQueriesContext(connection) as queries_run:
            results = send_messages(requests)
        assert all(result.ok for result in results)
        return len(queries_run)

    batch(5)  # the authors' memberships exist from now on
    assert batch(10) == batch(60)


# --- Sanctions ---------------------------------------------------------------------


def test_a_member_muted_in_all_chat_is_refused_with_the_time_left(member, space_room):
    send(member, space_room, "Vorher")
    # The decision sets the field; the author object the socket holds is stale.
    type(member).objects.filter(pk=member.pk).update(
        chat_muted_until=timezone.now() + timedelta(hours=24)
    )

    (result,) = send_messages([SendRequest(member, space_room.pk, "m-2", "Nachher")])

    assert result.error == "muted"
    assert 86000 < result.retry_after <= 86400
    assert Message.objects.count() == 1


def test_a_suspended_member_cannot_send(member, space_room):
    type(member).objects.filter(pk=member.pk).update(
        suspended_until=timezone.now() + timedelta(days=7)
    )

    (result,) = send_messages([SendRequest(member, space_room.pk, "s-1", "Hallo")])

    assert result.error == "suspended"


def test_after_the_mute_ends_the_member_can_send_again(member, space_room):
    type(member).objects.filter(pk=member.pk).update(
        chat_muted_until=timezone.now() - timedelta(seconds=1)
    )

    assert send(member, space_room, "Wieder da").seq == 1


def test_muted_members_can_neither_edit_nor_react(member, colleague, space_room):
    mine = send(member, space_room, "Meins")
    theirs = send(colleague, space_room, "Deins")
    type(member).objects.filter(pk=member.pk).update(
        chat_muted_until=timezone.now() + timedelta(hours=1)
    )

    with pytest.raises(Refused) as edit:
        actions.edit_message(member, mine, body="Geändert")
    with pytest.raises(Refused) as react:
        actions.toggle_reaction(member, theirs, None, emoji="👍")

    assert edit.value.code == react.value.code == "muted"
    # Taking one's own message back stays possible.
    assert actions.delete_message(member, mine, None)


# --- Slow mode -----------------------------------------------------------------------


def test_setting_slow_mode_is_audited_and_announced_to_the_room(
    moderator, space_room, commit
):
    listener = Listener(groups.chat_room(space_room.pk))

    with commit():
        assert actions.set_slow_mode(
            moderator, space_room, seconds=30, reason="Hitzige Debatte"
        )
    (event,) = listener.events()
    entry = AuditLogEntry.objects.get(action="chat.room.slow_mode_set")
    space_room.refresh_from_db()

    assert event == {
        "type": "chat.room",
        "op": "settings",
        "room": space_room.pk,
        "slow_mode": 30,
    }
    assert entry.data == {"seconds": 30, "before": 0}
    assert entry.actor == moderator
    assert entry.reason == "Hitzige Debatte"
    assert space_room.slow_mode_set_by == moderator


def test_only_room_managers_set_slow_mode(member, space_room):
    with pytest.raises(Refused):
        actions.set_slow_mode(member, space_room, seconds=30)
    assert not AuditLogEntry.objects.exists()


def test_slow_mode_refuses_a_second_message_within_the_interval(
    member, moderator, space_room
):
    actions.set_slow_mode(moderator, space_room, seconds=60)
    space_room.refresh_from_db()
    send(member, space_room, "Eins")

    with pytest.raises(Refused) as refused:
        send(member, space_room, "Zwei")

    assert refused.value.code == "slow_mode"
    assert 55 < refused.value.retry_after <= 60


def test_slow_mode_holds_within_one_batch_too(member, moderator, space_room):
    actions.set_slow_mode(moderator, space_room, seconds=60)

    results = send_messages(
        [SendRequest(member, space_room.pk, f"b-{i}", f"Schnell {i}") for i in range(3)]
    )

    assert [r.error for r in results] == [None, "slow_mode", "slow_mode"]


def test_room_managers_are_exempt_from_slow_mode(moderator, space_room):
    actions.set_slow_mode(moderator, space_room, seconds=60)

    send(moderator, space_room, "Eins")
    send(moderator, space_room, "Zwei")

    assert space_room.messages.count() == 2


def test_after_the_interval_the_member_may_write_again(member, moderator, space_room):
    actions.set_slow_mode(moderator, space_room, seconds=60)
    first = send(member, space_room, "Eins")
    Message.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - timedelta(seconds=61)
    )

    assert send(member, space_room, "Zwei").seq == 2


# --- Removing a member from a space room ---------------------------------------


def test_a_member_removed_from_a_space_room_is_banned_from_it_until_readmitted(
    member, moderator, space_room, commit
):
    send(member, space_room, "Hallo")
    listener = Listener(groups.user(member.pk))

    with commit():
        assert actions.remove_member(moderator, space_room, member, reason="Spam")
    assert listener.events() == [
        {"type": "chat.membership", "op": "removed", "room": space_room.pk}
    ]
    entry = AuditLogEntry.objects.get(action="chat.member.removed")
    assert entry.data == {"member": member.pk}

    with pytest.raises(Http404):
        access_room(member, space_room.pk)
    with pytest.raises(Http404):
        send(member, space_room, "Wieder da?")
    assert space_room not in queries.rooms_for(member)

    assert actions.readmit_member(moderator, space_room, member)
    assert access_room(member, space_room.pk)[0] == space_room
    assert AuditLogEntry.objects.filter(action="chat.member.readmitted").exists()


def test_members_cannot_remove_each_other_from_a_space_room(
    member, colleague, space_room
):
    with pytest.raises(Refused):
        actions.remove_member(colleague, space_room, member)
    assert access_room(member, space_room.pk)

"""Chat writes: stored with gap-free sequence numbers, once, and as permitted."""

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from chat import actions
from chat.actions import SendRequest, send_messages
from chat.models import MAX_MESSAGE_LENGTH, Membership, Message, Room, RoomKind
from chat.permissions import Refused, access_room
from community.models import Notification
from tests.chat.conftest import new_client_id, send


def seqs(room: Room) -> list[int]:
    return list(room.messages.order_by("seq").values_list("seq", flat=True))


def test_a_sent_message_is_stored_with_the_rooms_next_sequence_number(
    member, space_room
):
    first = send(member, space_room, "Guten Morgen")
    second = send(member, space_room, "Wer ist heute dabei?")

    assert (first.seq, second.seq) == (1, 2)
    assert second.pk > first.pk
    space_room.refresh_from_db()
    assert space_room.last_seq == 2


def test_message_body_is_rendered_through_the_forum_markdown_pipeline(
    member, space_room
):
    message = send(member, space_room, "**wichtig** <script>alert(1)</script>")

    assert "<strong>wichtig</strong>" in message.html
    assert "<script>" not in message.html


def test_a_retry_with_the_same_client_id_stores_nothing_twice(member, space_room):
    first = send(member, space_room, "Nur einmal", client_id="abc-1")
    again = send(member, space_room, "Nur einmal", client_id="abc-1")

    assert again.pk == first.pk
    assert Message.objects.count() == 1


def test_a_batch_keeps_every_rooms_sequence_gap_free(member, colleague, make_space):
    rooms = [actions.ensure_space_room(make_space()) for _ in range(3)]
    requests = [
        SendRequest(author, room.pk, new_client_id(), f"Nachricht {i}")
        for i in range(10)
        for room in rooms
        for author in (member, colleague)
    ]

    results = send_messages(requests)

    assert all(result.ok for result in results)
    for room in rooms:
        assert seqs(room) == list(range(1, 21))


def test_a_batch_costs_the_same_queries_for_two_rooms_as_for_twenty(
    make_member, make_space
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rooms = [actions.ensure_space_room(make_space()) for _ in range(20)]
    authors = [make_member() for _ in range(20)]
    # Every author has written in every room once, so memberships exist.
    send_messages(
        [
            SendRequest(author, room.pk, new_client_id(), "Hallo")
            for author in authors
            for room in rooms
        ]
    )

    def queries_for(width: int) -> int:
        requests = [
            SendRequest(authors[i], rooms[i].pk, new_client_id(), f"Nachricht {i}")
            for i in range(width)
        ]
        with CaptureQueriesContext(connection) as run:
            assert all(result.ok for result in send_messages(requests))
        return len(run)

    assert queries_for(2) == queries_for(20)


def test_refused_sends_in_a_batch_do_not_stop_the_others(
    member, outsider, space_room, invite_only_room
):
    results = send_messages(
        [
            SendRequest(member, space_room.pk, "a", "Hallo"),
            SendRequest(outsider, invite_only_room.pk, "b", "Darf ich rein?"),
            SendRequest(member, space_room.pk, "c", "   "),
            SendRequest(member, space_room.pk, "d", "x" * (MAX_MESSAGE_LENGTH + 1)),
            SendRequest(member, 999_999, "e", "Wohin?"),
            SendRequest(member, space_room.pk, "f", "Noch da"),
        ]
    )

    assert [r.error for r in results] == [
        None,
        "room_not_found",
        "body_empty",
        "body_too_long",
        "room_not_found",
        None,
    ]
    assert seqs(space_room) == [1, 2]
    assert not invite_only_room.messages.exists()


def test_a_duplicate_inside_one_batch_is_stored_once(member, space_room):
    results = send_messages(
        [
            SendRequest(member, space_room.pk, "same", "Doppelt"),
            SendRequest(member, space_room.pk, "same", "Doppelt"),
        ]
    )

    assert results[0].message.pk == results[1].message.pk
    assert results[1].duplicate
    assert seqs(space_room) == [1]


def test_sending_advances_the_authors_read_position_and_joins_open_rooms(
    member, space_room
):
    send(member, space_room)
    send(member, space_room)

    membership = Membership.objects.get(room=space_room, user=member)
    assert membership.last_read_seq == 2


def test_a_reply_must_quote_a_message_of_the_same_room(
    member, space_room, invite_only_room
):
    elsewhere = send(member, invite_only_room, "Interna")
    question = send(member, space_room, "Eine Frage")

    answer = send(member, space_room, "Die Antwort", reply_to=question)
    assert answer.reply_to == question
    with pytest.raises(Refused, match="reply_not_found"):
        send(member, space_room, "Falscher Raum", reply_to=elsewhere)


def test_mentioned_members_who_can_read_the_room_are_notified(
    member, colleague, outsider, invite_only_room
):
    send(
        member,
        invite_only_room,
        f"@**{colleague.name}** und @**{outsider.name}**, bitte lesen",
    )

    notified = Notification.objects.filter(kind="chat_mention")
    assert [n.recipient for n in notified] == [colleague]
    assert notified[0].url.startswith(f"/chat/{invite_only_room.pk}/#m1")


def test_an_author_can_edit_a_message_within_the_edit_window(member, space_room):
    message = send(member, space_room, "Tippfeler")

    assert actions.edit_message(member, message, body="Tippfehler")
    message.refresh_from_db()
    assert message.body == "Tippfehler"
    assert message.edited_at is not None


def test_editing_after_the_window_is_refused(member, space_room):
    message = send(member, space_room, "Alt")
    Message.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - timedelta(minutes=16)
    )
    message.refresh_from_db()

    with pytest.raises(Refused, match="edit_window_closed"):
        actions.edit_message(member, message, body="Neu")


def test_nobody_edits_someone_elses_message(member, colleague, space_room):
    message = send(member, space_room, "Meins")

    with pytest.raises(Refused, match="forbidden"):
        actions.edit_message(colleague, message, body="Jetzt meins")


def test_a_deleted_message_keeps_its_place_but_not_its_text(member, space_room):
    message = send(member, space_room, "Versehentlich")

    actions.delete_message(member, message, None)

    message.refresh_from_db()
    assert message.is_deleted
    assert (message.body, message.html, message.seq) == ("", "", 1)


def test_only_the_author_or_a_room_manager_deletes_a_message(
    member, colleague, outsider
):
    room = actions.create_room(member, title="Offener Raum", is_invite_only=False)
    by_colleague = send(colleague, room, "Hallo")
    by_outsider = send(outsider, room, "Auch hallo")

    with pytest.raises(Refused, match="forbidden"):
        actions.delete_message(outsider, by_colleague, None)
    owner_membership = Membership.objects.get(room=room, user=member)
    assert actions.delete_message(member, by_outsider, owner_membership)


def test_a_reaction_is_toggled(member, colleague, space_room):
    message = send(member, space_room)

    assert actions.toggle_reaction(colleague, message, None, emoji="👍") is True
    assert message.reactions.count() == 1
    assert actions.toggle_reaction(colleague, message, None, emoji="👍") is False
    assert message.reactions.count() == 0


def test_only_the_offered_reactions_are_accepted(member, space_room):
    message = send(member, space_room)

    with pytest.raises(Refused, match="bad_reaction"):
        actions.toggle_reaction(member, message, None, emoji="💩")


def test_the_space_room_is_created_once_and_follows_the_space_title(make_space):
    space = make_space("Pflege")
    room = actions.ensure_space_room(space)
    space.title = "Pflege und Gesundheit"
    space.save()

    again = actions.ensure_space_room(space)

    assert again.pk == room.pk
    assert again.title == "Pflege und Gesundheit"
    assert again.kind == RoomKind.SPACE


def test_a_seminar_room_hook_is_idempotent_and_members_only(member, outsider):
    room = actions.ensure_owned_room(owner_key="seminars.event:1", title="Seminar")
    again = actions.ensure_owned_room(owner_key="seminars.event:1", title="Seminar")

    assert again.pk == room.pk
    with pytest.raises(Http404):
        access_room(outsider, room.pk)


def test_a_direct_conversation_with_the_same_people_is_reopened(
    member, colleague, outsider
):
    first = actions.start_direct(member, [colleague, outsider])
    again = actions.start_direct(outsider, [member, colleague])

    assert again.pk == first.pk
    assert first.members.count() == 3


def test_a_direct_conversation_needs_two_to_ten_members(member, make_member):
    with pytest.raises(Refused, match="bad_member_count"):
        actions.start_direct(member, [])
    others = [make_member() for _ in range(10)]
    with pytest.raises(Refused, match="bad_member_count"):
        actions.start_direct(member, others)


def test_invite_only_rooms_and_direct_conversations_are_hidden_from_outsiders(
    member, colleague, outsider, invite_only_room, staff_member
):
    direct = actions.start_direct(member, [colleague])

    for room in (invite_only_room, direct):
        assert access_room(colleague, room.pk)[0] == room
        with pytest.raises(Http404):
            access_room(outsider, room.pk)
    # Not even the Geschäftsstelle reads direct conversations.
    with pytest.raises(Http404):
        access_room(staff_member, direct.pk)


def test_a_restricted_spaces_room_is_for_the_spaces_members_only(
    member, outsider, make_space
):
    space = make_space("Projekt Nord", is_restricted=True, members=[member])
    room = actions.ensure_space_room(space)

    assert access_room(member, room.pk)[0] == room
    with pytest.raises(Http404):
        access_room(outsider, room.pk)
    with pytest.raises(Http404):
        send(outsider, room, "Hallo?")


def test_a_removed_member_can_no_longer_send(member, colleague, invite_only_room):
    actions.remove_member(member, invite_only_room, colleague)

    with pytest.raises(Http404):
        send(colleague, invite_only_room, "Noch da?")


def test_a_muted_member_is_told_how_long_the_mute_lasts(
    member, colleague, invite_only_room
):
    until = timezone.now() + timedelta(minutes=10)
    actions.mute_member(member, invite_only_room, colleague, until=until, reason="Spam")

    with pytest.raises(Refused, match="muted") as refused:
        send(colleague, invite_only_room, "Kauft Zeug!")
    assert 590 < refused.value.retry_after <= 600


def test_reading_moves_the_read_position_forward_only(member, space_room):
    for _ in range(3):
        send(member, space_room)
    space_room.refresh_from_db()
    membership = Membership.objects.get(room=space_room, user=member)

    assert not actions.mark_read(member, space_room, membership, seq=1)
    Membership.objects.filter(pk=membership.pk).update(last_read_seq=0)
    membership.refresh_from_db()
    assert actions.mark_read(member, space_room, membership, seq=99)
    membership.refresh_from_db()
    assert membership.last_read_seq == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_batches_from_many_processes_keep_the_sequence_gap_free(
    member, colleague, space_room
):
    """Threads stand in for server processes: each has its own connection."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    def batch(n: int) -> list:
        try:
            return send_messages(
                [
                    SendRequest(author, space_room.pk, f"t{n}-{i}-{author.pk}", "Hi")
                    for i in range(10)
                    for author in (member, colleague)
                ]
            )
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = [r for rs in pool.map(batch, range(16)) for r in rs]

    assert all(result.ok for result in results)
    assert seqs(space_room) == list(range(1, 16 * 20 + 1))


def test_a_client_id_of_another_rooms_message_is_refused(member, make_space):
    one, other = (actions.ensure_space_room(make_space()) for _ in range(2))
    send(member, one, client_id="reused")

    (result,) = send_messages([SendRequest(member, other.pk, "reused", "Hallo")])

    assert (result.error, result.field) == ("bad_field", "client_id")
    assert Message.objects.count() == 1

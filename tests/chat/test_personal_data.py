"""The chat's part of the data export, of account deletion and of retention."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.actions import delete_account
from accounts.personal_data import collect
from chat.actions import ensure_space_room, send_message, start_direct
from chat.models import Membership, Message
from community.markup import mention_token
from community.models import Space
from tests.chat.conftest import new_client_id


@pytest.fixture
def room(db):
    return ensure_space_room(Space.objects.create(title="Mobilität", slug="mobil"))


def say(author, room, body):
    return send_message(author, room, client_id=new_client_id(), body=body)


def test_the_export_holds_my_chat_messages_and_rooms(member, room):
    say(member, room, "Guten Morgen aus Musterau")
    parts = collect(member)["parts"]
    assert [m["text"] for m in parts["chat_messages"]] == ["Guten Morgen aus Musterau"]
    assert parts["chat_rooms"][0]["room"] == "Mobilität"


def test_deletion_keeps_room_messages_and_empties_direct_ones(
    member, make_member, room, staff_member
):
    colleague = make_member(name="Jonas Peer")
    in_room = say(member, room, "Bleibt lesbar")
    direct = start_direct(member, [colleague])
    private = say(member, direct, "Nur für Jonas")
    mention = say(colleague, room, f"Danke {mention_token(member)}")
    delete_account(staff_member, member, reason="Schreiben vom 3.3.")
    in_room.refresh_from_db()
    private.refresh_from_db()
    mention.refresh_from_db()
    assert in_room.body == "Bleibt lesbar" and in_room.deleted_at is None
    assert private.body == "" and private.html == "" and private.deleted_at
    assert "Anna Beispiel" not in mention.body + mention.html
    assert not Membership.objects.filter(user=member).exists()


def test_retention_deletes_messages_past_the_period(member, room, settings):
    settings.CHAT_RETENTION_DAYS = 30
    old = say(member, room, "Alt")
    recent = say(member, room, "Neu")
    Message.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=31)
    )
    call_command("purge_chat")
    assert list(Message.objects.values_list("pk", flat=True)) == [recent.pk]


def test_a_conversation_with_a_deleted_member_is_named_former_member(
    client, member, make_member, staff_member
):
    colleague = make_member(name="Jonas Peer")
    direct = start_direct(colleague, [member])
    say(member, direct, "Bis bald")
    delete_account(staff_member, member, reason="Auf Wunsch")

    client.force_login(colleague)
    rooms = client.get("/chat/").content.decode()
    page = client.get(f"/chat/{direct.pk}/").content.decode()

    assert "Ehemaliges Mitglied" in rooms and f"#{direct.pk}" not in rooms
    assert "<h1>Ehemaliges Mitglied" in page or "Ehemaliges Mitglied</h1>" in page

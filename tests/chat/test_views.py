"""Chat pages: rooms with unread counts, a room's history, forms without JS."""

import pytest
from django.urls import reverse

from chat import actions
from chat.actions import SendRequest, send_messages
from chat.models import Membership, Message, Room, RoomKind
from tests.chat.conftest import send


def fill(room: Room, author, count: int) -> None:
    send_messages(
        [
            SendRequest(author, room.pk, f"fill-{room.pk}-{i}", f"N{i}")
            for i in range(count)
        ]
    )


def test_the_rooms_list_shows_unread_counts_for_joined_rooms(
    client, member, colleague, space_room, make_space
):
    other = actions.ensure_space_room(make_space("Wohnen im Alter"))
    send(member, space_room, "Ich bin da")  # joins the room, read up to 1
    fill(space_room, colleague, 3)
    client.force_login(member)

    page = client.get(reverse("chat:rooms")).content.decode()

    assert "3 ungelesene Nachrichten" in page
    assert other.title in page
    assert "noch nicht beigetreten" in page


def test_a_new_space_gets_its_chat_room_when_the_chat_is_first_opened(
    client, member, make_space
):
    space = make_space("Digitale Verwaltung")
    assert not Room.objects.filter(space=space).exists()
    client.force_login(member)

    page = client.get(reverse("chat:rooms")).content.decode()

    room = Room.objects.get(space=space)
    assert (room.kind, room.title) == (RoomKind.SPACE, "Digitale Verwaltung")
    assert "Digitale Verwaltung" in page
    client.get(reverse("chat:rooms"))
    assert Room.objects.filter(space=space).count() == 1


def test_the_rooms_list_hides_rooms_the_member_may_not_see(
    client, member, outsider, invite_only_room, make_space
):
    restricted = actions.ensure_space_room(make_space("Geheim", is_restricted=True))
    client.force_login(outsider)

    page = client.get(reverse("chat:rooms")).content.decode()

    assert invite_only_room.title not in page
    assert restricted.title not in page


def test_the_rooms_list_runs_a_constant_number_of_queries(
    client, member, colleague, make_space, django_assert_max_num_queries
):
    for _ in range(5):
        send(member, actions.ensure_space_room(make_space()))
    for _ in range(3):
        actions.start_direct(member, [colleague])
    client.force_login(member)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("chat:rooms"))
    assert response.status_code == 200


def test_a_room_page_shows_its_history_and_a_divider_before_the_first_unread(
    client, member, colleague, space_room
):
    send(member, space_room, "Von mir")
    send(colleague, space_room, "Neu für Anna")
    client.force_login(member)

    page = client.get(reverse("chat:room", args=[space_room.pk])).content.decode()

    divider = page.index("Neue Nachrichten")
    assert page.index("Von mir") < divider < page.index("Neu für")
    assert 'aria-live="polite"' in page
    assert '<label for="id_body">' in page
    assert '<script type="module"' in page and "js/chat.js" in page
    assert Membership.objects.get(room=space_room, user=member).last_read_seq == 2


def test_a_room_page_is_a_404_for_members_who_may_not_see_it(
    client, outsider, invite_only_room
):
    client.force_login(outsider)

    response = client.get(reverse("chat:room", args=[invite_only_room.pk]))

    assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_the_login(client, space_room):
    response = client.get(reverse("chat:room", args=[space_room.pk]))

    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]


@pytest.mark.parametrize("page_size", [5, 60])
def test_history_pages_back_with_a_constant_number_of_queries(
    client, member, colleague, space_room, page_size, django_assert_max_num_queries
):
    fill(space_room, colleague, page_size + 60)
    for message in Message.objects.filter(room=space_room)[:page_size]:
        actions.toggle_reaction(member, message, None, emoji="👍")
    client.force_login(member)
    url = reverse("chat:history", args=[space_room.pk])

    with django_assert_max_num_queries(7):
        latest = client.get(url).json()
    with django_assert_max_num_queries(7):
        older = client.get(url, {"vor": latest["messages"][0]["seq"]}).json()

    total = page_size + 60
    assert [m["seq"] for m in latest["messages"]] == list(range(total - 49, total + 1))
    assert [m["seq"] for m in older["messages"]] == list(
        range(max(1, total - 99), total - 49)
    )
    assert latest["has_more"] is True


def test_history_keyset_pages_cover_every_message_once(
    client, member, colleague, space_room
):
    fill(space_room, colleague, 120)
    client.force_login(member)
    url = reverse("chat:history", args=[space_room.pk])

    seen, before = [], None
    while True:
        page = client.get(url, {"vor": before} if before else {}).json()
        seen = [m["seq"] for m in page["messages"]] + seen
        if not page["has_more"]:
            break
        before = page["messages"][0]["seq"]

    assert seen == list(range(1, 121))


def test_history_refuses_a_malformed_position(member_client, space_room):
    url = reverse("chat:history", args=[space_room.pk])

    assert member_client.get(url, {"vor": "drop table"}).status_code == 400


def test_a_message_can_be_sent_without_javascript_and_only_once(
    member_client, space_room
):
    url = reverse("chat:send", args=[space_room.pk])
    form = {"body": "Ohne JavaScript", "client_id": "form-1"}

    first = member_client.post(url, form)
    member_client.post(url, form)  # the browser resubmits

    assert first.status_code == 302
    assert first["Location"].endswith(f"/chat/{space_room.pk}/#m1")
    assert Message.objects.filter(room=space_room).count() == 1


def test_a_member_opens_an_invite_only_room_and_owns_it(member_client, member):
    response = member_client.post(
        reverse("chat:create"), {"title": "AG Mobilität", "is_invite_only": "on"}
    )

    room = Room.objects.get(title="AG Mobilität")
    assert response["Location"] == reverse("chat:room", args=[room.pk])
    assert room.kind == RoomKind.ADHOC and room.is_invite_only
    assert room.members.get().user == member


def test_the_owner_invites_and_removes_members(
    member_client, member, colleague, outsider
):
    room = actions.create_room(member, title="AG", is_invite_only=True)

    member_client.post(
        reverse("chat:members_add", args=[room.pk]), {"members": [colleague.pk]}
    )
    assert room.members.filter(user=colleague).exists()
    member_client.post(reverse("chat:member_remove", args=[room.pk, colleague.pk]))
    assert not room.members.filter(user=colleague).exists()


def test_an_ordinary_member_cannot_remove_others(
    client, member, colleague, invite_only_room
):
    client.force_login(colleague)

    response = client.post(
        reverse("chat:member_remove", args=[invite_only_room.pk, member.pk])
    )

    assert response.status_code == 403
    assert invite_only_room.members.filter(user=member).exists()


def test_a_direct_conversation_is_started_from_the_form(
    member_client, member, colleague
):
    response = member_client.post(reverse("chat:direct"), {"members": [colleague.pk]})

    room = Room.objects.get(kind=RoomKind.DIRECT)
    assert response["Location"] == reverse("chat:room", args=[room.pk])
    assert set(room.members.values_list("user_id", flat=True)) == {
        member.pk,
        colleague.pk,
    }
    page = member_client.get(response["Location"]).content.decode()
    assert colleague.name in page


def test_a_member_leaves_a_room(member_client, member, colleague, invite_only_room):
    member_client.post(reverse("chat:leave", args=[invite_only_room.pk]))

    assert not invite_only_room.members.filter(user=member).exists()


def test_a_room_groups_consecutive_messages_of_one_author(
    member_client, member, colleague, space_room
):
    from tests.chat.conftest import send

    first = send(member, space_room, "Eins")
    send(member, space_room, "Zwei")
    send(colleague, space_room, "Drei")
    send(colleague, space_room, "Vier", reply_to=first)

    page = member_client.get(f"/chat/{space_room.pk}/").content.decode()

    def classes(seq: int) -> str:
        start = page.index(f'id="m{seq}"') - 200
        return page[page.index('class="chat-message', start) :].split('"')[1]

    assert "is-continuation" not in classes(1)
    assert "is-continuation" in classes(2)
    assert "is-continuation" not in classes(3), "another author"
    assert "is-continuation" not in classes(4), "a reply starts its own block"


def test_reactions_say_who_reacted_in_the_history_and_the_events(
    member_client, member, colleague, space_room
):
    from chat.events import message_event
    from tests.chat.conftest import send

    message = send(member, space_room, "Danke für die Einladung")
    actions.toggle_reaction(colleague, message, None, emoji="👍")

    page = member_client.get(f"/chat/{space_room.pk}/").content.decode()
    assert 'title="Bernd Kollege"' in page
    assert 'aria-pressed="false"' in page, "not the viewer's own reaction"
    event = message_event(message, "react")
    assert event["message"]["reactions"] == [
        {"emoji": "👍", "count": 1, "users": [colleague.pk], "names": ["Bernd Kollege"]}
    ]


def test_a_reply_quotes_the_plain_words_not_the_markdown(
    member_client, member, space_room
):
    from tests.chat.conftest import send

    first = send(member, space_room, "Wer hat **Bürgerbusse**?")
    send(member, space_room, "Ich", reply_to=first)

    page = member_client.get(f"/chat/{space_room.pk}/").content.decode()
    assert ": Wer hat Bürgerbusse?</p>" in page


def test_the_rooms_list_carries_what_the_live_counts_need(
    member_client, member, colleague, space_room
):
    from tests.chat.conftest import send

    member_client.get(f"/chat/{space_room.pk}/")  # joins and reads
    send(colleague, space_room, "Neu")

    page = member_client.get("/chat/").content.decode()

    assert f'data-room="{space_room.pk}" data-seq="1" data-read="0"' in page
    assert "1 ungelesene Nachricht<" in page
    assert "chat-rooms.js" in page

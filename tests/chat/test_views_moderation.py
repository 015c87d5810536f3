"""The chat pages with moderated messages: placeholders, the author's and the
moderators' view, report links, slow mode in the composer."""

import pytest

from chat import actions
from chat.models import Message
from moderation.models import Visibility
from tests.chat.conftest import send


@pytest.fixture
def moderator(make_member, space_room):
    moderator = make_member(name="Mara Moderatorin")
    space_room.space.moderators.add(moderator)
    return moderator


@pytest.fixture
def hidden(member, space_room) -> Message:
    message = send(member, space_room, "Ein grober Satz")
    Message.objects.filter(pk=message.pk).update(visibility=Visibility.HIDDEN)
    return message


def test_others_see_a_placeholder_instead_of_a_hidden_message(
    client, colleague, space_room, hidden
):
    client.force_login(colleague)

    page = client.get(f"/chat/{space_room.pk}/").content.decode()

    assert "Ein grober Satz" not in page
    assert "Von der Moderation ausgeblendet" in page or "Hidden by the" in page
    assert f'id="m{hidden.seq}"' in page


@pytest.mark.parametrize("who", ["member", "moderator"])
def test_the_author_and_the_moderators_still_read_a_hidden_message(
    client, request, space_room, hidden, who
):
    client.force_login(request.getfixturevalue(who))

    page = client.get(f"/chat/{space_room.pk}/").content.decode()

    assert "Ein grober Satz" in page


def test_the_history_keeps_the_place_of_a_hidden_message_without_its_text(
    client, colleague, member, space_room, hidden
):
    client.force_login(colleague)
    others = client.get(f"/chat/{space_room.pk}/verlauf/").json()["messages"]
    client.force_login(member)
    own = client.get(f"/chat/{space_room.pk}/verlauf/").json()["messages"]

    assert others[0]["seq"] == own[0]["seq"] == hidden.seq
    assert others[0]["visibility"] == "hidden"
    assert others[0]["body"] == others[0]["html"] == ""
    assert own[0]["body"] == "Ein grober Satz"


def test_others_messages_carry_a_report_link_and_ones_own_do_not(
    client, member, colleague, space_room
):
    mine = send(member, space_room, "Meins")
    theirs = send(colleague, space_room, "Deins")
    client.force_login(member)

    page = client.get(f"/chat/{space_room.pk}/").content.decode()

    assert f'data-report="/moderation/melden/chat_message/{theirs.pk}/"' in page
    assert f"/moderation/melden/chat_message/{mine.pk}/" not in page


def test_the_composer_shows_slow_mode(client, member, moderator, space_room):
    actions.set_slow_mode(moderator, space_room, seconds=30)
    client.force_login(member)

    page = client.get(f"/chat/{space_room.pk}/").content.decode()

    assert 'id="chat-slow-mode"' in page
    assert "30" in page.split('id="chat-slow-mode"')[1].split("</p>")[0]


def test_a_send_refused_by_the_word_filter_tells_why_without_javascript(
    client, member, space_room
):
    from moderation.models import FilterAction, WordFilter

    WordFilter.objects.create(pattern="Idiot", action=FilterAction.BLOCK)
    client.force_login(member)

    response = client.post(
        f"/chat/{space_room.pk}/senden/",
        {"body": "Idiot", "client_id": "nojs-1"},
        follow=True,
    )

    assert not Message.objects.exists()
    assert len(list(response.context["messages"])) == 1

"""Chat messages are searchable, in the rooms the member may open only."""

from __future__ import annotations

from chat import actions
from tests.chat.conftest import send


def chat_results(client, query: str, **filters) -> str:
    response = client.get("/suche/", {"q": query, "bereich": "chat", **filters})
    assert response.status_code == 200
    html = response.content.decode()
    if '<ol class="search-results">' not in html:
        return ""
    return html.split('<ol class="search-results">', 1)[1].split("</ol>", 1)[0]


def test_messages_of_open_rooms_are_found_with_their_room_and_place(
    member_client, colleague, space_room
):
    message = send(colleague, space_room, "Der Bürgerbus fährt ab Montag.")
    html = chat_results(member_client, "buergerbus")
    assert "Mobilität im ländlichen Raum" in html
    assert "<mark>Bürgerbus</mark>" in html
    assert f"/chat/{space_room.pk}/?um={message.seq}#m{message.seq}" in html


def test_rooms_the_member_may_not_open_are_never_searched(
    client, member, colleague, outsider, invite_only_room
):
    send(colleague, invite_only_room, "Geheime Bürgerbus-Pläne")
    client.force_login(outsider)
    assert "Geheime" not in chat_results(client, "Bürgerbus")
    client.force_login(member)
    assert "Geheime" in chat_results(client, "Bürgerbus")


def test_direct_messages_are_found_by_their_participants(
    client, member, colleague, outsider
):
    room = actions.start_direct(member, [colleague])
    send(colleague, room, "Treffen wir uns zur Straßenbahn?")
    client.force_login(member)
    assert "Bernd Kollege" in chat_results(client, "Strassenbahn")
    client.force_login(outsider)
    assert "Straßenbahn" not in chat_results(client, "Strassenbahn")


def test_deleted_messages_and_other_authors_are_left_out(
    member_client, member, colleague, space_room
):
    gone = send(colleague, space_room, "Rufbus am Dienstag")
    actions.delete_message(colleague, gone, None)
    send(member, space_room, "Rufbus am Mittwoch")
    send(colleague, space_room, "Rufbus am Freitag")
    html = chat_results(member_client, "Rufbus", author="Bernd")
    assert "Freitag" in html
    assert "Dienstag" not in html and "Mittwoch" not in html


def test_a_search_result_opens_the_room_around_the_message(
    member_client, colleague, space_room
):
    first = send(colleague, space_room, "Die Antwort auf alles")
    for n in range(80):
        send(colleague, space_room, f"Nachricht {n}")
    response = member_client.get(f"/chat/{space_room.pk}/", {"um": first.seq})
    assert f'id="m{first.seq}"' in response.content.decode()

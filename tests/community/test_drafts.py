"""Drafts: kept on the server per member and place, put back into the
composer, gone once sent; part of the data export and of account deletion."""

import pytest
from django.test import Client

from accounts import personal_data
from accounts.actions import delete_account
from chat import actions as chat_actions
from community.models import Draft


@pytest.fixture
def room(make_member):
    from community.models import Space

    space = Space.objects.create(title="Ehrenamt", slug="ehrenamt")
    return chat_actions.ensure_space_room(space)


def test_a_draft_is_kept_and_put_back_into_the_chat_composer(
    member_client, member, room
):
    response = member_client.post(
        "/entwuerfe/", {"place": f"chat:{room.pk}", "text": "Halb <fertig>"}
    )
    assert response.json() == {"kept": True}

    page = member_client.get(f"/chat/{room.pk}/").content.decode()

    assert ">Halb &lt;fertig&gt;</textarea>" in page
    assert "Entwurf wiederhergestellt" in page


def test_drafts_are_per_member_and_place(member_client, member, make_member, room):
    member_client.post("/entwuerfe/", {"place": f"chat:{room.pk}", "text": "Meins"})
    member_client.post("/entwuerfe/", {"place": "reply:7", "text": "Anderswo"})
    member_client.post("/entwuerfe/", {"place": f"chat:{room.pk}", "text": "Neuer"})

    assert Draft.objects.get(user=member, place=f"chat:{room.pk}").text == "Neuer"
    other = make_member()
    member_client.force_login(other)
    page = member_client.get(f"/chat/{room.pk}/").content.decode()
    assert "Neuer</textarea>" not in page


def test_an_empty_draft_is_discarded(member_client, member, room):
    member_client.post("/entwuerfe/", {"place": f"chat:{room.pk}", "text": "Etwas"})
    member_client.post("/entwuerfe/", {"place": f"chat:{room.pk}", "text": "  "})

    assert not Draft.objects.filter(user=member).exists()


def test_a_draft_needs_a_known_place_and_a_login(member_client):
    bad = member_client.post("/entwuerfe/", {"place": "../etc", "text": "x"})
    assert bad.status_code == 400
    anonymous = Client().post("/entwuerfe/", {"place": "chat:1", "text": "x"})
    assert anonymous.status_code == 302
    assert not Draft.objects.exists()


def test_sending_without_script_discards_the_draft(member_client, member, room):
    member_client.post("/entwuerfe/", {"place": f"chat:{room.pk}", "text": "Hallo"})

    member_client.post(
        f"/chat/{room.pk}/senden/", {"body": "Hallo", "client_id": "ohne-js-1"}
    )

    assert not Draft.objects.filter(user=member).exists()


def test_drafts_are_exported_and_erased_with_the_account(member, room):
    Draft.objects.create(user=member, place=f"chat:{room.pk}", text="Geheim")

    exported = personal_data.collect(member)["parts"]["drafts"]
    assert [d["text"] for d in exported] == ["Geheim"]

    delete_account(member, member)
    assert not Draft.objects.exists()

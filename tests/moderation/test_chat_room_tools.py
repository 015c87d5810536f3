"""The room managers' tools on the chat room page, for every role of the
matrix: slow mode, muting and removing a member, readmitting."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditLogEntry
from chat import actions
from chat.models import Membership
from tests.chat.conftest import send
from tests.moderation.conftest import MODERATORS_OF_SPACE, ROLES


def login(client, cast, role: str) -> None:
    user = cast.by_role(role)
    if user is not None:
        client.force_login(user)


def expected_status(role: str) -> int:
    if role == "anonymous":
        return 302  # to the login page
    return 302 if role in MODERATORS_OF_SPACE else 403


@pytest.mark.parametrize("role", ROLES)
def test_setting_slow_mode(client, cast, role):
    login(client, cast, role)

    response = client.post(
        f"/chat/{cast.room.pk}/langsamer-modus/",
        {"slow-seconds": "30", "slow-reason": "Hitzige Debatte"},
    )

    assert response.status_code == expected_status(role)
    cast.room.refresh_from_db()
    entries = AuditLogEntry.objects.filter(action="chat.room.slow_mode_set")
    if role in MODERATORS_OF_SPACE:
        assert response.url == f"/chat/{cast.room.pk}/"
        assert cast.room.slow_mode_seconds == 30
        assert cast.room.slow_mode_set_by == cast.by_role(role)
        (entry,) = entries
        assert entry.data == {"seconds": 30, "before": 0}
        assert entry.reason == "Hitzige Debatte"
    else:
        assert cast.room.slow_mode_seconds == 0
        assert not entries.exists()


@pytest.mark.parametrize("role", ROLES)
def test_muting_a_member_in_the_room(client, cast, role):
    send(cast.author, cast.room, "Ich war hier")
    login(client, cast, role)

    response = client.post(
        f"/chat/{cast.room.pk}/stummschalten/",
        {"mute-member": cast.author.pk, "mute-hours": "24", "mute-reason": "Ton"},
    )

    assert response.status_code == expected_status(role)
    membership = Membership.objects.get(room=cast.room, user=cast.author)
    if role in MODERATORS_OF_SPACE:
        left = membership.muted_until - timezone.now()
        assert timedelta(hours=23) < left <= timedelta(hours=24)
        entry = AuditLogEntry.objects.get(action="chat.member.muted")
        assert entry.data["member"] == cast.author.pk
    else:
        assert membership.muted_until is None
        assert not AuditLogEntry.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_removing_a_member_from_the_space_room(client, cast, role):
    send(cast.author, cast.room, "Ich war hier")
    login(client, cast, role)

    response = client.post(
        f"/chat/{cast.room.pk}/entfernen/",
        {"remove-member": cast.author.pk, "remove-reason": "Spam"},
    )

    assert response.status_code == expected_status(role)
    membership = Membership.objects.get(room=cast.room, user=cast.author)
    if role in MODERATORS_OF_SPACE:
        assert membership.removed_at is not None
        assert AuditLogEntry.objects.get(action="chat.member.removed").reason == "Spam"
    else:
        assert membership.removed_at is None
        assert not AuditLogEntry.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_readmitting_a_removed_member(client, cast, role):
    send(cast.author, cast.room, "Ich war hier")
    actions.remove_member(cast.space_moderator, cast.room, cast.author)
    login(client, cast, role)

    response = client.post(
        f"/chat/{cast.room.pk}/mitglieder/{cast.author.pk}/wieder-zulassen/"
    )

    assert response.status_code == expected_status(role)
    membership = Membership.objects.get(room=cast.room, user=cast.author)
    readmitted = AuditLogEntry.objects.filter(action="chat.member.readmitted")
    if role in MODERATORS_OF_SPACE:
        assert membership.removed_at is None
        assert readmitted.exists()
    else:
        assert membership.removed_at is not None
        assert not readmitted.exists()


@pytest.mark.parametrize("role", ROLES)
def test_the_tools_panel_shows_for_the_rooms_moderators_only(client, cast, role):
    login(client, cast, role)

    response = client.get(f"/chat/{cast.room.pk}/")

    if role == "anonymous":
        assert response.status_code == 302
        return
    page = response.content.decode()
    assert (f"/chat/{cast.room.pk}/langsamer-modus/" in page) == (
        role in MODERATORS_OF_SPACE
    )


def test_a_removed_member_is_refused_the_room_page_but_keeps_the_space(client, cast):
    send(cast.author, cast.room, "Ich war hier")
    actions.remove_member(cast.space_moderator, cast.room, cast.author)
    client.force_login(cast.author)

    assert client.get(f"/chat/{cast.room.pk}/").status_code == 404
    assert client.get(f"/forum/{cast.space.slug}/").status_code == 200


def test_a_room_of_another_space_is_not_the_space_moderators(client, cast):
    other_room = actions.ensure_space_room(cast.other_space)
    client.force_login(cast.space_moderator)

    response = client.post(
        f"/chat/{other_room.pk}/langsamer-modus/", {"slow-seconds": "30"}
    )

    assert response.status_code == 403
    other_room.refresh_from_db()
    assert other_room.slow_mode_seconds == 0

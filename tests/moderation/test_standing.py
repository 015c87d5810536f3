"""Moderator tools never act on staff, nor on moderators of equal or higher
standing (community.permissions.outranks), in the chat's room tools as in the
moderation decisions on forum content."""

from __future__ import annotations

import pytest

from audit.models import AuditLogEntry
from chat.models import Membership
from moderation.actions.reports import report
from moderation.models import ItemStatus, ReviewItem
from moderation.permissions import allowed_actions
from moderation.registry import target_type
from tests.chat.conftest import send

# (who uses the tool, on whom, allowed?)
STANDINGS = [
    ("space_moderator", "author", True),
    ("space_moderator", "global_moderator", False),
    ("space_moderator", "admin", False),
    ("space_moderator", "fellow_moderator", False),
    ("global_moderator", "fellow_moderator", True),
    ("global_moderator", "colleague_staff", False),
    ("global_moderator", "admin", False),
    ("admin", "global_moderator", True),
]


@pytest.fixture
def people(cast, make_member):
    """The cast, with a second moderator of the space and a second staff member."""
    fellow = make_member(name="Fritz Mitmoderator")
    cast.space.moderators.add(fellow)
    colleague = make_member(name="Clara Geschäftsstelle", is_staff=True)
    return {
        **{role: cast.by_role(role) for role in ("author", "space_moderator")},
        "global_moderator": cast.global_moderator,
        "admin": cast.admin,
        "fellow_moderator": fellow,
        "colleague_staff": colleague,
    }


@pytest.mark.parametrize(("actor", "target", "allowed"), STANDINGS)
def test_removing_from_the_space_room_respects_standing(
    client, cast, people, actor, target, allowed
):
    member = people[target]
    send(member, cast.room, "Ich bin hier")
    client.force_login(people[actor])

    response = client.post(
        f"/chat/{cast.room.pk}/entfernen/",
        {"remove-member": member.pk, "remove-reason": "Test"},
    )

    assert response.status_code == 302
    removed = Membership.objects.filter(
        room=cast.room, user=member, removed_at__isnull=False
    ).exists()
    assert removed == allowed
    assert AuditLogEntry.objects.filter(action="chat.member.removed").exists() == (
        allowed
    )
    # Whoever was not removed still reads the room.
    client.force_login(member)
    expected = 404 if allowed else 200
    assert client.get(f"/chat/{cast.room.pk}/").status_code == expected


@pytest.mark.parametrize(("actor", "target", "allowed"), STANDINGS)
def test_muting_in_the_space_room_respects_standing(
    client, cast, people, actor, target, allowed
):
    member = people[target]
    send(member, cast.room, "Ich bin hier")
    client.force_login(people[actor])

    response = client.post(
        f"/chat/{cast.room.pk}/stummschalten/",
        {"mute-member": member.pk, "mute-hours": "24", "mute-reason": "Ton"},
    )

    assert response.status_code == 302
    membership = Membership.objects.get(room=cast.room, user=member)
    assert (membership.muted_until is not None) == allowed


@pytest.mark.parametrize(("actor", "target", "allowed"), STANDINGS)
def test_member_sanctions_on_forum_content_respect_standing(
    cast, people, make_thread, fake_kind, actor, target, allowed
):
    thread = make_thread(
        people[target], in_space=cast.space, title="Beitrag", source="Text"
    )
    post = thread.posts.get(position=1)
    report(cast.other, fake_kind, post.pk, reason="insult", text="")
    item = ReviewItem.objects.get(status=ItemStatus.OPEN)

    offered = allowed_actions(people[actor], item, target_type(fake_kind), post)

    assert ("warn" in offered) == allowed
    assert ("mute" in offered) == allowed
    assert "hide" in offered  # content tools stay: the text is the space's

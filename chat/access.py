"""Changes of who may see a room reach the sockets already open
(realtime.access, docs/security.md "How access ends").

The actions announce what they change themselves (`chat.membership` removed);
these hooks cover every other path, the admin's membership inline and room
form above all: a membership deleted or marked removed, a room turned invite
only, a space turned restricted (community.access.space_narrowed). A member's
change reaches their own sockets (`access.changed`); a room's change everyone
subscribed to it, on the room bus (`chat.access`).
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_save

from chat.models import Membership, Room
from realtime import groups
from realtime.access import access_changed
from realtime.bus.entries import ACCESS
from realtime.publish import publish_on_commit


def recheck_room(room_id: int) -> None:
    """After commit, every socket subscribed to the room checks its access."""
    publish_on_commit({"type": ACCESS, "room": room_id}, to=[groups.chat_room(room_id)])


def _membership_deleted(sender, instance: Membership, **kwargs) -> None:
    access_changed([instance.user_id])


def _membership_saved(
    sender, instance: Membership, created=False, update_fields=None, **kwargs
) -> None:
    # Whole-row saves come from the admin's inline and forms; the actions save
    # named fields and announce the removal themselves (chat.membership).
    if not created and update_fields is None and instance.removed_at is not None:
        access_changed([instance.user_id])


def _remember_room(
    sender, instance: Room, raw=False, update_fields=None, **kwargs
) -> None:
    instance._narrowing = (
        not raw
        and instance.pk is not None
        and (update_fields is None or "is_invite_only" in update_fields)
        and instance.is_invite_only
        and Room.objects.filter(pk=instance.pk, is_invite_only=False).exists()
    )


def _room_saved(sender, instance: Room, created=False, **kwargs) -> None:
    if not created and getattr(instance, "_narrowing", False):
        instance._narrowing = False
        recheck_room(instance.pk)


def _space_narrowed(sender, space, **kwargs) -> None:
    for room_id in Room.objects.filter(space=space).values_list("pk", flat=True):
        recheck_room(room_id)


def connect() -> None:
    from community.access import space_narrowed

    space_narrowed.connect(_space_narrowed, dispatch_uid="chat.space_narrowed")
    post_delete.connect(
        _membership_deleted, sender=Membership, dispatch_uid="chat.access.left"
    )
    post_save.connect(
        _membership_saved, sender=Membership, dispatch_uid="chat.access.removed"
    )
    pre_save.connect(_remember_room, sender=Room, dispatch_uid="chat.access.pre")
    post_save.connect(_room_saved, sender=Room, dispatch_uid="chat.access.post")

"""Changes of who may see a space reach the sockets already open.

The admin's member and moderator widgets, the actions and the shell all change
`Space.members` and `Space.moderators` through the same many-to-many manager,
so the one place that sees every change is `m2m_changed`: the members taken
off a list get `access.changed` (realtime.access) after commit, and their
sockets check every subscription again with `can_view_space`. A space turned
restricted concerns everyone subscribed to it: `space_narrowed` is sent, and
the features that show a space's content live (the chat's room, the forum's
watched threads) tell their subscribers to check again.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import Signal

from community.models import Space
from realtime.access import access_changed

# Sent (sender=Space, space=...) inside the transaction that restricted the
# space; receivers publish after commit.
space_narrowed = Signal()


def _lists_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action not in ("post_remove", "pre_clear", "post_clear"):
        return
    if reverse:
        # member.member_spaces.remove(space): the instance is the member.
        if action != "pre_clear":
            access_changed([instance.pk])
        return
    if action == "pre_clear":
        # Who was on the list is gone by post_clear: remember it now.
        through = sender.objects.filter(space_id=instance.pk)
        instance._access_cleared = list(through.values_list("user_id", flat=True))
        return
    if action == "post_clear":
        pk_set = getattr(instance, "_access_cleared", ())
    access_changed(pk_set or ())


def _remember_restriction(
    sender, instance: Space, raw=False, update_fields=None, **kwargs
) -> None:
    """Is this save turning an open space restricted? (Asked only then.)"""
    instance._narrowing = (
        not raw
        and instance.pk is not None
        and (update_fields is None or "is_restricted" in update_fields)
        and instance.is_restricted
        and Space.objects.filter(pk=instance.pk, is_restricted=False).exists()
    )


def _announce_restriction(sender, instance: Space, created=False, **kwargs) -> None:
    if not created and getattr(instance, "_narrowing", False):
        instance._narrowing = False
        space_narrowed.send(sender=Space, space=instance)


def connect() -> None:
    for through in (Space.members.through, Space.moderators.through):
        m2m_changed.connect(
            _lists_changed,
            sender=through,
            dispatch_uid=f"community.access.{through.__name__}",
        )
    pre_save.connect(
        _remember_restriction, sender=Space, dispatch_uid="community.access.pre"
    )
    post_save.connect(
        _announce_restriction, sender=Space, dispatch_uid="community.access.post"
    )

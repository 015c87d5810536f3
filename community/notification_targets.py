"""What a notification is about, and who may see it now.

A notification names its target (`Notification.target_kind`, `target_id`):
a thread, a post, a chat message. The feature that owns the kind registers
how to load one and the permission function its views use (`register`, from
its `AppConfig.ready`), and `community.actions.notifications` asks for every
recipient twice: when the notification is made (followers, mentions, status
changes, matches), and again when it would leave by e-mail, immediately or in
the digest, since access may have ended in between (a member taken off a
restricted space's list, a thread moved into one). A kind nobody registered is
seen by nobody.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from accounts.models import User


@dataclass(frozen=True)
class TargetKind:
    load: Callable[[int], Any | None]  # None: gone
    can_see: Callable[[User, Any], bool]


_kinds: dict[str, TargetKind] = {}


def register(
    kind: str,
    *,
    load: Callable[[int], Any | None],
    can_see: Callable[[User, Any], bool],
) -> None:
    _kinds[kind] = TargetKind(load=load, can_see=can_see)


def readers(users: Iterable[User], kind: str, target_id: int | None) -> list[User]:
    """Those of `users` who may see the target now (the target read once).
    Notifications without a target (a moderation decision about the member,
    an event registration) are each recipient's own business."""
    users = [user for user in users if user.is_active]
    if not kind:
        return users
    registered = _kinds.get(kind)
    target = None
    if registered is not None and target_id is not None:
        target = registered.load(target_id)
    if target is None:
        return []
    return [user for user in users if registered.can_see(user, target)]


def can_see(user: User, kind: str, target_id: int | None) -> bool:
    return bool(readers([user], kind, target_id))

"""What a notification is about, and who may see it now.

A notification names its target (`Notification.target_kind`, `target_id`):
a thread, a post, a chat message. The feature that owns the kind registers
the permission function its views use (`register`, from its
`AppConfig.ready`), and `community.actions.notifications` asks it for every
recipient twice: when the notification is made (followers, mentions, status
changes, matches), and again when it would leave by e-mail, immediately or in
the digest, since access may have ended in between (a member taken off a
restricted space's list, a thread moved into one). A kind nobody registered is
seen by nobody.
"""

from __future__ import annotations

from collections.abc import Callable

from accounts.models import User

CanSee = Callable[[User, int], bool]

_targets: dict[str, CanSee] = {}


def register(kind: str, can_see: CanSee) -> None:
    """`can_see(member, target_id)`: False also for a target that is gone."""
    _targets[kind] = can_see


def can_see(user: User, kind: str, target_id: int | None) -> bool:
    """May `user` see the notification's target now? Notifications without a
    target (a moderation decision about the member, an event registration)
    are the recipient's own business."""
    if not kind:
        return True
    check = _targets.get(kind)
    if check is None or target_id is None:
        return False
    return bool(user.is_active and check(user, target_id))

"""Slow mode as a chat send checks it: per batch, not per message."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Max

from accounts.models import User
from chat.models import Membership, MembershipRole, Message, Room, RoomKind
from chat.permissions import slow_mode_wait
from community.models import Space


class SlowModeCheck:
    """Slow mode within one batch: each author's last send per slow room (one
    query, and only if a room of the batch is slow), and who is exempt."""

    def __init__(
        self,
        last_sent: dict[tuple[int, int], datetime],
        moderators: set[tuple[int, int]],
        now: datetime,
    ) -> None:
        self.last_sent = last_sent
        self.moderators = moderators  # (space id, user id)
        self.now = now

    @classmethod
    def read(
        cls, rooms: dict[int, Room], author_ids: set[int], now: datetime
    ) -> SlowModeCheck:
        slow = {pk: room for pk, room in rooms.items() if room.slow_mode_seconds}
        if not slow:
            return cls({}, set(), now)
        longest = max(room.slow_mode_seconds for room in slow.values())
        last_sent = {
            (row["room_id"], row["author_id"]): row["last"]
            for row in Message.objects.filter(
                room_id__in=slow,
                author_id__in=author_ids,
                created_at__gt=now - timedelta(seconds=longest),
            )
            .values("room_id", "author_id")
            .annotate(last=Max("created_at"))
            .order_by()
        }
        space_ids = [room.space_id for room in slow.values() if room.space_id]
        moderators = set()
        if space_ids:
            moderators = set(
                Space.moderators.through.objects.filter(
                    space_id__in=space_ids, user_id__in=author_ids
                ).values_list("space_id", "user_id")
            )
        return cls(last_sent, moderators, now)

    def exempt(self, author: User, room: Room, membership: Membership | None) -> bool:
        """Room managers (can_manage_room) write freely, without a query."""
        if author.is_staff:
            return True
        if room.kind == RoomKind.SPACE:
            return (room.space_id, author.pk) in self.moderators
        return membership is not None and membership.role == MembershipRole.OWNER

    def wait(self, author: User, room: Room, membership: Membership | None) -> float:
        if not room.slow_mode_seconds or self.exempt(author, room, membership):
            return 0.0
        last = self.last_sent.get((room.pk, author.pk))
        return slow_mode_wait(room, last, self.now)

    def sent(self, author: User, room: Room, now: datetime) -> None:
        if room.slow_mode_seconds:
            self.last_sent[(room.pk, author.pk)] = now

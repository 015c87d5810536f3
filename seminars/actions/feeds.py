"""The secret address of a member's personal calendar feed.

The URL carries a signed token of (member, key); a new key (`renew_feed`)
makes every earlier URL invalid, so a member who shared it by mistake revokes
it with one click.
"""

from __future__ import annotations

from django.core import signing
from django.db import transaction

from accounts.models import User
from seminars.models import CalendarFeed
from seminars.models.registrations import new_feed_key

FEED_SALT = "seminars.calendar.feed"


def feed_token(member: User) -> str:
    feed, _ = CalendarFeed.objects.get_or_create(user=member)
    return signing.dumps([member.pk, feed.key], salt=FEED_SALT, compress=True)


def member_for_feed_token(token: str) -> User | None:
    try:
        member_id, key = signing.loads(token, salt=FEED_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(user_id=member_id, key=key, user__is_active=True)
        .first()
    )
    return feed.user if feed else None


@transaction.atomic
def renew_feed(member: User) -> str:
    """A new secret address; the old one stops working at once."""
    CalendarFeed.objects.update_or_create(user=member, defaults={"key": new_feed_key()})
    return feed_token(member)

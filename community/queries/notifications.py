"""The member's notification list."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet

from accounts.models import User
from community.models import (
    Notification,
    NotificationKind,
    NotificationSettings,
)


def notifications_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related("actor")


# The header of every page shows the counts: cached per member, dropped by
# community.actions.notifications whenever a member's unread list changes. The
# expiry bounds the one race left (a count read just before a change commits).
UNREAD_KEY = "community.unread_counts:{}"
UNREAD_SECONDS = 300


def _unread_counts(user: User) -> tuple[int, int]:
    """(unread notifications, unread direct conversations) in one query."""
    key = UNREAD_KEY.format(user.pk)
    counts = cache.get(key)
    if counts is None:
        found = Notification.objects.filter(
            recipient=user, read_at__isnull=True
        ).aggregate(
            unread=Count("pk"),
            direct=Count("pk", filter=Q(kind=NotificationKind.DIRECT_MESSAGE)),
        )
        counts = (found["unread"], found["direct"])
        cache.set(key, counts, UNREAD_SECONDS)
    return counts


def unread_notification_count(user: User) -> int:
    return _unread_counts(user)[0]


def unread_direct_conversations(user: User) -> int:
    """Direct conversations with messages the member has not read: each has
    one unread notification until it is read (chat.actions.messages)."""
    return _unread_counts(user)[1]


def email_settings(user: User) -> NotificationSettings:
    """The member's e-mail choices (the defaults if they never chose)."""
    prefs = NotificationSettings.objects.filter(user=user).first()
    return prefs or NotificationSettings(user=user)


def email_frequency(user: User) -> str:
    return email_settings(user).email


def export_notifications(member: User) -> list[dict]:
    settings = NotificationSettings.objects.filter(user=member).first()
    entries = Notification.objects.filter(recipient=member).order_by("created_at")
    return [
        {
            "kind": notification.kind,
            "title": notification.title,
            "url": notification.url,
            "created_at": notification.created_at,
            "read_at": notification.read_at,
            "emailed_at": notification.emailed_at,
            "email_setting": settings.email if settings else "daily",
            "email_missed_chat": settings.email_missed_chat if settings else True,
        }
        for notification in entries
    ]

"""The member's notification list."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import QuerySet

from accounts.models import User
from community.models import EmailFrequency, Notification, NotificationSettings


def notifications_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related("actor")


# The header of every page shows the count: cached per member, dropped by
# community.actions.notifications whenever a member's unread list changes. The
# expiry bounds the one race left (a count read just before a change commits).
UNREAD_KEY = "community.unread:{}"
UNREAD_SECONDS = 300


def unread_notification_count(user: User) -> int:
    key = UNREAD_KEY.format(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(
            recipient=user, read_at__isnull=True
        ).count()
        cache.set(key, count, UNREAD_SECONDS)
    return count


def email_frequency(user: User) -> str:
    prefs = NotificationSettings.objects.filter(user=user).first()
    return prefs.email if prefs else EmailFrequency.DAILY


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
        }
        for notification in entries
    ]

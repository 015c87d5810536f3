"""The member's notification list."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User
from community.models import (
    Notification,
    NotificationKind,
    NotificationSettings,
)


def notifications_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related("actor")


def unread_notification_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def unread_direct_conversations(user: User) -> int:
    """Direct conversations with messages the member has not read: each has
    one unread notification until it is read (chat.actions.messages)."""
    return Notification.objects.filter(
        recipient=user,
        read_at__isnull=True,
        kind=NotificationKind.DIRECT_MESSAGE,
    ).count()


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

"""The member's notification list."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User
from forum.models import EmailFrequency, Notification, NotificationSettings


def notifications_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related("actor")


def unread_notification_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def email_frequency(user: User) -> str:
    prefs = NotificationSettings.objects.filter(user=user).first()
    return prefs.email if prefs else EmailFrequency.DAILY

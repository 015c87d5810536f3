"""The notification list every feature writes to, and e-mail settings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    REPLY = "reply", _("Reply")
    MENTION = "mention", _("Mention")
    MATCH = "match", _("Match for your seek")
    STATUS = "status", _("Status change")
    CHAT_MENTION = "chat_mention", _("Mention in chat")
    EXPIRY = "expiry", _("Offer or seek expires")
    # A direct message: one unread entry per conversation, however many
    # messages arrive before the member reads them.
    DIRECT_MESSAGE = "direct_message", _("Direct message")
    # A moderation decision about the member (links to the statement of reasons).
    MODERATION = "moderation", _("Moderation decision")
    # The outcome of a member's report.
    REPORT = "report", _("Outcome of your report")
    # Events: registration or waiting list, a seat from the waiting list, the
    # reminder the day before, a changed or cancelled event.
    EVENT_REGISTRATION = "event_registration", _("Event registration")
    EVENT_PROMOTED = "event_promoted", _("Seat from the waiting list")
    EVENT_REMINDER = "event_reminder", _("Event reminder")
    EVENT_CHANGED = "event_changed", _("Event changed or cancelled")
    # A step in one of the municipality's grant applications.
    GRANT = "grant", _("Micro-grant application")


class Notification(models.Model):
    """One entry of a member's notification list."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    title = models.CharField(max_length=300)
    url = models.CharField(max_length=300)
    # The words it is about (a post's or message's plain text, shortened), for
    # the e-mail: members read it there without following the link.
    excerpt = models.TextField(blank=True)
    # What it is about (community.notification_targets): checked again before
    # it leaves by e-mail. Empty for notifications about the member themself.
    target_kind = models.CharField(max_length=30, blank=True, default="")
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set once the notification went out by e-mail (immediately or in a digest).
    emailed_at = models.DateTimeField(null=True, blank=True)
    # Chat notifications wait: unread by then, they go out as a missed-message
    # e-mail (send_missed_messages), as Zulip's do; read before, never.
    email_after = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "forum_notification"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["recipient", "read_at"], name="forum_notif_recipie_9a08e0_idx"
            )
        ]

    def __str__(self) -> str:
        return self.title


class EmailFrequency(models.TextChoices):
    NEVER = "never", _("Never")
    IMMEDIATELY = "immediately", _("Immediately")
    DAILY = "daily", _("Daily digest")


class NotificationSettings(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_settings",
    )
    email = models.CharField(
        _("e-mail notifications"),
        max_length=12,
        choices=EmailFrequency.choices,
        default=EmailFrequency.DAILY,
    )
    # Direct messages and chat mentions left unread for a few minutes.
    email_missed_chat = models.BooleanField(
        _("e-mail about unread direct messages and chat mentions"), default=True
    )
    last_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "forum_notificationsettings"

    def __str__(self) -> str:
        return self.get_email_display()

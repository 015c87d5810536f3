"""Reports and the review queue: one item per reported, held or flagged thing."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    INSULT = "insult", _("Insult or harassment")
    MISINFORMATION = "misinformation", _("Misinformation")
    PERSONAL_DATA = "personal_data", _("Personal data of others")
    OFF_TOPIC = "off_topic", _("Off topic")
    OTHER = "other", _("Other")


class Rule(models.TextChoices):
    """The house rules (Hausordnung) a moderator's decision cites."""

    RESPECT = "respect", _("1. Treat each other with respect")
    ON_TOPIC = "on_topic", _("2. Stay on topic")
    NO_ADVERTISING = "no_advertising", _("3. No advertising or spam")
    PRIVACY = "privacy", _("4. Protect personal data")
    ACCURACY = "accuracy", _("5. Do not spread false information")
    LAW = "law", _("6. Obey the law")


class ItemStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class ItemSource(models.TextChoices):
    """Why an item is in the review queue."""

    REPORTED = "reported", _("reported")
    HELD = "held", _("awaiting approval")
    FLAGGED = "flagged", _("flagged by the word filter")
    APPEAL = "appeal", _("objection")


class ReviewItem(models.Model):
    """One reported, held or flagged piece of content in the review queue.

    Reports on the same content are grouped here while the item is open; a
    closed item stays as history. `target_kind` names the registered target
    type (moderation.registry): "post", "thread", "chat_message", "profile",
    "decision" (objections).
    """

    target_kind = models.CharField(_("kind"), max_length=30)
    target_id = models.PositiveBigIntegerField(_("target id"))
    # Denormalised for the queue's filters and the space moderators' scope.
    space = models.ForeignKey(
        "community.Space",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("space"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    source = models.CharField(_("source"), max_length=20, choices=ItemSource.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ItemStatus.choices, default="open"
    )
    excerpt = models.CharField(_("excerpt"), max_length=500, blank=True)
    # Distinct reporters while open: the queue's first urgency key.
    reporter_count = models.PositiveIntegerField(_("reporters"), default=0)
    # Matched word-filter entries or other automatic findings, for the moderator.
    findings = models.JSONField(_("findings"), default=list, blank=True)
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )

    class Meta:
        ordering = ["-reporter_count", "opened_at"]
        verbose_name = _("review item")
        verbose_name_plural = _("review items")
        indexes = [models.Index(fields=["status", "-reporter_count", "opened_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["target_kind", "target_id"],
                condition=models.Q(status="open"),
                name="moderation_one_open_item_per_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target_kind} {self.target_id}"


class Report(models.Model):
    """One member's report of one item."""

    item = models.ForeignKey(
        ReviewItem, on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reports",
        verbose_name=_("reported by"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason.choices)
    text = models.TextField(_("details"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    # The outcome the reporter is told ("hidden", "dismissed", ...), once decided.
    outcome = models.CharField(_("outcome"), max_length=20, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "reporter"], name="moderation_one_report_per_item"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reporter_id}: {self.reason}"

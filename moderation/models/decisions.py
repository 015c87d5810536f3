"""Moderators' decisions with their statement of reasons, and objections."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from moderation.models.items import ReviewItem, Rule


class DecisionAction(models.TextChoices):
    DISMISS = "dismiss", _("Dismiss")
    APPROVE = "approve", _("Approve")
    HIDE = "hide", _("Hide")
    RESTORE = "restore", _("Restore")
    DELETE = "delete", _("Delete")
    EDIT = "edit", _("Edit")
    WARN = "warn", _("Warn")
    MUTE = "mute", _("Mute in chat")
    SUSPEND = "suspend", _("Suspend")
    BAN = "ban", _("Ban")


class Decision(models.Model):
    """A moderator's decision; for the affected member, the statement of reasons
    (DSA Art. 17 style: what, which rule, how long, how to object)."""

    item = models.ForeignKey(
        ReviewItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("moderator"),
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderation_decisions",
        verbose_name=_("affected member"),
    )
    action = models.CharField(
        _("action"), max_length=20, choices=DecisionAction.choices
    )
    rule = models.CharField(_("rule"), max_length=30, choices=Rule.choices, blank=True)
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    target_kind = models.CharField(max_length=30, blank=True)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target_repr = models.CharField(max_length=300, blank=True)
    ends_at = models.DateTimeField(_("until"), null=True, blank=True)
    created_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation decisions")

    def __str__(self) -> str:
        return f"{self.action} {self.target_repr}"


class AppealStatus(models.TextChoices):
    OPEN = "open", _("open")
    UPHELD = "upheld", _("decision upheld")
    REVOKED = "revoked", _("decision revoked")


class Appeal(models.Model):
    """The affected member's objection to a decision; it goes back into the queue."""

    decision = models.OneToOneField(
        Decision, on_delete=models.CASCADE, related_name="appeal"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(_("objection"), max_length=4000)
    status = models.CharField(
        _("status"), max_length=10, choices=AppealStatus.choices, default="open"
    )
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("answer"), max_length=2000, blank=True)

    def __str__(self) -> str:
        return f"{self.decision}"

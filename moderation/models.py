"""Moderation data. The foundation holds the audit log every decision writes."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditLogEntry(models.Model):
    """An immutable record of one moderator, staff or grant decision."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    action = models.CharField(_("action"), max_length=100, db_index=True)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, verbose_name=_("target type")
    )
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    # Kept as text so the entry stays readable after the target is gone.
    target_repr = models.CharField(_("target"), max_length=300, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log entries")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("Audit log entries are immutable.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit log entries are immutable.")


class Visibility(models.TextChoices):
    """Who sees a post, thread or chat message. Shared by forum and chat."""

    VISIBLE = "visible", _("visible")
    # Held for approval (new member, word filter): only the author and moderators.
    PENDING = "pending", _("awaiting approval")
    # Hidden by a moderator or by reports until a moderator decides.
    HIDDEN = "hidden", _("hidden")
    # Removed by a moderator: the text is gone for everyone but moderators.
    REMOVED = "removed", _("removed")


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
        "forum.Space",
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


class SanctionKind(models.TextChoices):
    MUTE = "mute", _("muted in chat")
    SUSPENSION = "suspension", _("suspended")
    BAN = "ban", _("banned")


class Sanction(models.Model):
    """A mute, suspension or ban. The member's row carries the effective end
    (`User.chat_muted_until`, `User.suspended_until`) so every request and
    chat send checks it without a query; this row is the record."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sanctions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SanctionKind.choices)
    # A space moderator's mute covers the space's chat room only.
    room = models.ForeignKey(
        "chat.Room", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="sanctions"
    )
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(_("until"), null=True, blank=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")

    def __str__(self) -> str:
        return f"{self.kind} {self.member_id}"


class FilterAction(models.TextChoices):
    BLOCK = "block", _("Block")
    HOLD = "hold", _("Hold for review")
    FLAG = "flag", _("Flag")


class WordFilter(models.Model):
    """One word-filter entry. Patterns are literal text (never regular
    expressions, so no entry can make matching slow); `*` stands for any
    letters within a word. Matching ignores case and treats ä/ae, ö/oe,
    ü/ue and ß/ss alike."""

    pattern = models.CharField(_("word or phrase"), max_length=100)
    action = models.CharField(_("action"), max_length=10, choices=FilterAction.choices)
    whole_word = models.BooleanField(_("whole words only"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pattern"]
        verbose_name = _("word filter entry")
        verbose_name_plural = _("word filter entries")
        constraints = [
            models.UniqueConstraint(fields=["pattern"], name="moderation_unique_word")
        ]

    def __str__(self) -> str:
        return self.pattern


class ModeratorNote(models.Model):
    """A note moderators keep about a member; never shown to the member."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("note"), max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("moderator note")
        verbose_name_plural = _("moderator notes")

    def __str__(self) -> str:
        return self.text[:50]

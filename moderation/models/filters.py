"""The word filter."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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

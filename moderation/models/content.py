"""What the features' content shares: who sees it, and slow mode."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    """Who sees a post, thread or chat message. Shared by forum and chat."""

    VISIBLE = "visible", _("visible")
    # Held for approval (new member, word filter): only the author and moderators.
    PENDING = "pending", _("awaiting approval")
    # Hidden by a moderator or by reports until a moderator decides.
    HIDDEN = "hidden", _("hidden")
    # Removed by a moderator: the text is gone for everyone but moderators.
    REMOVED = "removed", _("removed")


class SlowMode(models.Model):
    """Slow mode, for any place members write in turn (a forum thread, a chat
    room): a member may write there once per this many seconds (0 = off)."""

    slow_mode_seconds = models.PositiveIntegerField(_("slow mode"), default=0)
    slow_mode_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("slow mode set by"),
    )

    class Meta:
        abstract = True

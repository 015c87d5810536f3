"""Mutes, suspensions and bans: the records behind the members' effective ends."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from moderation.models.decisions import Decision


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
    # A space moderator's mute covers the space's chat room only: its id, as
    # the chat reported it (moderation.registry.RoomMutes); no foreign key, as
    # moderation sits below the chat.
    room_id = models.BigIntegerField(null=True, blank=True, db_index=True)
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

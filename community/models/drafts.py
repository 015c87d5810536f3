"""What a member has typed and not sent yet, kept per place (Discourse keeps
drafts on the server too: they follow the member to another device and leave
nothing behind in a shared office browser)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Enough for the longest post; drafts are text only (attachments are not kept).
MAX_DRAFT_LENGTH = 20_000
MAX_PLACE_LENGTH = 100


class Draft(models.Model):
    """A composer's unsent text. `place` names the composer: "chat:12" (a
    room), "reply:42" (a thread's reply box), "thread:mobilitaet" (a new
    thread in a space, with its title)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drafts"
    )
    place = models.CharField(max_length=MAX_PLACE_LENGTH)
    title = models.CharField(max_length=200, blank=True)
    text = models.TextField(max_length=MAX_DRAFT_LENGTH, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        constraints = [
            models.UniqueConstraint(fields=["user", "place"], name="draft_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} at {self.place}"

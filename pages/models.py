"""Data of the public pages: feedback on the platform's accessibility."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessibilityFeedback(models.Model):
    """A barrier someone reported through the accessibility statement (BITV 2.0 § 7).

    Public bodies must answer such feedback; staff receive it by e-mail and
    work through it in the admin, marking it answered.
    """

    message = models.TextField(_("message"), max_length=5000)
    page_url = models.CharField(_("page or function"), max_length=500, blank=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("member"),
    )
    created_at = models.DateTimeField(_("received at"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    staff_note = models.TextField(_("note of the Geschäftsstelle"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("accessibility feedback")
        verbose_name_plural = _("accessibility feedback")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.message[:60]}"

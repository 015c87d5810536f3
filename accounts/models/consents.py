"""Consents to the versioned terms and privacy notice (DSGVO Art. 7)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models.members import User

# Versions of the documents members consent to; bump when their text changes.
TERMS_VERSION = "2026-11"
PRIVACY_VERSION = "2026-11"


class Consent(models.Model):
    """A member's consent to a versioned document, kept as evidence (DSGVO Art. 7)."""

    class Document(models.TextChoices):
        TERMS = "terms", _("Terms of use")
        PRIVACY = "privacy", _("Privacy notice")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    document = models.CharField(_("document"), max_length=20, choices=Document.choices)
    version = models.CharField(_("version"), max_length=20)
    given_at = models.DateTimeField(_("given at"), default=timezone.now)

    class Meta:
        ordering = ["-given_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.document} {self.version}"

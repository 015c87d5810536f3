"""Materials of an event (slides, recordings, documents) with an access level."""

from __future__ import annotations

import secrets
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from seminars.models.events import MAX_TITLE_LENGTH, Event


class MaterialKind(models.TextChoices):
    SLIDES = "slides", _("Slides")
    RECORDING = "recording", _("Recording")
    DOCUMENT = "document", _("Document")


class Access(models.TextChoices):
    PUBLIC = "public", _("Everyone")
    MEMBERS = "members", _("Members")
    PARTICIPANTS = "participants", _("Participants")


def material_path(instance: Material, filename: str) -> str:
    # Random names: the original name is kept in the row, never in the path.
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"materials/{secrets.token_hex(16)}{suffix}"


class Material(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=MAX_TITLE_LENGTH)
    kind = models.CharField(_("kind"), max_length=10, choices=MaterialKind.choices)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    access = models.CharField(
        _("who may see it"),
        max_length=12,
        choices=Access.choices,
        default=Access.PARTICIPANTS,
    )
    # A file, or a link (a recording on the programme's video server).
    file = models.FileField(upload_to=material_path, blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    url = models.URLField(_("link"), max_length=500, blank=True)
    # Lower-cased title, description and event title: the collection's search
    # finds the stems of the forum's query parser in it on either database.
    search_text = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(url=""), name="seminars_material_has_content"
            ),
        ]

    def __str__(self) -> str:
        return self.title

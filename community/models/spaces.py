"""Themed spaces (Themenräume): the scope every feature acts in.

The forum's threads, the chat's space rooms and the moderators' reach all hang
off a space. The tables keep the names they had in the forum app.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Topic

# Forum URLs that a space's slug must not shadow (a space lives at /forum/<slug>/).
RESERVED_SLUGS = frozenset({"neu", "ungelesen", "suche", "thema", "beitrag", "anhang"})


def validate_space_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is reserved for a forum page; please choose another."),
            params={"slug": value},
        )


class Space(models.Model):
    """A Themenraum: a themed discussion space with its own chat room."""

    title = models.CharField(_("title"), max_length=120)
    slug = models.SlugField(
        _("slug"), max_length=80, unique=True, validators=[validate_space_slug]
    )
    description = models.TextField(_("description"), max_length=2000, blank=True)
    topic = models.CharField(
        _("topic"), max_length=30, choices=Topic.choices, blank=True
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Restricted spaces (cross-municipal project spaces) are visible to their
    # member list only.
    is_restricted = models.BooleanField(_("restricted to its members"), default=False)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="member_spaces",
        blank=True,
        db_table="forum_space_members",
        verbose_name=_("members (restricted spaces)"),
    )
    moderators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="moderated_spaces",
        blank=True,
        db_table="forum_space_moderators",
        verbose_name=_("moderators"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        db_table = "forum_space"
        ordering = ["position", "title"]
        verbose_name = _("space")
        verbose_name_plural = _("spaces")

    def __str__(self) -> str:
        return self.title

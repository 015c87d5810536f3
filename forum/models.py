"""Forum data. The foundation holds the themed spaces; threads and posts follow."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Topic


class Space(models.Model):
    """A Themenraum: a themed discussion space with its own chat room."""

    title = models.CharField(_("title"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    topic = models.CharField(
        _("topic"), max_length=30, choices=Topic.choices, blank=True
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Restricted spaces (cross-municipal project spaces) are visible to their
    # member list only; the forum issue adds that list.
    is_restricted = models.BooleanField(_("restricted to its members"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("space")
        verbose_name_plural = _("spaces")

    def __str__(self) -> str:
        return self.title

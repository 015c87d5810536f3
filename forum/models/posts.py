"""Posts with their revisions, reactions and attachments."""

from __future__ import annotations

import secrets
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from moderation.models import Visibility

POSTS_PER_PAGE = 20
MAX_POST_LENGTH = 50_000
MAX_TITLE_LENGTH = 200


class Post(models.Model):
    """A Beitrag. Markdown is rendered once when saved; `html` is what we show."""

    thread = models.ForeignKey(
        "forum.Thread",
        on_delete=models.CASCADE,
        related_name="posts",
        verbose_name=_("thread"),
    )
    # 1-based position in the thread: permalinks and page numbers derive from it.
    position = models.PositiveIntegerField(_("position"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="posts",
        verbose_name=_("author"),
    )
    source = models.TextField(_("text"), max_length=MAX_POST_LENGTH)
    html = models.TextField(editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    revision_count = models.PositiveIntegerField(default=1, editable=False)
    # Weighted German search vector (thread title A, text B); PostgreSQL only.
    # On SQLite an FTS5 table takes its place (see forum/fulltext.py).
    search_vector = SearchVectorField(null=True, editable=False)
    visibility = models.CharField(
        _("visibility"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.VISIBLE,
    )
    # Shown under the post when a moderator edited it ("Bearbeitet durch die
    # Moderation: ...").
    moderator_note = models.CharField(_("moderator note"), max_length=500, blank=True)
    # Raised by every action that changes what the post shows (text, visibility,
    # note, attachments, place): the thread page's cached card of the post is
    # keyed by it (forum/cards.py), so a change is a new key, never a stale one.
    display_version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["position"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            models.UniqueConstraint(
                fields=["thread", "position"], name="forum_post_unique_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.thread} #{self.position}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("forum:post", args=[self.pk])

    @property
    def page(self) -> int:
        return (self.position - 1) // POSTS_PER_PAGE + 1


MAX_SUMMARY_LENGTH = 200


class PostRevision(models.Model):
    """One version of a post's text; revision 1 is the original."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    source = models.TextField(max_length=MAX_POST_LENGTH)
    title = models.CharField(max_length=MAX_TITLE_LENGTH, blank=True)
    # What the editor says they changed (Wissen articles, as in a wiki).
    summary = models.CharField(max_length=MAX_SUMMARY_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "number"], name="forum_revision_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post} v{self.number}"


class ReactionKind(models.TextChoices):
    """A small fixed set, so reactions stay meaningful and accessible."""

    THANKS = "thanks", _("Thank you")
    AGREE = "agree", _("Agree")
    HELPFUL = "helpful", _("Helpful")
    IDEA = "idea", _("Good idea")


class Reaction(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=ReactionKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post", "user", "kind"], name="forum_reaction_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.post}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # Random names: the original name is kept in the row, never in the path.
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"attachments/{secrets.token_hex(16)}{suffix}"


class Attachment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

"""Threads of four kinds, and each member's read position and follows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import SizeClass, State, Topic
from community.models import Space
from forum.models.posts import MAX_TITLE_LENGTH, POSTS_PER_PAGE
from moderation.models import SlowMode, Visibility


class ThreadKind(models.TextChoices):
    DISCUSSION = "discussion", _("Discussion")
    OFFER = "offer", _("Offer")
    SEEK = "seek", _("Seek")
    KNOWLEDGE = "knowledge", _("Knowledge")


class ThreadStatus(models.TextChoices):
    """Where an offer or seek stands; discussions and articles have none."""

    OPEN = "open", _("Open")
    IN_CONVERSATION = "in_conversation", _("In conversation")
    MATCHED = "matched", _("Matched")
    DONE = "done", _("Done")


MATCHABLE_KINDS = (ThreadKind.OFFER, ThreadKind.SEEK)


class Thread(SlowMode):
    space = models.ForeignKey(
        Space, on_delete=models.CASCADE, related_name="threads", verbose_name=_("space")
    )
    kind = models.CharField(
        _("kind"),
        max_length=12,
        choices=ThreadKind.choices,
        default=ThreadKind.DISCUSSION,
    )
    title = models.CharField(_("title"), max_length=MAX_TITLE_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="threads",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    last_post_at = models.DateTimeField(_("last post at"), db_index=True)
    # Denormalised: the last post's position, so lists show counts and
    # "unread" without counting rows.
    last_position = models.PositiveIntegerField(_("posts"), default=0)
    is_locked = models.BooleanField(_("locked"), default=False)
    is_pinned = models.BooleanField(_("pinned"), default=False)
    # Closed for good (no replies, edits or reactions); locked is temporary
    # and lets moderators still reply.
    is_closed = models.BooleanField(_("closed"), default=False)
    visibility = models.CharField(
        _("visibility"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.VISIBLE,
    )

    # Offer/seek fields (blank for discussions and knowledge articles).
    topic = models.CharField(
        _("topic"), max_length=30, choices=Topic.choices, blank=True
    )
    state = models.ForeignKey(
        State,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Land"),
        help_text=_("Empty means nationwide."),
    )
    size_class = models.CharField(
        _("municipality size"), max_length=10, choices=SizeClass.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ThreadStatus.choices, blank=True
    )
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    expiry_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    solution = models.ForeignKey(
        "Post",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("solution"),
    )

    class Meta:
        ordering = ["-is_pinned", "-last_post_at"]
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        indexes = [
            models.Index(fields=["space", "-last_post_at"]),
            models.Index(fields=["kind", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=MATCHABLE_KINDS) | Q(status=""),
                name="forum_thread_status_only_for_offer_seek",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_matchable(self) -> bool:
        return self.kind in MATCHABLE_KINDS

    @property
    def page_count(self) -> int:
        return max(1, -(-self.last_position // POSTS_PER_PAGE))


class ReadPosition(models.Model):
    """How far a member has read a thread: "new since last visit"."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="read_positions"
    )
    position = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "thread"], name="forum_read_position_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.thread} read to #{self.position}"


class FollowLevel(models.TextChoices):
    """How closely a member follows a thread or space (Discourse's levels).
    "Normal" is no row at all: notified only when mentioned."""

    WATCHING = "watching", _("Watching")
    NORMAL = "normal", _("Normal")
    MUTED = "muted", _("Muted")


class Follow(models.Model):
    """A member watches a thread or a whole space (every new post notifies
    them), or mutes it (nothing from it notifies them; a muted space's
    threads leave the Neu and Ungelesen lists)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, null=True, related_name="follows"
    )
    space = models.ForeignKey(
        Space, on_delete=models.CASCADE, null=True, related_name="follows"
    )
    level = models.CharField(
        max_length=10, choices=FollowLevel.choices, default=FollowLevel.WATCHING
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(thread__isnull=True) ^ Q(space__isnull=True),
                name="forum_follow_thread_xor_space",
            ),
            models.UniqueConstraint(
                fields=["user", "thread"], name="forum_follow_thread_once"
            ),
            models.UniqueConstraint(
                fields=["user", "space"], name="forum_follow_space_once"
            ),
        ]

    def __str__(self) -> str:
        return str(self.thread or self.space)

"""Forum data: spaces, threads of four kinds, posts with revisions, reactions,
attachments, read positions, follows and the notification list.

Workflows live in forum/actions/; these classes hold data and invariants.
"""

from __future__ import annotations

import secrets
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import SizeClass, State, Topic

POSTS_PER_PAGE = 20
MAX_POST_LENGTH = 50_000
MAX_TITLE_LENGTH = 200


# Forum URLs that a space's slug must not shadow (/forum/<slug>/).
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
        verbose_name=_("members (restricted spaces)"),
    )
    moderators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="moderated_spaces",
        blank=True,
        verbose_name=_("moderators"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("space")
        verbose_name_plural = _("spaces")

    def __str__(self) -> str:
        return self.title


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


class Thread(models.Model):
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


class Post(models.Model):
    """A Beitrag. Markdown is rendered once when saved; `html` is what we show."""

    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="posts", verbose_name=_("thread")
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
    # On SQLite an FTS5 table takes its place (see forum/search.py).
    search_vector = SearchVectorField(null=True, editable=False)

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


class PostRevision(models.Model):
    """One version of a post's text; revision 1 is the original."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    source = models.TextField(max_length=MAX_POST_LENGTH)
    title = models.CharField(max_length=MAX_TITLE_LENGTH, blank=True)
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


REACTION_SYMBOLS = {
    ReactionKind.THANKS: "🙏",
    ReactionKind.AGREE: "👍",
    ReactionKind.HELPFUL: "💡",
    ReactionKind.IDEA: "✨",
}


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


class Follow(models.Model):
    """A member follows a thread or a whole space."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, null=True, related_name="follows"
    )
    space = models.ForeignKey(
        Space, on_delete=models.CASCADE, null=True, related_name="follows"
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


class NotificationKind(models.TextChoices):
    REPLY = "reply", _("Reply")
    MENTION = "mention", _("Mention")
    MATCH = "match", _("Match for your seek")
    STATUS = "status", _("Status change")
    CHAT_MENTION = "chat_mention", _("Mention in chat")
    EXPIRY = "expiry", _("Offer or seek expires")


class Notification(models.Model):
    """One entry of a member's notification list (shared with chat)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    title = models.CharField(max_length=300)
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set once the notification went out by e-mail (immediately or in a digest).
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title


class EmailFrequency(models.TextChoices):
    NEVER = "never", _("Never")
    IMMEDIATELY = "immediately", _("Immediately")
    DAILY = "daily", _("Daily digest")


class NotificationSettings(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_settings",
    )
    email = models.CharField(
        _("e-mail notifications"),
        max_length=12,
        choices=EmailFrequency.choices,
        default=EmailFrequency.DAILY,
    )
    last_digest_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.get_email_display()

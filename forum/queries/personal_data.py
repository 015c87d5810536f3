"""The forum's part of a member's data export (DSGVO Art. 15/20)."""

from __future__ import annotations

from accounts.models import User
from forum.models import Attachment, Follow, Post, Reaction


def export_attachments(member: User) -> list[tuple[str, object]]:
    """The files the member attached to posts: "<post>/<id>-<name>", opened
    from storage when the archive is written."""
    attachments = Attachment.objects.filter(post__author=member).order_by("pk")
    return [
        (
            f"{attachment.post_id}/{attachment.pk}-{attachment.original_name}",
            lambda attachment=attachment: attachment.file.open("rb"),
        )
        for attachment in attachments
    ]


def export_posts(member: User) -> list[dict]:
    posts = Post.objects.filter(author=member).select_related("thread__space")
    return [
        {
            "id": post.pk,
            "space": post.thread.space.title,
            "thread": post.thread.title,
            "thread_kind": post.thread.kind,
            "opens_thread": post.position == 1,
            "created_at": post.created_at,
            "edited_at": post.edited_at,
            "text": post.source,
        }
        for post in posts.order_by("created_at")
    ]


def export_reactions(member: User) -> list[dict]:
    reactions = Reaction.objects.filter(user=member).select_related("post__thread")
    return [
        {
            "post": reaction.post_id,
            "thread": reaction.post.thread.title,
            "reaction": reaction.kind,
            "created_at": reaction.created_at,
        }
        for reaction in reactions.order_by("created_at")
    ]


def export_follows(member: User) -> list[dict]:
    follows = Follow.objects.filter(user=member).select_related("thread", "space")
    return [
        {
            "thread": follow.thread.title if follow.thread else "",
            "space": follow.space.title if follow.space else "",
            "level": follow.level,
            "since": follow.created_at,
        }
        for follow in follows.order_by("created_at")
    ]

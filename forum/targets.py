"""The forum's reportable kinds, "post" and "thread", for moderation.registry,
and the posts that count for a member's history and pre-moderation.

Registered from `ForumConfig.ready()`. The moderation app loads targets,
asks who may see them, and calls the effects in forum/actions/moderation.py.
"""

from __future__ import annotations

import html
import re
from typing import Any

from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import User
from community import markup
from community.models import Space
from forum.actions import moderation as effects
from forum.models import Post, Thread
from forum.permissions import can_view_post, can_view_thread
from moderation.models import Visibility
from moderation.registry import (
    Contributions,
    TargetType,
    register,
    register_contributions,
)

CONTEXT_POSTS = 2  # posts shown before and after a reported post


def plain_text(source: str) -> str:
    """Member-written Markdown as one line of plain text."""
    text = html.unescape(strip_tags(markup.render(source).html))
    return re.sub(r"\s+", " ", text).strip()


def load_post(pk: int) -> Post | None:
    return (
        Post.objects.select_related("thread__space", "thread__author", "author")
        .filter(pk=pk)
        .first()
    )


def load_thread(pk: int) -> Thread | None:
    return Thread.objects.select_related("space", "author").filter(pk=pk).first()


def post_context(post: Post) -> tuple[str, dict[str, Any]]:
    """The post of the case (reported, held or flagged) among the few before
    and after it, whatever their visibility (moderators see everything), each
    with its attachments."""
    around = list(
        Post.objects.filter(
            thread=post.thread_id,
            position__gte=post.position - CONTEXT_POSTS,
            position__lte=post.position + CONTEXT_POSTS,
        )
        .select_related("author")
        .prefetch_related("attachments")
        .order_by("position")
    )
    return "forum/partials/post_context.html", {
        "target": post,
        "thread": post.thread,
        "posts": around,
    }


def thread_context(thread: Thread) -> tuple[str, dict[str, Any]]:
    opening = (
        thread.posts.filter(position=1)
        .select_related("author")
        .prefetch_related("attachments")
        .first()
    )
    return "forum/partials/thread_context.html", {
        "thread": thread,
        "opening": opening,
    }


def _post_space(post: Post) -> Space:
    return post.thread.space


def _post_author(post: Post) -> User:
    return post.author


def _thread_author(thread: Thread) -> User:
    return thread.author


def _thread_space(thread: Thread) -> Space:
    return thread.space


def _thread_excerpt(thread: Thread) -> str:
    opening = thread.posts.filter(position=1).only("source").first()
    body = plain_text(opening.source) if opening else ""
    return f"{thread.title}: {body}" if body else thread.title


def _thread_url(thread: Thread) -> str:
    from forum.actions.threads import thread_url

    return thread_url(thread)


def register_targets() -> None:
    register(
        TargetType(
            kind="post",
            label=_("Forum post"),
            load=load_post,
            can_view=can_view_post,
            space_of=_post_space,
            author_of=_post_author,
            excerpt=lambda post: plain_text(post.source),
            url=lambda post: post.get_absolute_url(),
            context=post_context,
            hide=effects.hide_post,
            restore=effects.restore_post,
            delete=effects.delete_post,
            approve=effects.approve_post,
            edit=effects.edit_post_as_moderator,
        )
    )
    register(
        TargetType(
            kind="thread",
            label=_("Forum thread"),
            load=load_thread,
            can_view=can_view_thread,
            space_of=_thread_space,
            author_of=_thread_author,
            excerpt=_thread_excerpt,
            url=_thread_url,
            context=thread_context,
            hide=effects.hide_thread,
            restore=effects.restore_thread,
            delete=effects.delete_thread,
            approve=effects.approve_thread,
            edit=effects.edit_thread_as_moderator,
        )
    )
    register_contributions(
        "post",
        Contributions(
            count=lambda member: Post.objects.filter(author=member).count(),
            describe=lambda n: (
                ngettext("%(count)d forum post", "%(count)d forum posts", n)
                % {"count": n}
            ),
            approved=_approved_posts,
        ),
    )


def _approved_posts(member: User, limit: int) -> int:
    """A newcomer's posts are held until this many were approved."""
    visible = Post.objects.filter(author=member, visibility=Visibility.VISIBLE)
    return visible[:limit].count()

"""The forum's part of an account deletion (DSGVO Art. 17).

Posts stay readable for the others (shown as "Ehemaliges Mitglied" through
`User.display_name`); what only concerned the member goes: follows, read
positions and reactions (notifications are community's part). Mentions of the member
in other people's posts are rewritten, so their name leaves those texts too.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.models import User
from community import markup
from forum.models import (
    MATCHABLE_KINDS,
    Follow,
    Post,
    PostRevision,
    Reaction,
    ReadPosition,
    Thread,
    ThreadStatus,
)

OPEN_STATUSES = (ThreadStatus.OPEN, ThreadStatus.IN_CONVERSATION, ThreadStatus.MATCHED)


def _without_mentions_of(member: User, source: str) -> str:
    return markup.replace_mentions_of(member, source, "@" + _("Former member"))


def erase_forum_data(member: User) -> str | None:
    # Nobody answers a former member's offer or seek any more: it is done, so
    # it no longer matches or waits in the lists.
    Thread.objects.filter(
        author=member, kind__in=MATCHABLE_KINDS, status__in=OPEN_STATUSES
    ).update(status=ThreadStatus.DONE)
    Follow.objects.filter(user=member).delete()
    ReadPosition.objects.filter(user=member).delete()
    Reaction.objects.filter(user=member).delete()
    profile_link = f'href="/mitglieder/{member.pk}/"'
    for post in Post.objects.filter(html__contains=profile_link):
        post.source = _without_mentions_of(member, post.source)
        post.html = markup.render(post.source).html
        post.display_version += 1
        post.save(update_fields=["source", "html", "display_version"])
    for revision in PostRevision.objects.filter(source__contains=f"|{member.pk}**"):
        revision.source = _without_mentions_of(member, revision.source)
        revision.save(update_fields=["source"])
    if Post.objects.filter(author=member).exists():
        return (
            "forum posts kept for the discussion, shown as written by a former member"
        )
    return None

"""Forum data: threads of four kinds, posts with revisions, reactions,
attachments, read positions and follows (spaces and notifications are
community's).

Workflows live in forum/actions/; these classes hold data and invariants.
"""

from forum.models.posts import (
    MAX_POST_LENGTH,
    MAX_TITLE_LENGTH,
    POSTS_PER_PAGE,
    Attachment,
    Post,
    PostRevision,
    Reaction,
    ReactionKind,
    attachment_path,
)
from forum.models.threads import (
    MATCHABLE_KINDS,
    Follow,
    FollowLevel,
    ReadPosition,
    Thread,
    ThreadKind,
    ThreadStatus,
)

__all__ = [
    "MATCHABLE_KINDS",
    "MAX_POST_LENGTH",
    "MAX_TITLE_LENGTH",
    "POSTS_PER_PAGE",
    "Attachment",
    "Follow",
    "FollowLevel",
    "Post",
    "PostRevision",
    "Reaction",
    "ReactionKind",
    "ReadPosition",
    "Thread",
    "ThreadKind",
    "ThreadStatus",
    "attachment_path",
]

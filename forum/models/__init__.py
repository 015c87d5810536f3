"""Forum data: spaces, threads of four kinds, posts with revisions, reactions,
attachments, read positions, follows and the notification list.

Workflows live in forum/actions/; these classes hold data and invariants.
"""

from forum.models.notifications import (
    EmailFrequency,
    Notification,
    NotificationKind,
    NotificationSettings,
)
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
from forum.models.spaces import RESERVED_SLUGS, Space, validate_space_slug
from forum.models.threads import (
    MATCHABLE_KINDS,
    Follow,
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
    "RESERVED_SLUGS",
    "Attachment",
    "EmailFrequency",
    "Follow",
    "Notification",
    "NotificationKind",
    "NotificationSettings",
    "Post",
    "PostRevision",
    "Reaction",
    "ReactionKind",
    "ReadPosition",
    "Space",
    "Thread",
    "ThreadKind",
    "ThreadStatus",
    "attachment_path",
    "validate_space_slug",
]

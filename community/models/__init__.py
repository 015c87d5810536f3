"""What the features share: spaces, the notification list, e-mail settings."""

from community.models.drafts import MAX_DRAFT_LENGTH, Draft
from community.models.notifications import (
    EmailFrequency,
    Notification,
    NotificationKind,
    NotificationSettings,
)
from community.models.spaces import RESERVED_SLUGS, Space, validate_space_slug

__all__ = [
    "MAX_DRAFT_LENGTH",
    "RESERVED_SLUGS",
    "Draft",
    "EmailFrequency",
    "Notification",
    "NotificationKind",
    "NotificationSettings",
    "Space",
    "validate_space_slug",
]

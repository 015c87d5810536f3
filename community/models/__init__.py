"""What the features share: spaces, the notification list, e-mail settings."""

from community.models.notifications import (
    EmailFrequency,
    Notification,
    NotificationKind,
    NotificationSettings,
)
from community.models.spaces import RESERVED_SLUGS, Space, validate_space_slug

__all__ = [
    "RESERVED_SLUGS",
    "EmailFrequency",
    "Notification",
    "NotificationKind",
    "NotificationSettings",
    "Space",
    "validate_space_slug",
]

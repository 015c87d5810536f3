"""The unread counts in the header of every page: notifications, and the
direct conversations waiting for the member (the badge on "Chat")."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from community.queries.notifications import (
    unread_direct_conversations,
    unread_notification_count,
)


def notifications(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: pages that do not show the header pay no query.
    return {
        "unread_notifications": SimpleLazyObject(
            lambda: unread_notification_count(user)
        ),
        "unread_direct": SimpleLazyObject(lambda: unread_direct_conversations(user)),
    }

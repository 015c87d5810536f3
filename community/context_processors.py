"""The unread notification count in the header of every page."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from community.queries.notifications import unread_notification_count


def notifications(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: pages that do not show the header pay no query.
    return {
        "unread_notifications": SimpleLazyObject(
            lambda: unread_notification_count(user)
        )
    }

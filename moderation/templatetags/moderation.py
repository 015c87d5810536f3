"""The header's moderation link: `{% moderation_open_count as count %}` is
None for members who moderate nothing (no query once cached), else the number
of open items in their queue (one query)."""

from django import template

from moderation.queries.queue import open_item_count

register = template.Library()


@register.simple_tag(takes_context=True)
def moderation_open_count(context) -> int | None:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return open_item_count(user)

"""Keeps the header's "am I a moderator" cache true when moderators change,
and fills it when a member logs in; tells every process when the word filter
changed (its compiled copy, moderation.screening.word_filter).

Not a broadcast (those leave through realtime.publish only): the cached flag
spares every page of every member a query.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

from moderation.permissions import MODERATES_KEY, is_moderator


def _moderators_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if reverse:
        # member.moderated_spaces.add(...): the instance is the member.
        cache.delete(MODERATES_KEY.format(instance.pk))
        return
    if action == "pre_clear":
        pk_set = set(instance.moderators.values_list("pk", flat=True))
    cache.delete_many([MODERATES_KEY.format(pk) for pk in pk_set or ()])


def _logged_in(sender, request, user, **kwargs) -> None:
    """Learn at login whether the member moderates anything, so that their
    pages do not pay for it."""
    cache.delete(MODERATES_KEY.format(user.pk))
    is_moderator(user)


def _word_filter_changed(sender, **kwargs) -> None:
    from moderation.screening import word_filter_changed

    word_filter_changed()


def connect() -> None:
    from django.contrib.auth.signals import user_logged_in

    from community.models import Space
    from moderation.models import WordFilter

    for signal in (post_save, post_delete):
        signal.connect(
            _word_filter_changed,
            sender=WordFilter,
            dispatch_uid=f"moderation.word_filter.{signal is post_save}",
        )

    user_logged_in.connect(_logged_in, dispatch_uid="moderation.logged_in")
    m2m_changed.connect(
        _moderators_changed,
        sender=Space.moderators.through,
        dispatch_uid="moderation.moderators_changed",
    )

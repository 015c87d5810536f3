"""Who may report and moderate what. Views and the consumer share these.

Roles: a member; a space moderator (`Space.moderators`: the space, its threads
and its chat room); a global moderator (the Geschäftsstelle, `is_staff`:
everything, plus the audit log, word filter, suspensions and bans); an admin
(`is_superuser`, also staff). Content that the actor cannot see is answered
as if it did not exist (Http404).
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from accounts.models import User
from community.models import Space
from community.permissions import outranks
from moderation.models import Decision, DecisionAction, ItemSource
from moderation.registry import TargetType, target_type

# Whether a member moderates anything, cached for the header of every page;
# moderation.signals deletes it when moderators change.
MODERATES_KEY = "moderation.moderates:{}"
MODERATES_CACHE_SECONDS = 600


def is_member(user: User) -> bool:
    return user.is_authenticated and user.is_active and not user.is_suspended


def is_global_moderator(user: User) -> bool:
    return is_member(user) and user.is_staff


def is_moderator(user: User) -> bool:
    """Moderates something: the queue link in the header, the queue page.

    Cached, because the header asks on every page of every member;
    moderation.signals keeps the cache true when moderators change.
    """
    if not is_member(user):
        return False
    if user.is_staff:
        return True
    key = MODERATES_KEY.format(user.pk)
    cached = cache.get(key)
    if cached is None:
        cached = Space.objects.filter(moderators=user).exists()
        cache.set(key, cached, MODERATES_CACHE_SECONDS)
    return cached


def moderated_space_ids(user: User) -> set[int] | None:
    """The spaces `user` moderates; None means all (global moderators)."""
    if is_global_moderator(user):
        return None
    if not is_member(user):
        return set()
    return set(Space.objects.filter(moderators=user).values_list("pk", flat=True))


def can_moderate_target(user: User, target_type: TargetType, target: Any) -> bool:
    if not is_member(user):
        return False
    if user.is_staff:
        return True
    space = target_type.space_of(target)
    if space is None:
        return False
    return space.moderators.filter(pk=user.pk).exists()


def check_can_moderate_target(user: User, target_type: TargetType, target: Any) -> None:
    if not target_type.can_view(user, target):
        raise Http404
    if not can_moderate_target(user, target_type, target):
        raise PermissionDenied


def check_can_report(user: User, target_type: TargetType, target: Any) -> None:
    if not is_member(user):
        raise PermissionDenied
    if not target_type.can_view(user, target):
        raise Http404
    author = target_type.author_of(target)
    if author is not None and author.pk == user.pk:
        raise PermissionDenied


def check_is_moderator(user: User) -> None:
    if not is_moderator(user):
        raise PermissionDenied


def check_is_global_moderator(user: User) -> None:
    """Suspensions, bans, the word filter, the audit log and member notes."""
    if not is_global_moderator(user):
        raise PermissionDenied


# --- Review items, decisions, objections ---------------------------------------


def can_moderate_space_id(user: User, space_id: int | None) -> bool:
    """Scope of an item by its denormalised space (None: global moderators)."""
    if not is_member(user):
        return False
    if user.is_staff:
        return True
    if space_id is None:
        return False
    return Space.objects.filter(pk=space_id, moderators=user).exists()


def check_can_review_item(
    user: User, item: Any, target_type: TargetType | None, target: Any
) -> None:
    """May `user` open a queue item? Moderators only, of the item's scope."""
    check_is_moderator(user)
    if target_type is not None and target is not None:
        check_can_moderate_target(user, target_type, target)
        return
    # The content is gone: the item's recorded space decides.
    if not can_moderate_space_id(user, item.space_id):
        raise PermissionDenied


# Actions that only global moderators (staff) may take.
GLOBAL_ONLY_ACTIONS = {"suspend", "ban"}
# Actions on the member rather than on the content.
MEMBER_ACTIONS = {"warn", "mute", "suspend", "ban"}


def allowed_actions(
    user: User, item: Any, target_type: TargetType, target: Any
) -> list[str]:
    """The decisions `user` may take on `item` and the target supports, in the
    order of `DecisionAction`."""
    if target is None:
        return [DecisionAction.DISMISS]
    author = target_type.author_of(target)
    offered = []
    held = item.source == ItemSource.HELD
    for action in DecisionAction.values:
        if action == "dismiss" and held:
            continue
        if action == "approve" and (not held or target_type.approve is None):
            continue
        if action in ("hide", "restore", "delete", "edit") and (
            getattr(target_type, action) is None
        ):
            continue
        if action in MEMBER_ACTIONS:
            if author is None or author.pk == user.pk:
                continue
            # Never on staff, nor on moderators of equal or higher standing.
            if not outranks(user, author, target_type.space_of(target)):
                continue
        if action in GLOBAL_ONLY_ACTIONS and not is_global_moderator(user):
            continue
        # A space moderator mutes in the space's room: that needs a space.
        room_mute = action == "mute" and not is_global_moderator(user)
        if room_mute and target_type.space_of(target) is None:
            continue
        offered.append(action)
    return offered


def check_can_decide(
    user: User, item: Any, target_type: TargetType, target: Any, action: str
) -> None:
    check_can_review_item(user, item, target_type, target)
    author = target_type.author_of(target) if target is not None else None
    if author is not None and author.pk == user.pk:
        # Nobody decides about their own content.
        raise PermissionDenied
    if action not in allowed_actions(user, item, target_type, target):
        raise PermissionDenied


def can_view_decision(user: User, decision: Any) -> bool:
    """The affected member and the moderators of the decision's scope."""
    if not user.is_authenticated or not user.is_active:
        return False
    if decision.member_id == user.pk:
        return True
    if is_global_moderator(user):
        return True
    space_id = decision.item.space_id if decision.item_id else None
    return can_moderate_space_id(user, space_id)


def access_decision(user: User, pk: int) -> Any:
    decision = (
        Decision.objects.select_related("member", "moderator", "item__space")
        .filter(pk=pk)
        .first()
    )
    if decision is None or not can_view_decision(user, decision):
        raise Http404
    return decision


# Decisions without a consequence for the member cannot be objected to.
NOT_APPEALABLE = {"dismiss", "approve", "restore"}


def can_object(user: User, decision: Any) -> bool:
    """The affected member objects once to a decision about them. Suspended
    members can too: the objection is their way back."""
    if not user.is_authenticated or not user.is_active:
        return False
    if decision.member_id != user.pk:
        return False
    if decision.action in NOT_APPEALABLE:
        return False
    return not hasattr(decision, "appeal")


def check_can_object(user: User, decision: Any) -> None:
    if not can_object(user, decision):
        raise PermissionDenied


def check_can_decide_appeal(user: User, appeal: Any) -> None:
    """A moderator of the decision's scope, not the one who decided, unless no
    other moderator of that scope exists (a space with a single moderator and
    no staff: the objection must not wait forever)."""
    decision = appeal.decision
    check_can_moderate_target(user, target_type("decision"), decision)
    if decision.member_id == user.pk:
        raise PermissionDenied
    if decision.moderator_id != user.pk:
        return
    if others_could_decide_appeal(user, decision):
        raise PermissionDenied


def others_could_decide_appeal(user: User, decision: Any) -> bool:
    space = decision_space(decision)
    others = User.objects.filter(is_active=True).exclude(pk=user.pk)
    others = others.exclude(pk=decision.member_id)
    if space is None:
        return others.filter(is_staff=True).exists()
    return others.filter(Q(is_staff=True) | Q(moderated_spaces=space)).exists()


def decision_space(decision: Decision) -> Space | None:
    """Whose moderators review an objection: the space of the decided item;
    suspensions, bans and platform-wide mutes only global moderators."""
    if decision.action in (DecisionAction.SUSPEND, DecisionAction.BAN):
        return None
    if decision.action == DecisionAction.MUTE and not any(
        sanction.room_id for sanction in decision.sanctions.all()
    ):
        return None
    return decision.item.space if decision.item else None

"""The target types the moderation app owns: member profiles and decisions.

"profile": a member's profile can be reported (a misleading name, an insult
in the offers text); only global moderators act on it, with the member
sanctions (warn, mute, suspend, ban). "decision": an objection (appeal) puts
the decision it objects to back into the queue under this kind.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.permissions import can_view_profile
from moderation.models import Decision
from moderation.permissions import can_view_decision, decision_space
from moderation.registry import TargetType, register


def _load_profile(pk: int) -> User | None:
    return User.objects.filter(pk=pk, is_active=True, deleted_at__isnull=True).first()


def _profile_excerpt(member: User) -> str:
    parts = [member.name, member.job_title, member.offers_text, member.seeks_text]
    return " · ".join(part for part in parts if part)


PROFILE = TargetType(
    kind="profile",
    label=_("Member profile"),
    load=_load_profile,
    can_view=can_view_profile,
    space_of=lambda member: None,
    author_of=lambda member: member,
    excerpt=_profile_excerpt,
    url=lambda member: reverse("accounts:profile", args=[member.pk]),
)


def _load_decision(pk: int) -> Decision | None:
    return (
        Decision.objects.select_related("member", "moderator", "item__space")
        .filter(pk=pk)
        .first()
    )


def _decision_excerpt(decision: Decision) -> str:
    appeal = getattr(decision, "appeal", None)
    text = appeal.text if appeal is not None else decision.reason
    return f"{decision.get_action_display()}: {decision.target_repr} – {text}"


DECISION = TargetType(
    kind="decision",
    label=_("Objection to a decision"),
    load=_load_decision,
    can_view=can_view_decision,
    space_of=decision_space,
    author_of=lambda decision: decision.member,
    excerpt=_decision_excerpt,
    url=lambda decision: reverse("moderation:decision", args=[decision.pk]),
)


def register_targets() -> None:
    register(PROFILE)
    register(DECISION)

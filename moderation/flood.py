"""Flood limits: how often a member may start threads, reply and open direct
conversations through the pages.

The rates are settings (FORUM_REPLY_RATE, FORUM_THREAD_RATE, CHAT_DIRECT_RATE,
each with a stricter *_NEWCOMER variant for members still under
pre-moderation, `screening.is_newcomer`); staff are not limited. Uses are
counted per member by `accounts.limits`, so a refusal says when to try again.
Chat messages over the socket have their own limit (`realtime.ratelimit`).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts import limits
from accounts.models import User
from moderation.screening import is_newcomer


@dataclass(frozen=True)
class Act:
    name: str
    setting: str
    message: str | Promise  # says "%(when)s"


REPLY = Act(
    "forum.reply",
    "FORUM_REPLY_RATE",
    _("You have reached the limit for replies. You can reply again %(when)s."),
)
THREAD = Act(
    "forum.thread",
    "FORUM_THREAD_RATE",
    _(
        "You have reached the limit for new threads. You can start another "
        "thread %(when)s."
    ),
)
DIRECT = Act(
    "chat.direct",
    "CHAT_DIRECT_RATE",
    _(
        "You have reached the limit for new direct conversations. You can "
        "start another one %(when)s."
    ),
)


def rate_for(member: User, act: Act) -> str:
    """The rate that applies to `member` (accounts.limits syntax; "" is none)."""
    if member.is_staff:
        return ""
    if is_newcomer(member):
        return getattr(settings, f"{act.setting}_NEWCOMER")
    return getattr(settings, act.setting)


def limited(member: User, act: Act) -> AbstractContextManager[limits.Use]:
    """Count `act` for the block, or raise limits.RateLimited before it runs.

    Only what succeeds counts: an exception in the block (a text the word
    filter refused) takes the use back.
    """
    return limits.limited(
        act.name,
        limits.member_key(member),
        rate_for(member, act),
        message=str(act.message),
    )

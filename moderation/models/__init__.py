"""Moderation data: reports, the review queue, decisions, objections, sanctions,
the word filter and moderator notes, by noun. The audit log lives in `audit`."""

from moderation.models.content import SlowMode, Visibility
from moderation.models.decisions import Appeal, AppealStatus, Decision, DecisionAction
from moderation.models.filters import FilterAction, WordFilter
from moderation.models.items import (
    ItemSource,
    ItemStatus,
    Report,
    ReportReason,
    ReviewItem,
    Rule,
)
from moderation.models.notes import ModeratorNote
from moderation.models.sanctions import Sanction, SanctionKind

__all__ = [
    "Appeal",
    "AppealStatus",
    "Decision",
    "DecisionAction",
    "FilterAction",
    "ItemSource",
    "ItemStatus",
    "ModeratorNote",
    "Report",
    "ReportReason",
    "ReviewItem",
    "Rule",
    "Sanction",
    "SanctionKind",
    "SlowMode",
    "Visibility",
    "WordFilter",
]

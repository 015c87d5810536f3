"""Writes for moderation, by noun. `log_action` is called by every app's decisions."""

from moderation.actions.audit import log_action

__all__ = ["log_action"]

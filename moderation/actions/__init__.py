"""Writes for moderation, by noun."""

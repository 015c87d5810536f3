"""Reads for moderation, by noun."""

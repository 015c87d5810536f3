"""Reads for the forum, one module per noun."""

from forum.queries.spaces import visible_spaces

__all__ = ["visible_spaces"]

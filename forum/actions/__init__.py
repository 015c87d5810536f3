"""Writes in the forum, one module per noun."""

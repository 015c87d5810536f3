"""Writes of the grants app, by noun."""

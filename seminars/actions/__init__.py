"""Writes for events, one module per noun."""

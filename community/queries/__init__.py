"""Reads of what the features share, one module per noun."""

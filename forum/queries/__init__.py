"""Reads for the forum, one module per noun."""

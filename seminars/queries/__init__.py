"""Reads for events, one module per noun."""

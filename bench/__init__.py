"""Benchmarks and the fault suite: `python -m bench` (docs/benchmarks.md)."""

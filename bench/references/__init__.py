"""Reference servers measured in the same run as the platform (docs/benchmarks.md)."""

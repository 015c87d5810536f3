"""Real throwaway Redis and PostgreSQL servers for the tests (filled in next)."""

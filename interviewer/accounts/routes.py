"""The accounts pages; each part's views live in its own module."""

from interviewer.accounts import bp, receivers  # noqa: F401

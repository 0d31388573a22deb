"""The accounts pages; each part's views live in its own module."""

from interviewer.accounts import audit_views, bp, invite_views, receivers, user_views  # noqa: F401

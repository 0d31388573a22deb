"""The accounts pages; each part's views live in its own module."""

from interviewer.accounts import (  # noqa: F401
    audit_views,
    bp,
    invite_views,
    receivers,
    reset,
    user_views,
)

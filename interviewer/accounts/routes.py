"""The accounts pages; each part's views live in its own module."""

from interviewer.accounts import (  # noqa: F401
    bp,
    receivers,
    reset,
)

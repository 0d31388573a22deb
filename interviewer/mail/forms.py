"""The outbox's one form: the admin's "Retry" button on a failed email."""

from __future__ import annotations

from interviewer.forms import BaseForm


class RetryEmailForm(BaseForm):
    """Queue a failed email again now: a button, the CSRF token its only field."""

"""What happens to accounts, told to the audit log above auth through ``account_event``."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from interviewer.auth.models import User
from interviewer.auth.signals import account_event


def record(
    session: Session,
    *,
    team_id: int,
    actor: User | None,
    action: str,
    subject: Any,
    **data: Any,
) -> None:
    """Record an audit event about ``subject`` (a model with an ``id``), in the caller's
    transaction: ``action`` is a dotted verb such as ``user.signed_in``."""
    account_event.send(
        _unproxied(subject),
        session=session,
        team_id=team_id,
        actor=_unproxied(actor),
        action=action,
        data=data,
    )


def _unproxied(value: Any) -> Any:
    """The object behind Flask-Login's ``current_user`` proxy (or ``value`` itself)."""
    unwrap = getattr(value, "_get_current_object", None)
    return unwrap() if unwrap is not None else value

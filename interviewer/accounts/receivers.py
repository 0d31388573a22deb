"""What auth tells: each account event becomes an audit event in the same transaction."""

from __future__ import annotations

from typing import Any

from interviewer import audit
from interviewer.auth.signals import account_event


@account_event.connect
def _record(subject: Any, *, session, team_id, actor, action, data, **_: Any) -> None:
    audit.record(session, team_id=team_id, actor=actor, action=action, subject=subject, **data)

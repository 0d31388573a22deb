"""Claiming rows of a queue table (the outbox, webhook deliveries) so that any number of
workers take each row once.

One conditional ``UPDATE ... RETURNING`` claims a batch. On PostgreSQL the rows are picked by
a ``SELECT ... FOR UPDATE SKIP LOCKED`` inside the statement, so two workers pass over each
other's rows instead of waiting for them; SQLite has one writer at a time, and the
``UPDATE`` checks each row is still due when its turn comes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, aliased


def claim_rows(
    session: Session,
    model: type,
    due: Callable[[Any], Sequence],
    order_by: Callable[[Any], Sequence],
    values: dict[str, Any],
    size: int,
) -> list:
    """Set ``values`` on the first ``size`` rows of ``model`` that are ``due`` (a function of
    the model or an alias, giving the conditions), in ``order_by``'s order; returns them.

    Does not commit: the caller commits the claim at once, so that no lock outlives it.
    """
    candidate = aliased(model)
    # Materialized: inlined, the planner may run the SKIP LOCKED select once per row it
    # joins, each time locking the next rows, and claim far more than ``size``.
    oldest_due = (
        select(candidate.id)
        .where(*due(candidate))
        .order_by(*order_by(candidate))
        .limit(size)
        .with_for_update(skip_locked=True)
        .cte("oldest_due")
        .prefix_with("MATERIALIZED")
    )
    return session.scalars(
        update(model)
        # Checked again by the UPDATE itself: on SQLite another worker may have claimed a
        # row between this worker's read of it and its turn to write.
        .where(model.id.in_(select(oldest_due.c.id)), *due(model))
        .values(**values)
        .returning(model),
        execution_options={"synchronize_session": False, "populate_existing": True},
    ).all()

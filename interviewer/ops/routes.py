"""The probes: plain answers, no sign-in, no session, no template."""

from __future__ import annotations

from flask import jsonify

from interviewer.auth.permissions import public
from interviewer.ops import bp, readiness


@bp.get("/healthz")
@public
def healthz():
    """The process is up and answering; touches nothing else."""
    return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


@bp.get("/readyz")
@public
def readyz():
    """200 when the database answers and its schema is at the head, else 503 with the reason."""
    reason = readiness.not_ready_reason()
    if reason is not None:
        response = jsonify(status="unavailable", reason=reason)
        response.status_code = 503
    else:
        response = jsonify(status="ready", schema=readiness.head_revision())
    response.headers["Cache-Control"] = "no-store"
    return response

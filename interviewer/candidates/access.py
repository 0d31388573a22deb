"""Loading the team's candidates, applications and sources by id; the views' role checks
come before."""

from __future__ import annotations

from typing import Any

from interviewer.candidates.models import Application, Candidate, CandidateSource
from interviewer.db import get_in_team_or_404


def get_candidate_or_404(candidate_id: Any, *options: Any) -> Candidate:
    """A candidate of the signed-in user's team, loaded with ``options``, or 404."""
    return get_in_team_or_404(Candidate, candidate_id, *options)


def get_application_or_404(application_id: Any, *options: Any) -> Application:
    """An application of the signed-in user's team, loaded with ``options``, or 404."""
    return get_in_team_or_404(Application, application_id, *options)


def get_source_or_404(source_id: Any) -> CandidateSource:
    """A candidate source of the signed-in user's team, or 404."""
    return get_in_team_or_404(CandidateSource, source_id)

"""A candidate's CV, downloaded by the people who may read it (``get_application_cv_or_404``):
always as an attachment of the type found at upload, never rendered by the browser."""

from __future__ import annotations

import io
from pathlib import PurePath

from flask import send_file
from flask_login import current_user, login_required

from interviewer.candidates import blind
from interviewer.dashboard import bp
from interviewer.files import services as files
from interviewer.scheduling.access import get_application_cv_or_404


@bp.route("/applications/<int:application_id>/cv")
@login_required
def application_cv(application_id: int):
    """Download the application's CV."""
    application = get_application_cv_or_404(application_id)
    stored = application.cv_file
    name = stored.name
    if blind.is_blind_for(current_user, application):
        # A file name often carries the person's name: a blind reviewer gets the pseudonym's.
        name = blind.pseudonym(application).replace(" ", "-") + PurePath(stored.name).suffix.lower()
    response = send_file(
        io.BytesIO(files.open(stored)),
        mimetype=stored.content_type,
        as_attachment=True,
        download_name=name,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response

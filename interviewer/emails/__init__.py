"""Emails to candidates: the team's editable texts for each kind of email, rendered in
Jinja's sandbox, and the one way a feature queues an email to a candidate
(:func:`interviewer.emails.services.queue_candidate_email`).

It stands above candidates (it reads applications) and below scheduling and scorecards,
which hand it the values only they know (the interview's time, the panel's names).
"""

from flask import Blueprint

bp = Blueprint("emails", __name__)

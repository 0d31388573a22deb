"""The candidate's data under their control: an admin exports everything the team holds about
a candidate and erases it on request, and the team's retention period anonymises candidates
whose last application closed long enough ago.

A face: it reads what every feature keeps about a candidate. Features above candidates that
keep something of their own (CV files, self-identification) add their part through the
signals of :mod:`interviewer.candidates.signals`.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("privacy", __name__)

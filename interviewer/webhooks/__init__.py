"""Webhooks: a team's endpoints that receive signed deliveries of its events.

A face above the features: its receivers (:mod:`interviewer.webhooks.events`) answer the
features' signals by queuing deliveries in the change's own transaction, and the worker or
``flask deliver-webhooks`` sends them (:mod:`interviewer.webhooks.delivery`).
"""

from flask import Blueprint

# Importing the package connects the receivers to the features' signals.
from interviewer.webhooks import events  # noqa: F401

bp = Blueprint("webhooks", __name__)

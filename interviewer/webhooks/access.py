"""Loading an endpoint or one of its deliveries, which only admins reach (``admin_required``)."""

from __future__ import annotations

from flask import abort
from sqlalchemy.orm import selectinload

from interviewer.db import get_in_team_or_404
from interviewer.webhooks.models import WebhookDelivery, WebhookEndpoint


def get_endpoint_or_404(webhook_id: int) -> WebhookEndpoint:
    """The signed-in user's team's endpoint ``webhook_id``; another team's is a 404."""
    return get_in_team_or_404(WebhookEndpoint, webhook_id)


def get_delivery_or_404(endpoint: WebhookEndpoint, delivery_id: int) -> WebhookDelivery:
    """Delivery ``delivery_id`` of ``endpoint`` (of the team's); any other is a 404."""
    delivery = get_in_team_or_404(
        WebhookDelivery, delivery_id, selectinload(WebhookDelivery.history)
    )
    if delivery.endpoint_id != endpoint.id:
        abort(404)
    return delivery

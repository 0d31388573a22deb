"""Settings > Webhooks: the team's endpoints, their delivery log and the signing guide."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from interviewer.auth.permissions import admin_required
from interviewer.extensions import db
from interviewer.forms import bounded_int
from interviewer.pagination import Order, keyset_page
from interviewer.webhooks import bp, delivery
from interviewer.webhooks.access import get_delivery_or_404, get_endpoint_or_404
from interviewer.webhooks.docs import SNIPPET
from interviewer.webhooks.forms import ActionForm, EndpointForm
from interviewer.webhooks.models import EVENTS, WebhookDelivery
from interviewer.webhooks.services import (
    WebhookError,
    create_endpoint,
    delete_endpoint,
    endpoint_deliveries,
    redeliver,
    roll_secret,
    set_enabled,
    team_endpoints,
    update_endpoint,
)


@bp.route("/settings/webhooks")
@admin_required
def index():
    """The team's endpoints: address, events, state and last delivery."""
    endpoints = team_endpoints(db.session, current_user.team_id)
    return render_template("webhooks/index.html", endpoints=endpoints, form=ActionForm())


def _save(form: EndpointForm, save) -> bool:
    """Run ``save`` when the form is valid; a refusal becomes a message on its field."""
    if not form.validate_on_submit():
        return False
    try:
        save()
    except WebhookError as error:
        getattr(form, error.field or "url").errors.append(str(error))
        return False
    return True


@bp.route("/settings/webhooks/new", methods=["GET", "POST"])
@admin_required
def new():
    """Add an endpoint; its secret is shown once, on the page that answers."""
    form = EndpointForm()
    found = {}

    def save():
        found["endpoint"] = create_endpoint(
            db.session, current_user.team_id, current_user, **_fields(form)
        )

    if _save(form, save):
        db.session.commit()
        endpoint = found["endpoint"]
        return render_template("webhooks/secret.html", endpoint=endpoint, secret=endpoint.secret)
    return render_template("webhooks/form.html", form=form, endpoint=None, events=EVENTS)


def _fields(form: EndpointForm) -> dict:
    return {"url": form.url.data, "description": form.description.data, "events": form.events.data}


@bp.route("/settings/webhooks/<int:webhook_id>/edit", methods=["GET", "POST"])
@admin_required
def edit(webhook_id: int):
    """Change an endpoint's address, description and events."""
    endpoint = get_endpoint_or_404(webhook_id)
    form = EndpointForm(obj=endpoint if request.method == "GET" else None)
    if request.method == "GET":
        form.events.data = endpoint.event_list
    if _save(form, lambda: update_endpoint(db.session, endpoint, current_user, **_fields(form))):
        db.session.commit()
        flash("The endpoint was saved.", "success")
        return redirect(url_for("webhooks.index"))
    return render_template("webhooks/form.html", form=form, endpoint=endpoint, events=EVENTS)


def _action(webhook_id: int):
    endpoint = get_endpoint_or_404(webhook_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    return endpoint


@bp.route("/settings/webhooks/<int:webhook_id>/toggle", methods=["POST"])
@admin_required
def toggle(webhook_id: int):
    """Turn an endpoint off, or on again (its waiting deliveries are sent then)."""
    endpoint = _action(webhook_id)
    set_enabled(db.session, endpoint, current_user, not endpoint.enabled)
    db.session.commit()
    flash(f"{endpoint.url} is {'on' if endpoint.enabled else 'off'}.", "success")
    return redirect(url_for("webhooks.index"))


@bp.route("/settings/webhooks/<int:webhook_id>/delete", methods=["POST"])
@admin_required
def delete(webhook_id: int):
    """Delete an endpoint and its delivery log."""
    endpoint = _action(webhook_id)
    url = endpoint.url
    delete_endpoint(db.session, endpoint, current_user)
    db.session.commit()
    flash(f"{url} was deleted; it receives nothing more.", "success")
    return redirect(url_for("webhooks.index"))


@bp.route("/settings/webhooks/<int:webhook_id>/roll-secret", methods=["POST"])
@admin_required
def roll(webhook_id: int):
    """Give the endpoint a new signing secret, shown once."""
    endpoint = _action(webhook_id)
    secret = roll_secret(db.session, endpoint, current_user)
    db.session.commit()
    return render_template("webhooks/secret.html", endpoint=endpoint, secret=secret, rolled=True)


@bp.route("/settings/webhooks/<int:webhook_id>")
@admin_required
def log(webhook_id: int):
    """An endpoint's deliveries, newest first, by cursor."""
    endpoint = get_endpoint_or_404(webhook_id)
    page = keyset_page(
        db.session,
        endpoint_deliveries(endpoint),
        Order(WebhookDelivery.created_at, WebhookDelivery.id, descending=True),
        per_page=current_app.config["PER_PAGE"],
        page=request.args.get("page", 1, type=bounded_int),
        after=request.args.get("after"),
        before=request.args.get("before"),
    )
    return render_template("webhooks/log.html", endpoint=endpoint, page=page, form=ActionForm())


@bp.route("/settings/webhooks/<int:webhook_id>/deliveries/<int:delivery_id>")
@admin_required
def delivery_detail(webhook_id: int, delivery_id: int):
    """One delivery: its body as signed and sent, and each attempt."""
    endpoint = get_endpoint_or_404(webhook_id)
    found = get_delivery_or_404(endpoint, delivery_id)
    return render_template(
        "webhooks/delivery.html", endpoint=endpoint, delivery=found, form=ActionForm()
    )


@bp.route(
    "/settings/webhooks/<int:webhook_id>/deliveries/<int:delivery_id>/redeliver",
    methods=["POST"],
)
@admin_required
def redeliver_event(webhook_id: int, delivery_id: int):
    """Queue a fresh attempt of the same event, sent on the worker's next run."""
    endpoint = _action(webhook_id)
    found = get_delivery_or_404(endpoint, delivery_id)
    try:
        redeliver(db.session, found, current_user)
    except WebhookError as error:
        flash(str(error), "warning")
    else:
        db.session.commit()
        flash("The event will be delivered again on the next delivery run.", "success")
    return redirect(
        url_for("webhooks.delivery_detail", webhook_id=endpoint.id, delivery_id=found.id)
    )


@bp.route("/settings/webhooks/guide")
@admin_required
def guide():
    """How deliveries are signed, and how a receiver checks them."""
    return render_template(
        "webhooks/guide.html",
        events=EVENTS,
        snippet=SNIPPET,
        backoff=[delivery.wait_label(wait) for wait in delivery.BACKOFF],
    )

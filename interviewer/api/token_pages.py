"""The token pages: each person's own tokens on their account, the team's for admins.

A new token's secret is shown once, on the answer to the form that made it (never stored,
never put in the session); lists show the prefix, scopes, dates and last use.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from interviewer.api import pages, tokens
from interviewer.api.access import get_token_or_404
from interviewer.api.forms import TokenForm
from interviewer.auth.forms import EmptyForm
from interviewer.auth.models import Role
from interviewer.auth.permissions import role_required
from interviewer.db import utcnow
from interviewer.extensions import db

#: The two pages: who they are for, their kind of token, their words.
PAGES = {
    tokens.PERSONAL: {
        "endpoint": "api_pages.personal_tokens",
        "title": "Your API tokens",
        "intro": "A personal token acts as you: it sees and changes what you can on the "
        "pages, and stops working if your account is deactivated.",
    },
    tokens.TEAM: {
        "endpoint": "api_pages.team_tokens",
        "title": "Team API tokens",
        "intro": "A team token is for a tool the whole team uses (an HRIS, a job board). It "
        "acts with your admin rights while you stay an active admin of the team.",
    },
}


@pages.route("/account/api-tokens", methods=["GET", "POST"])
@login_required
def personal_tokens():
    """The signed-in person's own tokens, and the form to make one."""
    return _page(tokens.PERSONAL)


@pages.route("/team/api-tokens", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def team_tokens():
    """The team's tokens (and everyone's personal ones, to revoke), for admins."""
    return _page(tokens.TEAM)


@pages.post("/account/api-tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    """Close a token for good."""
    token = get_token_or_404(token_id)
    if EmptyForm().validate_on_submit():
        tokens.revoke(db.session, token, actor=current_user)
        db.session.commit()
        flash(f"The token '{token.name}' ({token.prefix}…) is revoked.", "success")
    mine = token.kind == tokens.PERSONAL and token.user_id == current_user.id
    return redirect(url_for("api_pages.personal_tokens" if mine else "api_pages.team_tokens"))


def _page(kind: str):
    """List the tokens of ``kind``; on a valid POST, make one and show its secret once."""
    form = TokenForm(allowed=tokens.scopes_for(current_user, kind), timezone=current_user.timezone)
    if request.method == "POST" and form.validate_on_submit():
        try:
            token, secret = tokens.issue(
                db.session,
                current_user,
                kind=kind,
                name=form.name.data,
                scopes=form.scopes.data,
                expires_at=form.expires_at(),
            )
        except ValueError as refusal:
            form.scopes.errors = [str(refusal)]
        else:
            db.session.commit()
            page = render_template(
                "api/token_created.html", token=token, secret=secret, page=PAGES[kind]
            )
            # The secret must not stay in a cache or in the browser's history.
            return page, 200, {"Cache-Control": "no-store"}
    mine = None if kind == tokens.TEAM else current_user.id
    listed = tokens.listed(db.session, current_user.team_id, kind=kind, user_id=mine)
    others = (
        tokens.listed(db.session, current_user.team_id, kind=tokens.PERSONAL)
        if kind == tokens.TEAM
        else []
    )
    return render_template(
        "api/tokens.html",
        form=form,
        kind=kind,
        page=PAGES[kind],
        tokens=listed,
        others=others,
        revoke_form=EmptyForm(),
        now=utcnow(),
        is_live=tokens.is_live,
    )

"""The portal's answer to ``candidates.signals.portal_link``: where a private link leads.

Connected when ``interviewer.portal`` is imported. Everyone, this face included, gets the
link from ``candidates.portal_links.portal_url``; only this module names the endpoint.
"""

from __future__ import annotations

from interviewer.candidates import signals as candidate_signals
from interviewer.candidates.models import Application
from interviewer.candidates.portal_links import make_token
from interviewer.urls import link_to


@candidate_signals.portal_link.connect
def portal_page_url(application: Application, *, external: bool = False, **kwargs: object) -> str:
    """The address of the portal page the application's current token opens."""
    # The link opens the candidate's page: APP_URL, when set, names the host, never a request.
    return link_to("portal.show", external=external, public=True, token=make_token(application))

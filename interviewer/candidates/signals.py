"""What candidates ask the faces above them: where an application's private link leads."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

portal_link = _signals.signal(
    "portal-link",
    doc="""The address of the candidate's private page of an application (the sender).

    Sent with ``external`` (absolute address when true). The face that serves the page (the
    portal) returns the address; nothing is returned when no face serves one.
    """,
)

"""What the users page asks the features above auth: the team's state an admin should see."""

from __future__ import annotations

from dataclasses import dataclass

from blinker import Namespace

_signals = Namespace()


@dataclass(frozen=True)
class AdminNotice:
    """One line on the users page: ``text``, and a link to the page that tells more."""

    text: str
    link_text: str
    url: str
    #: A Bootstrap alert colour: ``info``, or ``warning`` when something needs the admin.
    level: str = "info"


admin_notices = _signals.signal(
    "admin-notices",
    doc="""What an admin of the team (the sender, a ``Team``) should know about it.

    Sent with ``session``. Each receiver returns an :class:`AdminNotice` or ``None``.
    """,
)

"""What the interview page asks the features above scheduling."""

from __future__ import annotations

from dataclasses import dataclass

from blinker import Namespace

_signals = Namespace()


@dataclass(frozen=True)
class InterviewAction:
    """A link the interview page shows its viewer (``url`` ``None``: only the ``note``)."""

    label: str
    url: str | None = None
    #: A short state beside the link ("Draft", "Submitted").
    note: str = ""
    #: The note's colour: "" (neutral), "success" or "warning".
    tone: str = ""


interview_actions = _signals.signal(
    "interview-actions",
    doc="""What the viewer can do next about an interview, for its page.

    Sent with the interview as sender and ``session`` and ``viewer``. Each receiver returns
    an :class:`InterviewAction` or ``None``.
    """,
)

interview_scheduled = _signals.signal(
    "interview-scheduled",
    doc="""An interview (the sender) was booked and flushed; sent with ``session``.""",
)
interview_rescheduled = _signals.signal(
    "interview-rescheduled",
    doc="""An interview (the sender) moved (time or panel), flushed; sent with ``session``.""",
)
interview_cancelled = _signals.signal(
    "interview-cancelled",
    doc="""An interview (the sender) was cancelled and flushed; sent with ``session``.""",
)

"""A card of the pipeline board: its move buttons and drop targets, worked out once for the
cards that share a state, and its links, built from patterns made once per board."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from flask import url_for
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from interviewer.candidates import pipeline
from interviewer.candidates.models import Application, ApplicationStatus
from interviewer.candidates.pipeline import Move
from interviewer.plans.models import PlanStage

S = ApplicationStatus

#: The moves a card shows as buttons (forward and back); the others sit under "More moves".
PRIMARY_MOVES = (Move.ADVANCE, Move.OFFER, Move.HIRE, Move.RESUME, Move.REOPEN, Move.BACK)

#: The moves a card can be dragged to make, and the column each leads to.
DRAG_MOVES = (Move.ADVANCE, Move.BACK, Move.OFFER, Move.HIRE)

#: The look of each move's button (as on the candidate page, ``_moves.html``).
MOVE_LOOKS = {
    Move.ADVANCE: "btn-primary",
    Move.OFFER: "btn-success",
    Move.HIRE: "btn-success",
    Move.RESUME: "btn-primary",
    Move.REOPEN: "btn-outline-primary",
    Move.BACK: "btn-outline-primary",
    Move.HOLD: "btn-outline-secondary",
    Move.REJECT: "btn-outline-danger",
    Move.WITHDRAW: "btn-outline-secondary",
}

#: The columns that gather a status rather than a stage, by key.
STATUS_COLUMNS = {"offer": S.OFFER, "hired": S.HIRED}
#: The column of applications that have no current stage.
UNSTAGED = "none"


class Button(NamedTuple):
    """One move button of a card, its strings built once (a board has hundreds)."""

    label: str
    #: Where the move is made: the button's ``formaction``, or the page that asks for a
    #: reason (``needs_reason``).
    url: str
    look: str
    needs_reason: bool


@dataclass
class Card:
    application: Application
    days_in_stage: int
    next_interview: datetime | None
    #: When the latest interview of the current stage that has begun started.
    interviewed: datetime | None
    #: The current stage has an interview booked (past or to come), so it needs no booking.
    stage_booked: bool
    primary: list[Button]
    others: list[Button]
    #: The candidate's page.
    candidate_url: str = ""
    #: Where the current stage is booked, when the card offers it (active, nothing booked).
    schedule_url: str = ""
    #: Column key -> the move that a drop there makes: ``{"post": url}`` for a one-click
    #: move, ``{"page": url}`` for one that asks for a reason first.
    drops: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def drops_json(self) -> Markup:
        """``drops`` as JSON that is safe inside an HTML attribute."""
        return htmlsafe_json_dumps(self.drops, sort_keys=True)


def column_key(status: ApplicationStatus, stage_id: int | None) -> str:
    """The key of the column an application with ``status`` at ``stage_id`` sits in."""
    for key, column_status in STATUS_COLUMNS.items():
        if status is column_status:
            return key
    return UNSTAGED if stage_id is None else str(stage_id)


class CardUrls:
    """The addresses on a card, each built from a pattern made once per board (``url_for``
    for every card and button costs more than the rest of the card)."""

    def __init__(self) -> None:
        #: Up to the move's name, which completes it.
        self.moves = self._pattern("dashboard.move_application", "application_id", move="-")
        self.moves = self.moves.removesuffix("-")
        self.candidate = self._pattern("dashboard.candidate", "candidate_id")
        self.schedule = self._pattern("scheduling.schedule", "application_id", "stage_id")

    def _pattern(self, endpoint: str, *names: str, **values: str) -> str:
        """The address of ``endpoint`` with ``{name}`` where each id of ``names`` goes."""
        stand_ins = {name: 900_000_001 + index for index, name in enumerate(names)}
        url = url_for(endpoint, **stand_ins, **values)
        for name, stand_in in stand_ins.items():
            url = url.replace(str(stand_in), "{" + name + "}")
        return url


class MoveSet(NamedTuple):
    """The buttons and drops of the cards in one state (``pipeline.move_state``), as
    ``(move, label, look, needs_reason)`` and ``(column key, move, needs_reason)``: each
    card adds its own address."""

    primary: list[tuple[Move, str, str, bool]]
    others: list[tuple[Move, str, str, bool]]
    drops: list[tuple[str, Move, bool]]


def move_set(application: Application, stages: list[PlanStage]) -> MoveSet:
    """The moves of the cards in the state of ``application``, each checked once."""
    moves = MoveSet([], [], [])
    for option, target in pipeline.moves_with_targets(application, stages):
        button = (option.move, option.label, MOVE_LOOKS[option.move], option.needs_reason)
        (moves.primary if option.move in PRIMARY_MOVES else moves.others).append(button)
        if option.move in DRAG_MOVES:
            status = pipeline.MOVE_RESULT[option.move]
            key = column_key(status, target.id if target else application.current_stage_id)
            moves.drops.append((key, option.move, option.needs_reason))
    return moves


def make_card(
    application: Application,
    moves: MoveSet,
    urls: CardUrls,
    now: datetime,
    upcoming: datetime | None,
    interviewed: datetime | None,
    stage_booked: bool,
) -> Card:
    """The card of ``application``: its buttons and drops from ``moves``, and its links."""
    to = urls.moves.format(application_id=application.id)
    schedule_url = ""
    stage_id = application.current_stage_id
    if application.status is S.ACTIVE and stage_id is not None and not stage_booked:
        schedule_url = urls.schedule.format(application_id=application.id, stage_id=stage_id)
    return Card(
        application=application,
        days_in_stage=pipeline.days_in_stage(application, now),
        next_interview=upcoming,
        interviewed=interviewed,
        stage_booked=stage_booked,
        primary=[Button(label, to + move, look, why) for move, label, look, why in moves.primary],
        others=[Button(label, to + move, look, why) for move, label, look, why in moves.others],
        candidate_url=urls.candidate.format(candidate_id=application.candidate_id),
        schedule_url=schedule_url,
        drops={key: {"page" if why else "post": to + move} for key, move, why in moves.drops},
    )

"""The stories of the demo's history: who applied when, who interviewed them, how they
rated, and how each application ended.

Each story is played out here, in memory, by the pipeline's rules (advance, reject with a
reason, withdraw, offer, hire; a decision with its rationale where a debrief ended), then
``history_rows`` writes all of them in a few bulk inserts: hundreds of rows one service
call at a time would make ``flask seed-demo`` slow. The ratings are drawn so that the
calibration and reliability reports find something (``history_data``: one lenient and one
harsh interviewer, one skill nobody rates alike, one stage where one group passes less).
Everything is closed and in the past, so the board and the journeys' open applications
look as they did.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import NormalDist

from sqlalchemy import select

from interviewer.candidates.models import Candidate
from interviewer.plans.models import Job, PlanStage
from interviewer.seed import history_data as data
from interviewer.seed.history_calendar import HistoryCalendar
from interviewer.seed.setup import Demo

#: Nothing of the history happens later than this before ``now``.
MARGIN = timedelta(hours=2)
#: The most days one stage of a story may take (booking, lead time, late scorecards and
#: the decision), for choosing when a story may begin.
STAGE_DAYS = 13
#: Quantile slots in one deck of abilities.
DECK = 20
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


@dataclass
class Card:
    """One interviewer's submitted scorecard, with its first version if it was amended."""

    user: str
    submitted_at: datetime
    ratings: dict[str, int | None]
    recommendation: int
    #: (first ratings, first recommendation, reason, amended at) of an amended scorecard.
    first: tuple[dict[str, int | None], int, str, datetime] | None = None


@dataclass
class Held:
    """One interview of a story: held (with its scorecards) or cancelled."""

    stage: PlanStage
    panel: tuple[str, ...]
    booked_at: datetime
    starts_at: datetime
    ends_at: datetime
    cards: list[Card] = field(default_factory=list)
    cancelled_at: datetime | None = None


@dataclass
class Step:
    """A move of the pipeline, as its audit event records it, and its decision if any."""

    move: str
    at: datetime
    from_stage: str
    to_stage: str
    from_status: str
    to_status: str
    reason: str | None = None
    note: str = ""
    #: (outcome, rationale) of the decision that made the move.
    decision: tuple[str, str] | None = None


@dataclass
class Story:
    """One past application, from being received to its close."""

    name: str
    email: str
    timezone: str
    source: str
    job: Job
    received_at: datetime
    answers: dict[str, str | None] = field(default_factory=dict)
    #: [stage, entered, left, left by, reason] of each stay.
    stays: list[list] = field(default_factory=list)
    interviews: list[Held] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    status: str = "active"
    stage: PlanStage | None = None
    stage_entered_at: datetime | None = None

    @property
    def closed_at(self) -> datetime:
        return self.steps[-1].at

    @property
    def careers(self) -> bool:
        return self.source == "Careers page"


@dataclass(frozen=True)
class Plan:
    """What a story will be, drawn before its dates: its panels and scorecards per stage
    and how it ends (``stop``: the stage it stops at, ``end``: how)."""

    panels: list[tuple[str, ...]]
    cards: list[list[Card]]
    stop: int
    end: str
    reason: str | None


def draw(demo: Demo) -> list[Story]:
    """Draw and date every story of the history, booking its interviews around the
    interviews the demo already has."""
    rng = random.Random(data.SEED)
    interviewers = [user for user in demo.users.values() if user.role.value != "admin"]
    calendar = HistoryCalendar(demo.session, demo.team.id, interviewers)
    people = _people(demo, rng)
    abilities = _Abilities(rng)
    stories = []
    for job_key, count in data.APPLICATIONS.items():
        for _ in range(count):
            story = _story(demo, rng, calendar, demo.jobs[job_key], next(people), abilities)
            if story is not None:
                stories.append(story)
    return stories


def _people(demo: Demo, rng: random.Random):
    """Generated people, never one already in the team: (name, email, gender, zone)."""
    taken = set(
        demo.session.scalars(select(Candidate.email).where(Candidate.team_id == demo.team.id))
    )
    names = [
        (first, last, gender)
        for gender, firsts in data.FIRST_NAMES.items()
        for first in firsts
        for last in data.LAST_NAMES
    ]
    rng.shuffle(names)
    for index, (first, last, gender) in enumerate(names):
        domain = "example.org" if index % 2 else "example.com"
        plain = unicodedata.normalize("NFKD", f"{first}.{last}").encode("ascii", "ignore")
        email = f"{plain.decode().lower()}@{domain}"
        if email not in taken:
            yield f"{first} {last}", email, gender, rng.choice(data.TIMEZONES)


def _pick(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[key] for key in keys])[0]


def _story(demo, rng: random.Random, calendar: HistoryCalendar, job: Job, person, abilities):
    """Draw one story, then date it; ``None`` if its interviews find no slot in time."""
    name, email, gender, timezone = person
    source = _pick(rng, data.SOURCES)
    answers = _answers(rng, gender) if source == "Careers page" else {}
    plan = _plan(rng, job, answers, abilities, answers.get("gender"))
    stages = list(job.stages)
    length = timedelta(days=STAGE_DAYS * (plan.stop + 1) + 10)
    latest_start = demo.now - length
    earliest_start = demo.now - timedelta(days=data.DAYS)
    span = max((latest_start - earliest_start).total_seconds(), 0)
    received_at = earliest_start + timedelta(seconds=rng.uniform(0, span))
    story = Story(name, email, timezone, source, job, received_at, answers)
    if not _date(demo, rng, calendar, story, stages, plan):
        return None
    return story


def _answers(rng: random.Random, gender: str) -> dict[str, str | None]:
    """A careers-page applicant's self-identification answers (empty: none given)."""
    if rng.random() > data.ANSWER_SHARE:
        return {}
    given = gender if gender and rng.random() > 0.1 else _pick(rng, data.GENDERS_OTHER)
    return {"gender": given, "ethnicity": _pick(rng, data.ETHNICITIES)}


class _Abilities:
    """Draws per self-identified group from shuffled decks of quantiles: every group gets
    the same spread of talent and of luck on paper, so that a gap in pass rates comes from
    where the history puts one (``FAIRNESS_STAGE``), not from chance in groups of a few
    dozen."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.decks: dict[tuple, list[int]] = {}

    def uniform(self, group: str | None, purpose: str) -> float:
        deck = self.decks.setdefault((group, purpose), [])
        if not deck:
            deck.extend(range(DECK))
            self.rng.shuffle(deck)
        return (deck.pop() + self.rng.random()) / DECK

    def ability(self, group: str | None) -> float:
        return NormalDist().inv_cdf(self.uniform(group, "ability"))


def _plan(rng: random.Random, job: Job, answers: dict, draws: _Abilities, group) -> Plan:
    """Who interviews at each stage, what they rate, and where the story stops."""
    stages = list(job.stages)
    ability = draws.ability(group)
    skills = {skill.name for stage in stages for skill in stage.focus_skills}
    true = {
        skill: min(4, max(1, round(1.9 + 0.6 * ability + rng.gauss(0, 1.1))))
        for skill in sorted(skills)
    }
    panels, cards = [], []
    # Turned down on paper: the least able (an application says a lot at this level).
    if ability < NormalDist().inv_cdf(data.REVIEW_REJECT):
        return Plan(panels, cards, 0, "review", rng.choice(data.REVIEW_REASONS))
    for index, stage in enumerate(stages):
        if draws.uniform(group, f"withdraw {index}") < data.WITHDRAW:
            return Plan(panels, cards, index, "withdraw", rng.choice(data.WITHDRAW_REASONS))
        panel = _pick(rng, data.PANELS[stage.stage_type.key])[: stage.panel_size]
        panels.append(panel)
        cards.append([_card(rng, user, stage, true) for user in panel])
        luck = draws.uniform(group, stage.stage_type.key)
        if not _passes(luck, ability, stage, cards[-1], answers):
            return Plan(panels, cards, index, "reject", rng.choice(data.INTERVIEW_REASONS))
    if rng.random() < data.OFFER_ACCEPTED:
        return Plan(panels, cards, len(stages) - 1, "hire", None)
    return Plan(panels, cards, len(stages) - 1, "decline", rng.choice(data.DECLINE_REASONS))


def _card(rng: random.Random, user: str, stage: PlanStage, true: dict[str, int]) -> Card:
    """``user``'s ratings of the stage's focus skills: the candidate's true level, moved by
    the rater's bias and a little noise; near random on the noisy skill."""
    bias = 1 if user == data.LENIENT else -1 if user == data.HARSH else 0
    ratings: dict[str, int | None] = {}
    for skill in sorted(s.name for s in stage.focus_skills):
        if skill == data.NOISY_SKILL and rng.random() < 0.75:
            score = min(4, max(1, rng.randint(1, 4) + bias))
        else:
            noise = rng.choices((-1, 0, 1), weights=(2, 96, 2))[0]
            score = min(4, max(1, true[skill] + bias + noise))
        ratings[skill] = None if rng.random() < data.NOT_ASSESSED_SHARE else score
    if all(score is None for score in ratings.values()):
        first = next(iter(ratings))
        ratings[first] = min(4, max(1, true[first] + bias))
    rated = [score for score in ratings.values() if score is not None]
    recommendation = min(4, max(1, round(sum(rated) / len(rated) + rng.gauss(0, 0.35))))
    return Card(user, datetime.min, ratings, recommendation)


def _passes(luck: float, ability: float, stage: PlanStage, cards: list[Card], answers) -> bool:
    """Whether the panel's mean rating (give or take the day's ``luck``, a quantile) clears
    the stage's mark; at the first stage, whether the candidate's ability does (the short
    screen's ratings say less), so that every group passes it alike: each group's abilities
    are spread the same way."""
    if stage.position == 1:
        return ability >= data.SCREEN_CUTOFF
    scores = [s for card in cards for s in card.ratings.values() if s is not None]
    mean = sum(scores) / len(scores) + NormalDist(0, 0.35).inv_cdf(luck)
    key, group = data.FAIRNESS_GROUP
    if stage.stage_type.key == data.FAIRNESS_STAGE and answers.get(key) == group:
        mean -= data.FAIRNESS_PENALTY
    return mean >= data.PASS_MARKS[stage.position - 1]


def _date(demo, rng, calendar: HistoryCalendar, story: Story, stages, plan: Plan) -> bool:
    """Give the story its dates, booking its interviews in the calendar; False (with the
    bookings undone) when it would not be over before ``now``."""
    booked: list[Held] = []
    ok = _play(demo, rng, calendar, story, stages, plan, booked)
    if ok and story.closed_at < demo.now - MARGIN:
        return True
    for held in booked:
        calendar.release(tuple(demo.users[u].id for u in held.panel), held.starts_at, held.ends_at)
    return False


def _play(demo, rng, calendar, story: Story, stages, plan: Plan, booked: list[Held]) -> bool:
    when = story.received_at
    story.stays.append([stages[0], when, None, None, None])
    story.stage, story.stage_entered_at = stages[0], when
    if plan.end == "review":
        _leave(story, "reject", when + rng.uniform(0.5, 4) * DAY, plan.reason)
        return True
    for index, stage in enumerate(stages[: plan.stop + 1]):
        if index == plan.stop and plan.end == "withdraw":
            return _withdraw(demo, rng, calendar, story, stage, plan, booked, when)
        held = _interview(demo, rng, calendar, story, stage, plan.panels[index], when)
        if held is None:
            return False
        booked.append(held)
        held.cards = plan.cards[index]
        when = _score(rng, held)
        if index == plan.stop and plan.end == "reject":
            _decide(story, "reject", when, plan.reason, held)
            return True
        if index + 1 < len(stages):
            _advance(story, stages[index + 1], when)
    _decide(story, "offer", when, None, story.interviews[-1])
    later = when + rng.uniform(2, 8) * DAY
    if plan.end == "hire":
        _decide(story, "hire", later, None, story.interviews[-1])
    else:
        _leave(story, "withdraw", later, plan.reason, note="Declined the offer.")
    return True


def _interview(demo, rng, calendar, story: Story, stage, panel, entered) -> Held | None:
    booked_at = entered + rng.uniform(3, 36) * HOUR
    earliest = booked_at + rng.uniform(2, 6) * DAY
    ids = tuple(demo.users[user].id for user in panel)
    slot = calendar.book(ids, stage.duration_minutes, earliest, rng)
    if slot is None:
        return None
    held = Held(stage, panel, booked_at, *slot)
    story.interviews.append(held)
    return held


def _score(rng: random.Random, held: Held) -> datetime:
    """Date the scorecards of ``held`` (the slow interviewer often days late, a few amended
    the day after); return when the panel's last word was in."""
    last = held.ends_at
    for card in held.cards:
        if card.user == data.SLOW and rng.random() < 0.65:
            delay = rng.uniform(40, 80)
        else:
            delay = rng.choices(
                (rng.uniform(0.5, 8), rng.uniform(8, 24), rng.uniform(24, 60)), (70, 20, 10)
            )[0]
        card.submitted_at = held.ends_at + delay * HOUR
        last = max(last, card.submitted_at)
        if rng.random() < data.AMENDED / 700:
            last = max(last, _amend(rng, card))
    return last + rng.uniform(2, 40) * HOUR


def _amend(rng: random.Random, card: Card) -> datetime:
    """Make ``card`` a second version: its first had one rating a step off, or missing."""
    first = dict(card.ratings)
    skill = rng.choice(list(first))
    score = card.ratings[skill]
    if score is None:
        card.ratings[skill], reason = 3, data.AMEND_ADDED
    else:
        first[skill], reason = score - 1 if score > 1 else score + 1, rng.choice(data.AMEND_REASONS)
    amended_at = card.submitted_at + rng.uniform(3, 30) * HOUR
    card.first = (first, card.recommendation, reason, amended_at)
    return amended_at


def _withdraw(demo, rng, calendar, story, stage, plan, booked, entered) -> bool:
    """The candidate withdraws while waiting for ``stage``; half the time its interview
    was booked already and is cancelled."""
    when = entered + rng.uniform(1, 4) * DAY
    if rng.random() < 0.5:
        held = _interview(
            demo,
            rng,
            calendar,
            story,
            stage,
            _pick(rng, data.PANELS[stage.stage_type.key])[: stage.panel_size],
            entered,
        )
        if held is None:
            return False
        booked.append(held)
        when = held.booked_at + (held.starts_at - held.booked_at) * rng.uniform(0.2, 0.8)
        held.cancelled_at = when
    _leave(story, "withdraw", when, plan.reason)
    return True


def _advance(story: Story, stage: PlanStage, when: datetime) -> None:
    before = story.stage
    story.stays[-1][2:] = [when, "advance", None]
    story.stays.append([stage, when, None, None, None])
    story.steps.append(Step("advance", when, before.name, stage.name, "active", "active"))
    story.stage, story.stage_entered_at = stage, when


def _leave(story: Story, move: str, when, reason, note: str = "", decision=None) -> None:
    """Close the story by ``move`` (reject or withdraw) from where it stands."""
    before = story.status
    if before == "active":
        story.stays[-1][2:] = [when, move, reason]
    story.status = "rejected" if move == "reject" else "withdrawn"
    name = story.stage.name
    story.steps.append(Step(move, when, name, name, before, story.status, reason, note, decision))


def _decide(story: Story, outcome: str, when: datetime, reason, held: Held) -> None:
    """Record ``outcome`` with its rationale and make its move, as ``record_decision`` does."""
    rationale = _rationale(outcome, held)
    if outcome == "reject":
        _leave(story, "reject", when, reason, note=rationale, decision=(outcome, rationale))
        return
    name, before = story.stage.name, story.status
    story.status = "offer" if outcome == "offer" else "hired"
    if outcome == "offer":
        story.stays[-1][2:] = [when, "offer", None]
    story.stage_entered_at = when
    story.steps.append(
        Step(outcome, when, name, name, before, story.status, None, rationale, (outcome, rationale))
    )


def _rationale(outcome: str, held: Held) -> str:
    scores: dict[str, list[int]] = {}
    for card in held.cards:
        for skill, score in card.ratings.items():
            if score is not None:
                scores.setdefault(skill, []).append(score)
    means = {skill: sum(values) / len(values) for skill, values in scores.items()}
    best, worst = max(means, key=means.__getitem__), min(means, key=means.__getitem__)
    words = {"stage": held.stage.name, "best": best, "worst": worst}
    if outcome == "reject":
        index = sum(map(ord, held.stage.name + worst)) % len(data.REJECT_RATIONALES)
        return data.REJECT_RATIONALES[index].format(**words)
    return (data.OFFER_RATIONALE if outcome == "offer" else data.HIRE_RATIONALE).format(**words)

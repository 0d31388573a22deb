"""Level fit: the highest level of the ladder whose expectations the ratings meet.

Plain data in (skill names and numbers), so the rule is easy to read and to test. The
debrief explains the same rule in words; keep the two in step.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

#: Ratings of one skill this many points apart are a disagreement to talk through.
DISAGREEMENT = 2
#: The rating that means "shows what the job's level expects".
MEETS_BAR = 3


def join_names(names: Sequence[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    names = list(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


@dataclass(frozen=True)
class LevelBar:
    """One rung of the ladder as level fit reads it: skill name -> expected proficiency."""

    name: str
    expects: Mapping[str, int]

    def expected(self) -> dict[str, int]:
        """The skills this level expects (proficiency 1 or more)."""
        return {skill: value for skill, value in self.expects.items() if value >= 1}


@dataclass(frozen=True)
class Fit:
    """Where one set of estimates lands on the ladder."""

    #: The highest level met; ``None`` when none is.
    met: str | None
    #: The level compared with next: the one above ``met``, or the lowest when none is met.
    above: str | None
    #: Skills below ``above``'s bar, furthest below first.
    gaps: tuple[str, ...]


@dataclass(frozen=True)
class LevelFit:
    """The level the evidence supports, and the sentences that say so."""

    job_level: str
    #: Skill name -> estimated proficiency, for the skills somebody rated.
    estimates: Mapping[str, Fraction]
    #: ``None`` when nobody has rated any skill.
    fit: Fit | None
    #: Skills the job's level expects that nobody rated.
    not_assessed: tuple[str, ...]
    #: Skills whose ratings are ``DISAGREEMENT`` or more points apart.
    split: tuple[str, ...] = ()
    #: The fit on the lower rating of each split skill, when it differs from ``fit``, and the
    #: split skills that make the difference.
    split_fit: Fit | None = None
    decisive: tuple[str, ...] = ()

    @property
    def met(self) -> str | None:
        return self.fit.met if self.fit else None

    @property
    def sentence(self) -> str:
        """E.g. "Meets Middle; below Senior in System design and Caching & performance."."""
        fit = self.fit
        if fit is None:
            return "Not enough evidence yet: nobody has rated a skill."
        if fit.met is None:
            if fit.gaps:
                return f"Below {fit.above} in {join_names(fit.gaps)}."
            return f"Not enough evidence for {fit.above}: nobody rated a skill it expects."
        if fit.above is None:
            return f"Meets {fit.met}, the top of the ladder."
        if fit.gaps:
            return f"Meets {fit.met}; below {fit.above} in {join_names(fit.gaps)}."
        return f"Meets {fit.met}; not enough evidence for {fit.above}."

    @property
    def split_sentence(self) -> str | None:
        """What the fit would be on the lower side of a split, when that changes it."""
        if self.split_fit is None or self.fit is None:
            return None
        lower = self.split_fit.met or "no level"
        return (
            f"The panel is split on {join_names(self.decisive)}: on the lower "
            f"rating{'s' if len(self.decisive) > 1 else ''} alone, the evidence meets {lower}, "
            f"not {self.fit.met}. Talk it through before deciding."
        )


def estimate(job_expects: int, scores: Sequence[int]) -> Fraction:
    """A skill's estimated proficiency: the job level's expectation plus (mean rating - 3).

    Ratings are anchored to the job level's bar (3 = meets it, 4 = one above, 2 = one below,
    1 = two below); the estimate stays within the 0-4 proficiency scale.
    """
    mean = Fraction(sum(scores), len(scores))
    return min(Fraction(4), max(Fraction(0), job_expects + mean - MEETS_BAR))


def _fit(ladder: Sequence[LevelBar], estimates: Mapping[str, Fraction]) -> Fit:
    met_index = None
    gaps_by_level = []
    for index, bar in enumerate(ladder):
        expected = bar.expected()
        rated = [skill for skill in expected if skill in estimates]
        short = [skill for skill in rated if estimates[skill] < expected[skill]]
        short.sort(key=lambda skill: (estimates[skill] - expected[skill], skill))
        gaps_by_level.append(tuple(short))
        if rated and not short:
            met_index = index
    if met_index is None:
        return Fit(met=None, above=ladder[0].name, gaps=gaps_by_level[0])
    if met_index == len(ladder) - 1:
        return Fit(met=ladder[met_index].name, above=None, gaps=())
    return Fit(
        met=ladder[met_index].name,
        above=ladder[met_index + 1].name,
        gaps=gaps_by_level[met_index + 1],
    )


def level_fit(
    ladder: Sequence[LevelBar], job_level: str, ratings: Mapping[str, Sequence[int | None]]
) -> LevelFit:
    """The highest level of ``ladder`` (lowest rung first) the ratings show the candidate meets.

    ``ratings`` maps a skill name to its ratings (``None``: not assessed), read against the
    bar of ``job_level``. A level is met when it expects at least one rated skill and every
    rated skill it expects reaches its expectation; skills nobody rated do not count. When a
    skill's ratings are split, the fit on its lower rating alone is kept too if it differs.
    """
    bars = {bar.name: bar for bar in ladder}
    if job_level not in bars:
        raise ValueError(f"{job_level!r} is not a level of the ladder")
    job = bars[job_level]
    scores = {
        skill: [score for score in values if score is not None] for skill, values in ratings.items()
    }
    scores = {skill: values for skill, values in scores.items() if values}
    not_assessed = tuple(sorted(skill for skill in job.expected() if skill not in scores))
    estimates = {
        skill: estimate(job.expects.get(skill, 0), values) for skill, values in scores.items()
    }
    if not estimates:
        return LevelFit(job_level, {}, None, not_assessed)
    fit = _fit(ladder, estimates)
    split = tuple(
        sorted(
            skill for skill, values in scores.items() if max(values) - min(values) >= DISAGREEMENT
        )
    )
    if not split or fit.met is None:
        return LevelFit(job_level, estimates, fit, not_assessed, split)
    lower = dict(estimates)
    for skill in split:
        lower[skill] = estimate(job.expects.get(skill, 0), [min(scores[skill])])
    lower_fit = _fit(ladder, lower)
    if lower_fit.met == fit.met:
        return LevelFit(job_level, estimates, fit, not_assessed, split)
    bar = bars[fit.met].expects
    decisive = tuple(skill for skill in split if lower[skill] < bar.get(skill, 0)) or split
    return LevelFit(job_level, estimates, fit, not_assessed, split, lower_fit, decisive)

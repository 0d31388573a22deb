"""The posting checker (honest, inclusive postings) and the interview-process summary.

The checker's word lists are data, not code: see ``posting_words.toml`` and
``posting_words.load_word_lists``.
"""

from __future__ import annotations

import enum
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from interviewer.plans.models import EmploymentType, Job, PlanStage, Workplace
from interviewer.plans.posting_words import WordLists, load_word_lists


class FindingKind(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    """One thing the checker has to say about a posting."""

    kind: FindingKind
    #: What was checked: ``wording``, ``coded_balance``, ``salary``, ``closing_date`` ...
    rule: str
    title: str
    reason: str
    #: The words of the posting that triggered the finding, as written.
    words: tuple[str, ...] = ()
    #: Where the words are: "title", "description", a stage's "what to expect".
    places: tuple[str, ...] = ()


# Checking ---------------------------------------------------------------------------------------

# A sentence ends at . ! ? ; or a line break (list items are sentences of their own).
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")
# A pay figure: a currency sign, a "k" or a currency code tells it from "5+ years".
_NUMBER = r"\d+(?:[,.]\d+)*"
_MONEY = (
    rf"(?>[$€£]\s?{_NUMBER}(?:\s?[kK](?!\w))?|{_NUMBER}\s?[kK](?!\w)"
    rf"|{_NUMBER}\s?(?:USD|EUR|GBP|CHF|CAD|AUD)(?!\w))"
)
_OPEN_ENDED = re.compile(
    rf"{_MONEY}\s?\+"
    rf"|(?:from|starting at|starting from|at least|upwards of|up to|min(?:imum)?(?: of)?\.?)"
    rf"\s+{_MONEY}(?!\s*(?:-|–|—|to)\s*[$€£]?\s?\d)"
    rf"|{_MONEY}\s+(?:or more|and up|and above|or above|plus)(?!\w)",
    re.IGNORECASE,
)


def _sentences(text: str) -> list[str]:
    return [part for part in _SENTENCE_END.split(text) if part.strip()]


@dataclass
class CodedBalance:
    """Gender-coded words counted in a posting (Gaucher, Friesen & Kay 2011)."""

    masculine: Counter = field(default_factory=Counter)
    feminine: Counter = field(default_factory=Counter)
    margin: int = 3

    @property
    def masculine_count(self) -> int:
        return sum(self.masculine.values())

    @property
    def feminine_count(self) -> int:
        return sum(self.feminine.values())

    @property
    def leans_masculine(self) -> bool:
        return self.masculine_count - self.feminine_count >= self.margin

    def finding(self) -> Finding | None:
        """A warning when the wording leans masculine, else an info line with the counts."""
        if not self.masculine and not self.feminine:
            return None
        counts = (
            f"{self.masculine_count} masculine-coded, {self.feminine_count} feminine-coded word"
            f"{'s' if self.feminine_count != 1 else ''}."
        )
        if self.leans_masculine:
            reason = (
                f"{counts} Research (Gaucher, Friesen & Kay 2011) found that masculine-coded "
                "wording makes a job less appealing to women, and no such effect of "
                "feminine-coded wording on men. Balance it, e.g. say what the team supports "
                "and shares."
            )
            return Finding(
                FindingKind.WARNING,
                "coded_balance",
                "Leans masculine",
                reason,
                tuple(self.masculine),
            )
        reason = f"{counts} A balance, not a problem: nothing needs to change."
        words = tuple(self.masculine) + tuple(self.feminine)
        return Finding(FindingKind.INFO, "coded_balance", "Gender-coded words", reason, words)


def _coded(text: str, lists: WordLists, balance: CodedBalance) -> None:
    hits: list[tuple[int, int, str, str]] = []
    # Longest terms first; a word is counted once ("self-confident" is not also "confident").
    for side, pattern in lists.coded:
        for match in pattern.finditer(text):
            start, end = match.span()
            if not any(start < e and s < end for s, e, _, _ in hits):
                hits.append((start, end, side, match.group().lower()))
    for _, _, side, word in sorted(hits):
        (balance.masculine if side == "m" else balance.feminine)[word] += 1


class _Collector:
    """Gathers the words of each rule across the posting's texts, in order of appearance."""

    def __init__(self) -> None:
        self.words: dict[str, dict[str, str]] = {}
        self.places: dict[str, dict[str, None]] = {}

    def add(self, key: str, word: str, place: str) -> None:
        word = " ".join(word.split())
        # The first spelling seen stands for the others ("Ninja", "ninja").
        self.words.setdefault(key, {}).setdefault(word.lower(), word)
        self.places.setdefault(key, {})[place] = None

    def get(self, key: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        if key not in self.words:
            return None
        return tuple(self.words[key].values()), tuple(self.places[key])


def check_texts(
    texts: Sequence[tuple[str, str]], lists: WordLists | None = None
) -> tuple[list[Finding], CodedBalance]:
    """Check candidate-facing ``(place, text)`` pairs for wording; findings and coded balance."""
    lists = lists or load_word_lists()
    balance = CodedBalance(margin=lists.masculine_margin)
    found = _Collector()
    for place, text in texts:
        sentences = _sentences(text or "")
        about_hire = [bool(lists.hire.search(sentence)) for sentence in sentences]
        for index, sentence in enumerate(sentences):
            # The sentence itself or the one before it names the hire ("We seek X. He will...").
            hire_context = about_hire[index] or (index > 0 and about_hire[index - 1])
            for number, group in enumerate(lists.groups):
                if group.scope == "hire" and not hire_context:
                    continue
                for match in group.pattern.finditer(sentence):
                    found.add(f"group {number}", match.group(), place)
            if lists.salary.search(sentence):
                for match in _OPEN_ENDED.finditer(sentence):
                    found.add("salary_text", match.group(), place)
        _coded(text or "", lists, balance)

    findings = []
    for number, group in enumerate(lists.groups):
        if hit := found.get(f"group {number}"):
            findings.append(
                Finding(FindingKind(group.kind), "wording", group.name, group.reason, *hit)
            )
    if hit := found.get("salary_text"):
        reason = (
            "An open-ended figure hides the real range. State the range (minimum and maximum) "
            "in the salary fields and leave it out of the text."
        )
        findings.append(
            Finding(FindingKind.ERROR, "salary", "Open-ended salary in the text", reason, *hit)
        )
    for problem in lists.problems:
        findings.append(
            Finding(FindingKind.INFO, "word_list", "Team word list", f"The team's {problem}.")
        )
    return findings, balance


@dataclass
class PostingCheck:
    """What the checker found in one posting, most serious first."""

    findings: list[Finding]
    balance: CodedBalance

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.kind == FindingKind.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.kind == FindingKind.WARNING]

    @property
    def problem_count(self) -> int:
        return len(self.errors) + len(self.warnings)


def _facts(job: Job, stages: Sequence[PlanStage], today: date) -> list[Finding]:
    """Findings about what the posting must state (honest posting), not about its words."""
    error, warning = FindingKind.ERROR, FindingKind.WARNING
    no_salary = job.salary_min is None and job.salary_max is None
    one_bound = not no_salary and (job.salary_min is None or job.salary_max is None)
    closes_on = job.closes_on
    rules = [
        (not (job.description or "").strip(), error, "description", "No description",
         "Say what the work is, with whom, and what the hire will own."),
        (no_salary, error, "salary", "No salary range",
         "Postings without pay lose applicants and are unlawful in many places. "
         "Give a minimum and a maximum."),
        (one_bound, error, "salary", "Open-ended salary range",
         f"The range has only a {'minimum' if job.salary_max is None else 'maximum'}. "
         "Give both ends."),
        (job.employment_type == EmploymentType.CONTRACT and not job.contract_months, error,
         "contract", "Contract without duration", "Say how many months the contract runs."),
        (closes_on is None, error, "closing_date", "No closing date",
         "Candidates need to know until when they can apply."),
        (closes_on is not None and closes_on < today, warning, "closing_date",
         "Closing date has passed", f"Applications closed on {closes_on}."),
        (job.posted_on is None, warning, "posting_date", "No posting date",
         "The posting date is set to the day the job opens."),
        (not stages, error, "process", "No interview process described",
         "Add the plan's stages, so candidates know what to expect."),
        (not (job.location or "").strip() and job.workplace != Workplace.REMOTE, warning,
         "location", "No location", "An onsite or hybrid job needs a place."),
    ]  # fmt: skip
    return [Finding(kind, rule, title, reason) for hit, kind, rule, title, reason in rules if hit]


def check_posting(
    job: Job,
    stages: Sequence[PlanStage] | None = None,
    *,
    lists: WordLists | None = None,
    today: date | None = None,
) -> PostingCheck:
    """Check ``job``'s posting: its facts, and the words candidates read.

    ``stages`` defaults to ``job.stages``; their current kits' "what to expect" texts are
    checked too, so load ``PlanStage.kit_versions`` with them to keep the query count fixed.
    """
    stages = list(job.stages if stages is None else stages)
    texts = [("title", job.title or ""), ("description", job.description or "")]
    for stage in stages:
        kit = stage.current_kit
        if kit is not None and kit.what_to_expect:
            texts.append((f"“{stage.name}” what to expect", kit.what_to_expect))
    wording, balance = check_texts(texts, lists)
    findings = _facts(job, stages, today or date.today()) + wording
    if coded := balance.finding():
        findings.append(coded)
    order = {FindingKind.ERROR: 0, FindingKind.WARNING: 1, FindingKind.INFO: 2}
    findings.sort(key=lambda f: order[f.kind])
    return PostingCheck(findings=findings, balance=balance)


# The process summary -----------------------------------------------------------------------------


def format_minutes(minutes: int) -> str:
    """``90`` -> ``"1 h 30 min"``."""
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" + (f" {rest} min" if rest else "")


@dataclass(frozen=True)
class StageSummary:
    position: int
    name: str
    type_key: str
    type_name: str
    duration_minutes: int
    what_to_expect: str
    focus_skills: tuple[str, ...]

    @property
    def duration(self) -> str:
        return format_minutes(self.duration_minutes)


@dataclass(frozen=True)
class ProcessSummary:
    """The interview process as a posting states it (brief rule 5)."""

    stages: tuple[StageSummary, ...]
    live_coding_count: int
    whiteboard_count: int
    #: Stages before the first ``final`` stage; all of them when there is none.
    steps_until_final: int
    has_final: bool
    total_minutes: int

    @property
    def total(self) -> str:
        return format_minutes(self.total_minutes)


def process_summary(stages: Sequence[PlanStage]) -> ProcessSummary:
    """Summarise a plan's stages, in order, for candidates.

    Reads each stage's type, focus skills and current kit: load them with the stages.
    """
    ordered = sorted(stages, key=lambda stage: stage.position)
    summaries = tuple(
        StageSummary(
            position=number,
            name=stage.name,
            type_key=stage.stage_type.key,
            type_name=stage.stage_type.name,
            duration_minutes=stage.duration_minutes,
            what_to_expect=stage.current_kit.what_to_expect if stage.current_kit else "",
            focus_skills=tuple(skill.name for skill in stage.focus_skills),
        )
        for number, stage in enumerate(ordered, start=1)
    )
    keys = [stage.type_key for stage in summaries]
    has_final = "final" in keys
    return ProcessSummary(
        stages=summaries,
        live_coding_count=keys.count("live_coding"),
        whiteboard_count=keys.count("whiteboard"),
        steps_until_final=keys.index("final") if has_final else len(keys),
        has_final=has_final,
        total_minutes=sum(stage.duration_minutes for stage in summaries),
    )

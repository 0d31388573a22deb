"""Demo data: candidates, their applications and how their interviews went."""

from __future__ import annotations

from dataclasses import dataclass

#: key, name, time zone, source, link
CANDIDATES = [
    ("aisha", "Aisha Bello", "Africa/Lagos", "Referral", "https://github.com/aisha-bello-dev"),
    ("kenji", "Kenji Watanabe", "Europe/Amsterdam", "Careers page", "https://kenji.example.net"),
    ("lucia", "Lucía Fernández", "Europe/Madrid", "LinkedIn", "https://github.com/luciaf"),
    ("olu", "Oluwaseun Adeyemi", "Europe/London", "Meetup", "https://github.com/oadeyemi"),
    ("grace", "Grace Kim", "America/Los_Angeles", "Careers page", "https://gracekim.example.net"),
    ("mei", "Mei Chen", "America/Toronto", "Referral", "https://github.com/meichen-codes"),
    ("tomasz", "Tomasz Kowalski", "Europe/Warsaw", "Job board", "https://github.com/tkowalski"),
    ("fatima", "Fatima Zahra El Amrani", "Africa/Casablanca", "LinkedIn", ""),
    ("rahul", "Rahul Mehta", "Asia/Kolkata", "Careers page", "https://github.com/rmehta-dev"),
    ("emily", "Emily O'Connor", "Europe/Dublin", "Bootcamp partner", ""),
    ("diego", "Diego Santos", "America/Sao_Paulo", "Careers page", "https://github.com/dsantos"),
    ("hannah", "Hannah Schmidt", "Europe/Berlin", "University fair", ""),
    ("yusuf", "Yusuf Demir", "Europe/Istanbul", "Referral", "https://github.com/yusufdemir"),
]


@dataclass(frozen=True)
class AppSpec:
    """Where one application stands and how its interviews went."""

    candidate: str
    job: str
    #: Position of the current plan stage.
    stage: int
    status: str
    #: Plan stages interviewed so far (in the past), from the first.
    done: int
    #: The current stage's interview is booked in the future.
    upcoming: bool = False
    #: Days before today of the last past interview, and after today of the upcoming one.
    last_days_ago: int = 3
    ahead_days: int = 2
    #: Typical rating, and skills rated one higher or one lower.
    score: int = 3
    strong: tuple[str, ...] = ()
    weak: tuple[str, ...] = ()
    #: Scorecards of the last past interview still in draft (from the end of the panel).
    drafts: int = 0
    #: (skill, first panelist's score, second's): a split for the debrief to show.
    split: tuple[str, int, int] | None = None
    exit_reason: str | None = None
    #: The note of the move out of active, when no decision makes that move.
    note: str = ""
    #: The recorded decision: (outcome, rationale); it makes the move, the rationale its note.
    decision: tuple[str, str] | None = None


APPLICATIONS = [
    # Senior Backend Developer
    AppSpec("grace", "senior", 1, "active", 0, upcoming=True, ahead_days=1),
    AppSpec(
        "olu",
        "senior",
        2,
        "rejected",
        2,
        last_days_ago=14,
        score=2,
        strong=("API design",),
        weak=("Security",),
        exit_reason="Skills below the level's bar",
        decision=(
            "reject",
            "Solid Middle-level work: testing and security at Middle level, not Senior. "
            "Strong API instincts; invited to apply for the Backend Developer role.",
        ),
    ),
    AppSpec(
        "lucia",
        "senior",
        3,
        "on_hold",
        2,
        last_days_ago=8,
        strong=("Testing",),
        note="Paused at the candidate's request while she relocates; resume next month.",
    ),
    AppSpec(
        "kenji",
        "senior",
        4,
        "active",
        3,
        upcoming=True,
        last_days_ago=2,
        ahead_days=3,
        strong=("API design",),
        weak=("Caching & performance",),
        split=("System design", 3, 1),
    ),
    AppSpec(
        "aisha",
        "senior",
        5,
        "offer",
        5,
        last_days_ago=4,
        strong=("System design", "Collaboration", "Caching & performance"),
        decision=(
            "offer",
            "Meets or beats the Senior bar in every skill; both panels "
            "recommend strongly. Offer at the upper middle of the range.",
        ),
    ),
    # Backend Developer (Middle)
    AppSpec("tomasz", "middle", 1, "active", 1, last_days_ago=1, drafts=1),
    AppSpec("olu", "middle", 2, "active", 1, upcoming=True, last_days_ago=5, ahead_days=4),
    AppSpec(
        "fatima",
        "middle",
        3,
        "withdrawn",
        2,
        last_days_ago=6,
        strong=("Communication",),
        exit_reason="Accepted another offer",
    ),
    AppSpec(
        "rahul",
        "middle",
        4,
        "active",
        4,
        last_days_ago=1,
        weak=("Caching & performance",),
        drafts=1,
    ),
    AppSpec(
        "mei",
        "middle",
        5,
        "hired",
        5,
        last_days_ago=10,
        strong=("Testing", "API design"),
        decision=("hire", "Offer accepted; starts on the first of next month."),
    ),
    # Junior Backend Developer
    AppSpec(
        "emily",
        "junior",
        1,
        "rejected",
        1,
        last_days_ago=7,
        score=2,
        weak=("Time management",),
        exit_reason="Experience does not match the role",
        decision=(
            "reject",
            "Enthusiastic, but no hands-on experience building a service yet; "
            "worth hearing from again after the bootcamp project.",
        ),
    ),
    AppSpec("diego", "junior", 2, "active", 1, upcoming=True, last_days_ago=4, ahead_days=2),
    AppSpec(
        "hannah",
        "junior",
        3,
        "active",
        2,
        upcoming=True,
        last_days_ago=3,
        ahead_days=5,
        strong=("Testing",),
    ),
    AppSpec(
        "yusuf",
        "junior",
        4,
        "active",
        3,
        upcoming=True,
        last_days_ago=2,
        ahead_days=1,
        strong=("Problem solving",),
        weak=("Security",),
    ),
]

#: What an interviewer writes as evidence for each rating.
EVIDENCE = {
    4: "Answered fully without prompting and raised trade-offs we had not asked about.",
    3: "Solid, well-reasoned answer; needed one hint on the edge cases.",
    2: "Partial answer; needed repeated prompting and missed important cases.",
    1: "Could not get going; the answer was incorrect even with hints.",
}

#: Evidence for the two sides of a split, so the debrief has something to discuss.
SPLIT_EVIDENCE = {
    4: "Clean partitioned design with a clear migration path; handled failure modes well.",
    3: "Sound partitioned design once the load was stated; handled the main failure modes.",
    2: "Design ignored what happens when the queue backs up; vague on data consistency.",
    1: "Could not split the system into services; no answer on what happens under load.",
}

"""Demo data: the team, its people, the skill catalogue and the competency matrix."""

from __future__ import annotations

from interviewer.auth.models import Role

TEAM = {"name": "Acme Engineering", "slug": "acme", "timezone": "Europe/Berlin"}

#: Days before today that the team set up its people, skills and ladder (before any job).
SET_UP_DAYS_AGO = 215

#: key, name, email, role, time zone, takes interviews (gets weekly availability)
USERS = [
    ("amara", "Amara Okafor", "amara.okafor@acme.example", Role.ADMIN, "Europe/London", False),
    (
        "daniel",
        "Daniel Weber",
        "daniel.weber@acme.example",
        Role.HIRING_MANAGER,
        "Europe/Berlin",
        True,
    ),
    ("priya", "Priya Raman", "priya.raman@acme.example", Role.INTERVIEWER, "Europe/Berlin", True),
    (
        "marcus",
        "Marcus Johnson",
        "marcus.johnson@acme.example",
        Role.INTERVIEWER,
        "America/New_York",
        True,
    ),
    (
        "sofia",
        "Sofia Lindqvist",
        "sofia.lindqvist@acme.example",
        Role.INTERVIEWER,
        "Europe/London",
        True,
    ),
]

#: Weekly availability of everyone who interviews: Monday to Friday, in their own zone.
WORK_WEEK = range(0, 5)
WORK_HOURS = ("09:00", "17:00")

#: A whole day off: user key, days from today (moved to a weekday), note.
DAY_OFF = ("priya", 3, "Speaking at a conference")

#: name, kind, category, description
SKILLS = [
    (
        "API design",
        "hard",
        "Back-end",
        "Designing HTTP APIs that are consistent, safe to evolve and pleasant to use.",
    ),
    (
        "Databases & query tuning",
        "hard",
        "Back-end",
        "Relational data modelling, migrations, indexes and reading query plans.",
    ),
    (
        "Security",
        "hard",
        "Back-end",
        "Authentication, authorisation, input handling and secure defaults.",
    ),
    ("Testing", "hard", "Back-end", "Automated tests that catch regressions and keep change safe."),
    (
        "System design",
        "hard",
        "Back-end",
        "Shaping services end to end: boundaries, data flow, scaling and failure.",
    ),
    (
        "Caching & performance",
        "hard",
        "Back-end",
        "Measuring, profiling and caching without serving stale or wrong data.",
    ),
    (
        "Version control & CI/CD",
        "hard",
        "DevOps",
        "Git workflow, code review, pipelines and safe releases.",
    ),
    (
        "Communication",
        "soft",
        "Interpersonal",
        "Explaining ideas clearly in speech and writing, and listening.",
    ),
    (
        "Problem solving",
        "soft",
        "Ways of working",
        "Breaking a vague problem down and reasoning towards a solution.",
    ),
    (
        "Time management",
        "soft",
        "Ways of working",
        "Scoping, estimating and finishing work in the time available.",
    ),
    (
        "Collaboration",
        "soft",
        "Interpersonal",
        "Working with others: pairing, feedback, sharing knowledge.",
    ),
]

#: key, name, salary band (USD), from the most junior up (each joins the top of the ladder).
LEVELS = [
    ("junior", "Junior", 55_000, 85_000),
    ("middle", "Middle", 80_000, 120_000),
    ("senior", "Senior", 90_000, 180_000),
]

NOT_EXPECTED = "Not expected at this level."

#: skill -> (proficiency, observable behaviour) for Junior, Middle, Senior.
MATRIX = {
    "API design": [
        (1, "Builds an endpoint from a given spec with correct status codes and validation."),
        (2, "Designs consistent resources, pagination and error formats for a feature alone."),
        (
            3,
            "Designs versioned APIs others build on and plans compatible changes and deprecations.",
        ),
    ],
    "Databases & query tuning": [
        (1, "Writes correct joins and migrations; knows why indexes exist."),
        (2, "Reads a query plan, adds the right index and avoids N+1 queries."),
        (
            3,
            "Models data for growth, tunes slow queries under load, migrates with zero downtime.",
        ),
    ],
    "Security": [
        (1, "Never builds SQL from strings or logs secrets; asks when unsure."),
        (2, "Gets authentication and authorisation right; spots OWASP top-10 issues in review."),
        (3, "Threat-models a feature, sets secure defaults for the team and leads on incidents."),
    ],
    "Testing": [
        (1, "Writes unit tests for their own code, including the obvious edge cases."),
        (2, "Chooses between unit and integration tests well; keeps the suite fast and reliable."),
        (3, "Shapes the team's test strategy; makes risky changes safe with tests and rollouts."),
    ],
    "System design": [
        (0, NOT_EXPECTED),
        (1, "Explains the architecture of their own service and the role of each part."),
        (
            3,
            "Designs a service end to end with clear trade-offs on consistency, scale and failure.",
        ),
    ],
    "Caching & performance": [
        (0, NOT_EXPECTED),
        (1, "Measures before optimising and knows when a cache would help."),
        (3, "Finds bottlenecks by profiling and designs cache layers that stay correct."),
    ],
    "Version control & CI/CD": [
        (1, "Uses branches and small commits; follows the team's review and pipeline flow."),
        (2, "Keeps the pipeline green, fixes broken builds and writes clear pull requests."),
        (2, "Improves the pipeline and release process; reviews for safe deploys and rollbacks."),
    ],
    "Communication": [
        (2, "Explains what they are doing and why; asks clarifying questions early."),
        (2, "Writes clear design notes and pull requests; adapts to the audience."),
        (3, "Makes complex trade-offs clear to engineers and non-engineers alike."),
    ],
    "Problem solving": [
        (2, "Breaks a well-defined task into steps and debugs methodically."),
        (3, "Untangles ambiguous problems, compares options and picks one with reasons."),
        (4, "Frames the right problem before solving it; unblocks others on the hardest issues."),
    ],
    "Time management": [
        (1, "Flags early when a task will take longer than planned."),
        (2, "Estimates their own work within a sprint and delivers in small slices."),
        (2, "Plans multi-week work with milestones and cuts scope deliberately."),
    ],
    "Collaboration": [
        (2, "Pairs willingly, takes feedback well and asks for help when stuck."),
        (2, "Gives kind, specific review feedback and shares what they learn."),
        (3, "Mentors others and brings people together around a decision."),
    ],
}

"""Demo data: the jobs with their postings, interview plans and interview kits."""

from __future__ import annotations

_CULTURE = (
    "We are a product team of twelve engineers building the scheduling back end used by "
    "clinics in six countries. We work in small slices, review every change and deploy "
    "several times a day. We support flexible hours and four weeks of learning time a year."
)

#: One open job per level, each with its posting fields and interview plan.
#: Dates are days relative to today; a plan stage is
#: (stage type, name, minutes, panel size, focus skills, what to expect).
JOBS = [
    {
        "key": "junior",
        "title": "Junior Backend Developer",
        "level": "junior",
        "description": (
            "You will build and test API endpoints in Python with a mentor at your side, "
            "learn how we run PostgreSQL in production and ship your first change in week one.\n\n"
            "You have built a small web service (at work, in study or on your own) and written "
            "tests for it. You know SQL basics and Git.\n\n" + _CULTURE
        ),
        "location": "Berlin, Germany",
        "workplace": "hybrid",
        "salary": (60_000, 75_000),
        "posted_days_ago": 190,
        "closes_in_days": 30,
        "stages": [
            (
                "screen",
                "Intro call",
                30,
                1,
                ["Communication", "Time management"],
                "A relaxed video call about your background, what you want to learn and our team. "
                "Bring your questions.",
            ),
            (
                "live_coding",
                "Pair programming",
                60,
                2,
                ["API design", "Testing", "Problem solving", "Version control & CI/CD"],
                "You pair with two engineers on a small endpoint in a prepared repository, in your "
                "own editor. Googling is fine; we care how you think, not about memorised syntax.",
            ),
            (
                "whiteboard",
                "Data and security walkthrough",
                60,
                1,
                ["Databases & query tuning", "Security", "API design"],
                "A conversation around a simple diagram: how you would store some data, query it "
                "and keep it safe. No code to write.",
            ),
            (
                "final",
                "Meet the team",
                45,
                2,
                ["Collaboration", "Communication"],
                "Meet the hiring manager and a future teammate in our Berlin office (or by video) "
                "to talk about how we work together.",
            ),
        ],
    },
    {
        "key": "middle",
        "title": "Backend Developer",
        "level": "middle",
        "description": (
            "You will own features of our booking API end to end: design the endpoints, model "
            "the data, write the tests and watch them in production.\n\n"
            "You have two or more years of building web services, are comfortable with a "
            "relational database and review code with care.\n\n" + _CULTURE
        ),
        "location": "Remote (UTC-5 to UTC+2)",
        "workplace": "remote",
        "salary": (85_000, 115_000),
        "posted_days_ago": 195,
        "closes_in_days": 25,
        "stages": [
            (
                "screen",
                "Intro call",
                30,
                1,
                ["Communication", "Time management", "Problem solving"],
                "A video call with the hiring manager about your experience and what you are "
                "looking for; we will walk you through the rest of the process.",
            ),
            (
                "live_coding",
                "Live coding",
                75,
                2,
                ["API design", "Testing", "Problem solving", "Version control & CI/CD"],
                "Extend a small API in a prepared repository with two engineers, in your own "
                "editor and language of choice (Python, Go or Java).",
            ),
            (
                "whiteboard",
                "Code review",
                45,
                1,
                ["Security", "Databases & query tuning", "Testing"],
                "We share a short pull request; you review it out loud as you would at work. "
                "There is no trick: tell us what you would change and why.",
            ),
            (
                "system_design",
                "System design",
                60,
                2,
                [
                    "System design",
                    "Caching & performance",
                    "Databases & query tuning",
                    "Problem solving",
                ],
                "Sketch a service with two engineers on a shared whiteboard, starting from a "
                "one-paragraph brief. We expect questions before boxes.",
            ),
            (
                "final",
                "Final conversation",
                45,
                2,
                ["Collaboration", "Communication", "Time management"],
                "Talk with the hiring manager and a teammate about past projects, how you work "
                "with others and what you need to do your best work.",
            ),
        ],
    },
    {
        "key": "senior",
        "title": "Senior Backend Developer",
        "level": "senior",
        "description": (
            "You will lead the design of our next-generation availability service, mentor two "
            "developers and set the bar for testing and security in the team.\n\n"
            "You have shipped and operated services at scale, designed APIs others depend on "
            "and led technical decisions with your team.\n\n" + _CULTURE
        ),
        "location": "Berlin, Germany or London, UK",
        "workplace": "hybrid",
        "salary": (130_000, 170_000),
        "posted_days_ago": 200,
        "closes_in_days": 20,
        "stages": [
            (
                "screen",
                "Intro call",
                30,
                1,
                ["Communication", "Problem solving", "Time management"],
                "A video call with the hiring manager about your background and the role; we "
                "explain every step that follows.",
            ),
            (
                "live_coding",
                "Live coding",
                90,
                2,
                ["API design", "Testing", "Security", "Version control & CI/CD", "Problem solving"],
                "Pair with two engineers on a realistic change to a small service: add an "
                "endpoint, test it and discuss how you would ship it safely.",
            ),
            (
                "system_design",
                "System design",
                90,
                2,
                [
                    "System design",
                    "Databases & query tuning",
                    "Caching & performance",
                    "API design",
                    "Security",
                ],
                "Design a service from a short brief with two engineers on a shared whiteboard: "
                "data model, API, scaling and what happens when things fail.",
            ),
            (
                "behavioral",
                "Behavioral interview",
                60,
                2,
                ["Collaboration", "Communication", "Time management"],
                "Two engineers ask about real situations from your past work: disagreements, "
                "deadlines and helping others grow. Concrete examples help most.",
            ),
            (
                "final",
                "Final: project deep dive",
                45,
                2,
                [
                    "System design",
                    "Databases & query tuning",
                    "Caching & performance",
                    "Testing",
                    "Collaboration",
                ],
                "Walk the hiring manager and an engineer through a system you built: the "
                "decisions, what broke and what you would do differently.",
            ),
        ],
    },
]

#: A draft whose posting breaks the honest-posting rules on purpose: exclusionary wording,
#: a contract without its length, no salary range and no dates.
DRAFT_JOB = {
    "title": "Backend Ninja (Contract)",
    "level": "senior",
    "description": (
        "Are you a rockstar coder and a true backend ninja? We want young and energetic "
        "hackers who live for the grind. Native English speaker required. Competitive pay!"
    ),
    "location": "Berlin, Germany",
    "workplace": "onsite",
}

#: (stage type, skill) -> (questions, what to probe)
KIT_QUESTIONS = {
    ("screen", "Communication"): (
        "Tell us about a project you are proud of, for someone outside engineering.",
        "Structure, plain words, checks whether the listener follows.",
    ),
    ("screen", "Time management"): (
        "Describe a time a task took much longer than planned. What did you do?",
        "Raised it early, re-planned, told the people who depended on it.",
    ),
    ("screen", "Problem solving"): (
        "What was the hardest bug you fixed last year, and how did you find it?",
        "A method (hypotheses, narrowing down), not luck; what they learned.",
    ),
    ("live_coding", "API design"): (
        "Add an endpoint that lists a clinic's free slots, with filtering and paging.",
        "Resource naming, status codes, validation, paging that stays stable.",
    ),
    ("live_coding", "Testing"): (
        "How do you know your endpoint works? Write the tests you would commit.",
        "Edge cases (empty, invalid, boundaries), test names, no sleep-based tests.",
    ),
    ("live_coding", "Problem solving"): (
        "Slots may overlap across time zones. How would you handle that?",
        "Clarifying questions, small steps, reasoning out loud, recovering from dead ends.",
    ),
    ("live_coding", "Version control & CI/CD"): (
        "Commit your work as you would for review; the pipeline fails: fix it.",
        "Small focused commits, useful messages, reads the CI log before guessing.",
    ),
    ("live_coding", "Security"): (
        "Only staff of the clinic may see its slots. Add that check.",
        "Authorisation on every path, no data leak in errors, safe query building.",
    ),
    ("whiteboard", "Databases & query tuning"): (
        "How would you store appointments, and which indexes would the list page need?",
        "Keys and constraints, an index matching the filter and order, N+1 awareness.",
    ),
    ("whiteboard", "Security"): (
        "Where could this code leak data or be abused?",
        "Injection, missing authorisation, secrets in logs, rate limits.",
    ),
    ("whiteboard", "API design"): (
        "A mobile app needs this data too. What would you change in the API?",
        "Consistency, versioning, payload size, error format.",
    ),
    ("whiteboard", "Testing"): (
        "Which tests are missing from this pull request?",
        "Names the risky paths; prefers a few meaningful tests over coverage numbers.",
    ),
    ("system_design", "System design"): (
        "Design a reminder service that sends millions of appointment reminders a day.",
        "Requirements first, clear components, queueing, retries, failure modes.",
    ),
    ("system_design", "Databases & query tuning"): (
        "How is reminder state stored so that no reminder is sent twice?",
        "Idempotency keys, transactions, partitioning or archiving old rows.",
    ),
    ("system_design", "Caching & performance"): (
        "The clinic calendar page is slow at peak. Where would you cache, and how long?",
        "Measures first, cache keys, invalidation on change, stampede protection.",
    ),
    ("system_design", "Problem solving"): (
        "Traffic doubles overnight. What breaks first and what do you do?",
        "Prioritises by risk, finds the bottleneck by reasoning, not by guessing.",
    ),
    ("system_design", "API design"): (
        "Partners want to subscribe to reminder events. Design that interface.",
        "Webhooks vs polling, signatures, retries, versioning of the payload.",
    ),
    ("system_design", "Security"): (
        "Reminders carry personal data. How do you protect it end to end?",
        "Least privilege, encryption in transit and at rest, data minimisation.",
    ),
    ("behavioral", "Collaboration"): (
        "Tell us about a technical disagreement with a colleague. How did it end?",
        "Listened, argued from evidence, disagreed and committed, relationship intact.",
    ),
    ("behavioral", "Communication"): (
        "When did you have to explain a risky trade-off to a non-technical stakeholder?",
        "Adapted the message, was honest about uncertainty, checked understanding.",
    ),
    ("behavioral", "Time management"): (
        "Describe a deadline you could not meet with the full scope.",
        "Cut scope deliberately, communicated early, protected quality.",
    ),
    ("final", "Collaboration"): (
        "How did you help someone on your team grow in the last year?",
        "Specific examples of mentoring, pairing or giving feedback.",
    ),
    ("final", "Communication"): (
        "What questions do you have for us about the team and the role?",
        "Curiosity, clear questions, listens to the answers.",
    ),
    ("final", "Time management"): (
        "How do you plan a week when you have both feature work and support duty?",
        "Realistic planning, protects focus time, makes trade-offs visible.",
    ),
    ("final", "System design"): (
        "Walk us through a system you built. What would you change today?",
        "Owns the decisions, knows the trade-offs made, learned from failures.",
    ),
    ("final", "Databases & query tuning"): (
        "What was the worst data problem in that system and how did you fix it?",
        "Diagnosis with evidence (plans, metrics), safe migration of the fix.",
    ),
    ("final", "Caching & performance"): (
        "How did you know that system was fast enough?",
        "Budgets or SLOs, profiling, load tests, watches the tail latency.",
    ),
    ("final", "Testing"): (
        "How was that system tested, and what did the tests miss?",
        "Test strategy, honest about gaps, what they changed after an incident.",
    ),
}

#: How a rating on the 1-4 scale reads against the level's expectation.
RUBRIC = (
    "4 Strong yes: clearly beyond the bar, unprompted.\n"
    "3 Yes: meets the bar: {anchor}\n"
    "2 No: part of the bar, only with prompting.\n"
    "1 Strong no: not shown, or wrong."
)

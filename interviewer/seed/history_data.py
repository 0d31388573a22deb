"""Demo data: six months of past applications, for the reports to have something to say.

The people are made up: first names crossed with last names (none of the demo's named
candidates or staff, nor the people the browser tests add), emails on example.org and
example.com.
"""

from __future__ import annotations


def _words(text: str) -> list[str]:
    return text.split()


#: The generator's seed: the same history every time for the same ``now``.
SEED = 12
#: Applications per job key, received over the last ``DAYS`` days.
APPLICATIONS = {"junior": 120, "middle": 115, "senior": 105}
DAYS = 180

#: The interviewer who rates about a point above colleagues, the one a point below, the one
#: who often submits two or three days late, and the skill nobody rates alike.
LENIENT = "marcus"
HARSH = "sofia"
SLOW = "priya"
NOISY_SKILL = "Version control & CI/CD"
#: The stage type where self-identified women pass less often, and by how much the panel's
#: mean is discounted for them there.
FAIRNESS_STAGE = "live_coding"
FAIRNESS_GROUP = ("gender", "Woman")
FAIRNESS_PENALTY = 0.9

#: Who sits on the panels of each stage type, with how often: one person for a stage with a
#: panel of one, a pair for a panel of two.
PANELS = {
    "screen": {("daniel",): 60, ("priya",): 40},
    "whiteboard": {("priya",): 60, ("daniel",): 40},
    "live_coding": {
        ("daniel", "priya"): 46,
        ("priya", "marcus"): 16,
        ("daniel", "marcus"): 16,
        ("priya", "sofia"): 11,
        ("daniel", "sofia"): 11,
    },
    "system_design": {("daniel", "priya"): 66, ("priya", "sofia"): 17, ("daniel", "sofia"): 17},
    "behavioral": {("daniel", "priya"): 66, ("daniel", "sofia"): 34},
    "final": {("daniel", "priya"): 66, ("daniel", "sofia"): 34},
}

#: First names, with the gender their bearers most often give (for the self-identification
#: answers only; nothing shows them beside a name). They sort after the demo's Hannah
#: Schmidt, so that the candidates list's first page still holds the named demo candidates
#: the tour starts from.
FIRST_NAMES = {
    "Woman": _words(
        "Imani Ingrid Isabela Jana Joanna Kasia Keisha Laila Leila Marta Mira Nadia Nia "
        "Olga Paula Rania Saanvi Sakura Sunita Tatiana Thandiwe Uma Valentina Vera Wanjiru "
        "Ximena Yara Zeynep"
    ),
    "Man": _words(
        "Ibrahim Ivan Jakob Joaquín Jonas Kenta Kwame Lars Luca Marek Mateo Nikhil Nnamdi "
        "Omar Oskar Pavel Pedro Rafael Rohan Sanjay Santiago Stefan Tariq Tobias Uche Viktor "
        "Vikram Wei Youssef Zoran"
    ),
    "": _words("Jordan Kai Robin Sasha Noa River"),
}
LAST_NAMES = _words(
    "Abiodun Andersen Bakker Banerjee Castillo Costa Dimitrov Dubois Eriksen Esposito "
    "Farouk Gallagher Halvorsen Hoffmann Ionescu Jansen Kamau Kaur Laine Lombardi Mensah "
    "Moreau Nakamura Nowicki Nwosu Okonkwo Ortega Petrov Popescu Quintero Rossi Sato "
    "Silva Svensson Tanaka Varga Virtanen Wagner Yilmaz Zielinski"
)
TIMEZONES = _words(
    "Europe/Berlin Europe/London Europe/Madrid Europe/Warsaw Europe/Paris "
    "Africa/Lagos Africa/Nairobi Asia/Kolkata America/New_York America/Toronto "
    "America/Sao_Paulo Europe/Istanbul"
)
#: Where applications come from, and how often; careers-page applicants answer the
#: self-identification questions.
SOURCES = {
    "Careers page": 56,
    "LinkedIn": 14,
    "Referral": 12,
    "Job board": 8,
    "Meetup": 4,
    "University fair": 3,
    "Bootcamp partner": 3,
}

#: Self-identification answers of careers-page applicants, by how often they are given.
GENDERS_OTHER = {"Non-binary": 3, "Prefer not to say": 6}
ETHNICITIES = {
    "White": 38,
    "Asian": 22,
    "Black": 14,
    "Hispanic or Latino": 10,
    "Middle Eastern or North African": 7,
    "Two or more": 4,
    "Prefer not to say": 5,
}
#: Share of careers-page applicants who answer at all.
ANSWER_SHARE = 0.9

#: Stage outcomes: the share rejected on the application before any interview, the share
#: withdrawing at each stage, the panel mean needed to pass at each stage, and the share
#: accepting offers.
REVIEW_REJECT = 0.2
WITHDRAW = 0.05
PASS_MARKS = (2.2, 2.3, 2.4, 2.4, 2.4)
#: The ability (a standard normal) that gets a candidate past the first stage.
SCREEN_CUTOFF = 0.35
OFFER_ACCEPTED = 0.75

#: Why an application was turned down on paper or after an interview, and why candidates
#: withdrew.
REVIEW_REASONS = ["Experience does not match the role"] * 6 + [
    "Skills below the level's bar",
    "Compensation expectations",
    "Candidate not responsive",
]
INTERVIEW_REASONS = ["Skills below the level's bar"] * 5 + ["Experience does not match the role"]
WITHDRAW_REASONS = [
    "Accepted another offer",
    "Accepted another offer",
    "Role or location not a fit",
    "Process too long",
    "Personal reasons",
    "No reason given",
]
DECLINE_REASONS = ["Accepted another offer", "Compensation expectations"]

#: Rationales of decisions, by outcome; ``{stage}`` is the stage's name, ``{best}`` and
#: ``{worst}`` the panel's strongest and weakest skill there.
REJECT_RATIONALES = [
    "{stage}: below the bar in {worst}; the panel agreed it would not close in time.",
    "The panel leaned no after {stage}: {worst} was well short of what the level needs.",
    "Good on {best}, but {worst} at {stage} was below the level's bar.",
]
OFFER_RATIONALE = (
    "Strong across the plan, best on {best}; every panel recommended going ahead. "
    "Offer within the posted range."
)
HIRE_RATIONALE = "Offer accepted; start date agreed."

#: Evidence an interviewer writes for each rating, and for a skill not assessed.
EVIDENCE = {
    4: [
        "Answered fully without prompting and raised trade-offs we had not asked about.",
        "Went beyond the question: clear reasoning and concrete examples from past work.",
    ],
    3: [
        "Solid, well-reasoned answer; needed one hint on the edge cases.",
        "Good grasp of the basics and explained the choices made.",
    ],
    2: [
        "Partial answer; needed repeated prompting and missed important cases.",
        "Knew the words but not how to apply them to the problem in front of us.",
    ],
    1: [
        "Could not get going; the answer was incorrect even with hints.",
        "No working approach after several hints.",
    ],
}
NOT_ASSESSED = "Not assessed: we ran out of time before this topic came up."
#: Share of ratings left "not assessed".
NOT_ASSESSED_SHARE = 0.03
#: Scorecards amended after submission, and why.
AMENDED = 10
AMEND_REASONS = [
    "Mixed up my notes with the previous candidate's; corrected one rating.",
    "Re-read my notes: the rating was one step off what the evidence says.",
]
AMEND_ADDED = "Added the rating I had left out by mistake."

"""Level fit on hand-made competency matrices: the rule, its sentences and its edge cases."""

from __future__ import annotations

from fractions import Fraction

import pytest

from interviewer.scorecards.level_fit import LevelBar, estimate, level_fit

#: A small back-end ladder: skill -> (Junior, Middle, Senior).
MATRIX = {
    "API design": (1, 2, 3),
    "Testing": (1, 2, 3),
    "System design": (0, 1, 3),
    "Caching & performance": (0, 1, 3),
    "Communication": (2, 2, 3),
}


def ladder(matrix=MATRIX, names=("Junior", "Middle", "Senior")):
    return [
        LevelBar(name, {skill: values[index] for skill, values in matrix.items()})
        for index, name in enumerate(names)
    ]


def test_the_issue_example_meets_middle_and_names_the_senior_gaps():
    ratings = {
        "API design": [3, 3],
        "Testing": [3],
        "System design": [2, 1],
        "Caching & performance": [2],
        "Communication": [3],
    }

    fit = level_fit(ladder(), "Senior", ratings)

    assert fit.met == "Middle"
    # Furthest below the bar first: System design (3 - 1.5) before Caching (3 - 1).
    assert fit.sentence == (
        "Meets Middle; below Senior in System design and Caching & performance."
    )
    assert fit.estimates["System design"] == Fraction(3, 2)
    assert fit.estimates["Caching & performance"] == 2
    assert fit.split_sentence is None


def test_yes_on_every_skill_meets_the_job_level_and_the_top_of_the_ladder():
    fit = level_fit(ladder(), "Senior", {skill: [3, 3] for skill in MATRIX})

    assert fit.met == "Senior"
    assert fit.sentence == "Meets Senior, the top of the ladder."
    assert fit.not_assessed == ()


def test_a_rating_is_read_against_the_job_levels_bar():
    # For a Middle job, Strong yes is one step above Middle's 2 in Testing: Senior's 3.
    assert estimate(2, [4]) == 3
    assert estimate(2, [3]) == 2
    assert estimate(2, [2]) == 1
    assert estimate(3, [1]) == 1
    assert estimate(2, [4, 3]) == Fraction(5, 2)

    # One step above Middle reaches Senior where Senior asks one step more ...
    steps = {"API design": (1, 2, 3), "Testing": (1, 2, 3)}
    assert level_fit(ladder(steps), "Middle", {"API design": [4], "Testing": [4]}).met == "Senior"
    # ... but not where it asks two.
    strong = level_fit(ladder(), "Middle", {skill: [4] for skill in MATRIX})
    assert strong.sentence == (
        "Meets Middle; below Senior in Caching & performance and System design."
    )

    meets = level_fit(ladder(), "Middle", {skill: [3] for skill in MATRIX})
    assert meets.met == "Middle"
    # Two steps short (Caching, System design) come before one step short.
    assert meets.sentence == (
        "Meets Middle; below Senior in Caching & performance, System design, API design, "
        "Communication and Testing."
    )


def test_estimates_stay_on_the_0_to_4_scale():
    assert estimate(4, [4]) == 4
    assert estimate(0, [1]) == 0
    assert estimate(1, [1, 1]) == 0


def test_meeting_no_level_says_which_skills_are_below_the_lowest_bar():
    # For a Middle job: API design 2 - 2 = 0 and Communication 2 - 1 = 1, under Junior's 1 and 2.
    ratings = {"API design": [1], "Testing": [3], "Communication": [2, 2]}

    fit = level_fit(ladder(), "Middle", ratings)

    assert fit.met is None
    assert fit.sentence == "Below Junior in API design and Communication."


def test_no_rating_at_all_is_not_enough_evidence():
    fit = level_fit(ladder(), "Senior", {"API design": [None], "Testing": []})

    assert fit.fit is None
    assert fit.met is None
    assert fit.sentence == "Not enough evidence yet: nobody has rated a skill."
    assert fit.not_assessed == tuple(sorted(MATRIX))


def test_skills_nobody_rated_are_listed_and_do_not_count():
    # Only API design and Testing have ratings ("not assessed" = None is no rating).
    ratings = {"API design": [3, None], "Testing": [3], "System design": [None]}

    fit = level_fit(ladder(), "Senior", ratings)

    assert fit.met == "Senior"
    assert fit.not_assessed == ("Caching & performance", "Communication", "System design")


def test_a_level_none_of_whose_skills_was_rated_is_not_met():
    matrix = {"API design": (1, 2, 0), "System design": (0, 0, 3)}

    fit = level_fit(ladder(matrix), "Middle", {"API design": [4]})

    assert fit.met == "Middle"
    assert fit.sentence == "Meets Middle; not enough evidence for Senior."


def test_the_highest_level_met_wins_even_when_a_lower_one_is_missed():
    # An odd ladder where Middle asks less of Testing than Junior does.
    matrix = {"Testing": (3, 2, 4), "API design": (1, 2, 3)}

    fit = level_fit(ladder(matrix), "Middle", {"Testing": [3], "API design": [3]})

    assert fit.met == "Middle"
    assert fit.sentence == "Meets Middle; below Senior in Testing and API design."


def test_a_split_that_decides_the_level_is_called_out():
    ratings = {skill: [3, 3] for skill in MATRIX}
    ratings["System design"] = [4, 2]

    fit = level_fit(ladder(), "Senior", ratings)

    assert fit.met == "Senior"
    assert fit.split == ("System design",)
    assert fit.split_fit is not None and fit.split_fit.met == "Middle"
    assert fit.split_sentence == (
        "The panel is split on System design: on the lower rating alone, the evidence "
        "meets Middle, not Senior. Talk it through before deciding."
    )


def test_a_split_that_does_not_change_the_level_is_not_called_out():
    ratings = {skill: [3] for skill in MATRIX}
    # One point apart is no split; two apart on a skill Middle passes either way is no news.
    ratings["Testing"] = [3, 2]
    fit = level_fit(ladder(), "Middle", ratings | {"API design": [4, 2]})

    assert fit.split == ("API design",)
    assert fit.split_fit is None
    assert fit.split_sentence is None


def test_an_unknown_job_level_is_an_error():
    with pytest.raises(ValueError, match="Staff"):
        level_fit(ladder(), "Staff", {"API design": [3]})

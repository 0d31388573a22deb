"""The best loops by constraint programming (OR-Tools CP-SAT) over the grid of ``loop_grid``.

One integer per stage (the step it starts at, kept to the steps the candidate and enough of
its pool can take) and one boolean per stage and pool member (as many true as the panel has
seats; a seat holds the start to its member's free steps). The starts keep the plan order
with the candidate's break; a member on two stages keeps the team's break; each member's
interviews per week and per day, this loop included, stay under their limits.

Per option two searches, each from the solution before: the fewest days for the candidate
and then the earliest finish; then, holding those, the lowest weekly load of the busiest
panel member (and the earliest starts among equals). After each option one stage at least
must move, for the next. The greedy loop is the first search's starting point.
"""

from __future__ import annotations

import time as clock
from collections import defaultdict

from ortools.sat.python import cp_model

from interviewer.scheduling.loop_grid import (
    CANDIDATE_BREAK,
    STEP_MINUTES,
    LoopOption,
    LoopProblem,
    make_option,
)

#: The whole search's budget, the workers it may use (the machine is shared) and its seed.
SECONDS = 1.5
WORKERS = 2
SEED = 13


class _Model:
    """The CP-SAT model of one ``LoopProblem`` and the variables to read a solution from.

    Each stage's start is one integer (its step), kept to the steps the candidate and enough
    of its pool can take; a panel seat limits the start to its member's free steps. Weeks
    and days are looked up from the step (``element``), per interviewers' zone.
    """

    def __init__(self, problem: LoopProblem) -> None:
        self.problem = problem
        self.model = model = cp_model.CpModel()
        self.feasible = True
        self.k: dict[int, cp_model.IntVar] = {}
        self.steps: dict[int, set[int]] = {}
        self.p: dict[tuple[int, int], cp_model.IntVar] = {}
        stages = problem.stages
        brk = int(CANDIDATE_BREAK.total_seconds() // 60)

        for stage in stages:
            steps = [
                k
                for k in problem.starts[stage.id]
                if len(problem.eligible(stage, k)) >= stage.panel_size
            ]
            if not steps:
                self.feasible = False
                return
            self.steps[stage.id] = set(steps)
            self.k[stage.id] = model.new_int_var_from_domain(
                cp_model.Domain.from_values(steps), f"k{stage.id}"
            )
        start = {stage.id: STEP_MINUTES * self.k[stage.id] for stage in stages}
        self.start = start
        for before, after in zip(stages, stages[1:], strict=False):
            model.add(start[after.id] >= start[before.id] + before.duration_minutes + brk)

        for stage in stages:
            seats = []
            for user in problem.pools[stage.id]:
                free = sorted(problem.free[stage.id][user.id])
                if not free:
                    continue
                seat = model.new_bool_var(f"p{stage.id}_{user.id}")
                model.add_linear_expression_in_domain(
                    self.k[stage.id], cp_model.Domain.from_values(free)
                ).only_enforce_if(seat)
                self.p[stage.id, user.id] = seat
                seats.append(seat)
            model.add(sum(seats) == stage.panel_size)

        if problem.min_break > brk:
            for i, first in enumerate(stages):
                for second in stages[i + 1 :]:
                    for user in problem.pools[first.id]:
                        one = self.p.get((first.id, user.id))
                        two = self.p.get((second.id, user.id))
                        if one is None or two is None:
                            continue
                        model.add(
                            start[second.id]
                            >= start[first.id] + first.duration_minutes + problem.min_break
                        ).only_enforce_if([one, two])

        # Which week (and day) of each zone each stage falls in, as booleans.
        self._in: dict[tuple, cp_model.IntVar] = {}
        week_seats = self._seats(problem.week_of)
        limited = {u for u, user in problem.users.items() if user.daily_interview_limit is not None}
        day_seats = self._seats(problem.day_of, only=limited)
        most = 0
        for (user_id, week), seats in week_seats.items():
            user = problem.users[user_id]
            existing = problem.week_load[user_id][week]
            most = max(most, existing + len(seats))
            if user.weekly_interview_limit is not None:
                model.add(sum(seats) <= user.weekly_interview_limit - existing)
        for (user_id, day), seats in day_seats.items():
            limit = problem.users[user_id].daily_interview_limit
            model.add(sum(seats) <= limit - problem.day_load[user_id][day])

        self.load = model.new_int_var(0, most, "busiest")
        # A bound the search cannot see through the seats' conditions: at each start, the
        # panel's busiest has at least the week of the panel_size-th lightest free member,
        # plus this interview.
        for stage in stages:
            table = [0] * problem.steps
            free = problem.free[stage.id]
            for k in self.steps[stage.id]:
                weeks = sorted(
                    problem.week_load[user_id][problem.week_of[user_id][k]] + 1
                    for user_id, steps in free.items()
                    if k in steps
                )
                table[k] = weeks[stage.panel_size - 1]
            floor = model.new_int_var(0, max(table), "")
            model.add_element(self.k[stage.id], table, floor)
            model.add(self.load >= floor)
        for (user_id, week), seats in week_seats.items():
            existing = problem.week_load[user_id][week]
            for seat in seats:
                model.add(self.load >= existing + sum(seats)).only_enforce_if(seat)

        # The candidate's days: stage by stage in order, a new day or the same one.
        index = {day: n for n, day in enumerate(sorted(set(problem.candidate_day)))}
        table = [index[day] for day in problem.candidate_day]
        cday = {}
        for stage in stages:
            cday[stage.id] = model.new_int_var(0, len(index), f"d{stage.id}")
            model.add_element(self.k[stage.id], table, cday[stage.id])
        new_days = []
        for before, after in zip(stages, stages[1:], strict=False):
            moved = model.new_bool_var("")
            model.add(cday[after.id] > cday[before.id]).only_enforce_if(moved)
            model.add(cday[after.id] == cday[before.id]).only_enforce_if(~moved)
            new_days.append(moved)
        last = stages[-1]
        self.days = 1 + sum(new_days)
        self.finish = start[last.id] + last.duration_minutes
        day_weight = problem.steps * STEP_MINUTES + last.duration_minutes + 1
        #: Days, then finish: the first of the two searches per option.
        self.primary = day_weight * self.days + self.finish
        #: Then the busiest load and, among equals, the earliest starts: the second search.
        self.load_weight = len(stages) * problem.steps + 1
        self.balance = self.load_weight * self.load + sum(self.k.values())
        model.minimize(self.primary)

    def _seats(self, key_of, only=None):
        """Per (user, week or day key): a boolean per stage that user sits on in it."""
        buckets: dict[tuple, list] = defaultdict(list)
        for (stage_id, user_id), seat in self.p.items():
            if only is not None and user_id not in only:
                continue
            keys = key_of[user_id]
            free = self.problem.free[stage_id][user_id]
            found = {keys[k] for k in free}
            if len(found) == 1:
                buckets[user_id, found.pop()].append(seat)
                continue
            for key in found:
                inside = self._inside(stage_id, key_of, user_id, key)
                both = self.model.new_bool_var("")
                self.model.add_bool_and([seat, inside]).only_enforce_if(both)
                self.model.add_bool_or([~seat, ~inside]).only_enforce_if(~both)
                buckets[user_id, key].append(both)
        return buckets

    def _inside(self, stage_id: int, key_of, user_id: int, key):
        """True when the stage starts in week (or day) ``key`` of the user's zone."""
        zone = self.problem.users[user_id].timezone
        name = (stage_id, zone, key)
        if name not in self._in:
            keys = key_of[user_id]
            steps = [k for k in range(self.problem.steps) if keys[k] == key]
            inside = self.model.new_bool_var("")
            domain = cp_model.Domain.from_values(steps)
            self.model.add_linear_expression_in_domain(self.k[stage_id], domain).only_enforce_if(
                inside
            )
            self.model.add_linear_expression_in_domain(
                self.k[stage_id], domain.complement()
            ).only_enforce_if(~inside)
            self._in[name] = inside
        return self._in[name]

    def hint(self, option: LoopOption) -> None:
        """Start the search from ``option``: the model with its starts and panels fixed is
        solved at once, and that complete assignment becomes the hint (a partial hint of
        the starts and seats alone is often not completed in time)."""
        fixed = self.model.clone()
        for item in option.items:
            k = int((item.starts_at - self.problem.origin).total_seconds() // 60) // STEP_MINUTES
            stage_id = item.plan_stage.id
            if k not in self.steps[stage_id]:
                return
            fixed.add(fixed.get_int_var_from_proto_index(self.k[stage_id].index) == k)
            ids = {user.id for user in item.panel}
            for (seat_stage, user_id), var in self.p.items():
                if seat_stage == stage_id:
                    fixed.add(fixed.get_int_var_from_proto_index(var.index) == (user_id in ids))
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = 0.2
        solver.parameters.num_workers = 1
        solver.parameters.cp_model_presolve = False
        if solver.solve(fixed) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return
        values = list(solver.response_proto.solution)
        self.model.clear_hints()
        for index, value in enumerate(values):
            self.model.add_hint(self.model.get_int_var_from_proto_index(index), value)

    def read(self, solver: cp_model.CpSolver) -> list:
        chosen = []
        for stage in self.problem.stages:
            k = solver.value(self.k[stage.id])
            panel = tuple(
                user
                for user in self.problem.pools[stage.id]
                if (var := self.p.get((stage.id, user.id))) is not None
                and solver.boolean_value(var)
            )
            chosen.append((stage, k, panel))
        return chosen

    def exclude(self, chosen) -> None:
        """The next solution moves at least one stage."""
        moved = []
        for stage, k, _panel in chosen:
            other = self.model.new_bool_var("")
            self.model.add(self.k[stage.id] != k).only_enforce_if(other)
            self.model.add(self.k[stage.id] == k).only_enforce_if(~other)
            moved.append(other)
        self.model.add_bool_or(moved)


def _solver(seconds: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = WORKERS
    solver.parameters.random_seed = SEED
    # The presolve of this model alone outlasts the budget; the search does without it.
    solver.parameters.cp_model_presolve = False
    return solver


def _hint_from(model: cp_model.CpModel, solver: cp_model.CpSolver) -> None:
    """The solver's last solution as the next search's starting point."""
    values = list(solver.response_proto.solution)
    model.clear_hints()
    for index, value in enumerate(values):
        model.add_hint(model.get_int_var_from_proto_index(index), value)


def solve(
    problem: LoopProblem,
    limit: int = 3,
    *,
    seconds: float | None = None,
    hint: LoopOption | None = None,
) -> tuple[list[LoopOption], dict]:
    """Up to ``limit`` best loops and the search's statistics: per solve its status,
    objective, proven bound and the busiest load, and the total time."""
    began = clock.perf_counter()
    budget = SECONDS if seconds is None else seconds
    built = _Model(problem)
    stats: dict = {"solves": []}
    if not built.feasible:
        stats["status"] = "infeasible"
        return [], stats
    if hint is not None:
        built.hint(hint)
    options: list[LoopOption] = []
    for index in range(limit):
        left = budget - (clock.perf_counter() - began)
        if left <= 0.05:
            break
        share = left / (limit - index)
        # First the fewest days and the earliest finish, then, holding those, the most even
        # load; each search starts from the one before.
        built.model.minimize(built.primary)
        first = _solver(share * 0.4)
        status = first.solve(built.model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            stats["solves"].append({"status": first.status_name(status)})
            break
        primary = int(first.objective_value)
        record = {
            "status": first.status_name(status),
            "objective": primary,
            "bound": first.best_objective_bound,
        }
        _hint_from(built.model, first)
        hold = built.model.new_bool_var("")
        days, finish = first.value(built.days), first.value(built.finish)
        built.model.add(built.days <= days).only_enforce_if(hold)
        built.model.add(built.finish <= finish).only_enforce_if(hold)
        built.model.add_assumptions([hold])
        built.model.minimize(built.balance)
        second = _solver(max(0.05, budget - (clock.perf_counter() - began)) / (limit - index))
        balanced = second.solve(built.model)
        built.model.clear_assumptions()
        answer = second if balanced in (cp_model.OPTIMAL, cp_model.FEASIBLE) else first
        chosen = built.read(answer)
        record["load"] = answer.value(built.load)
        # The balance objective carries the load times ``load_weight``, plus the starts.
        record["load_bound"] = (
            int(second.best_objective_bound) // built.load_weight if answer is second else 0
        )
        record["load_status"] = second.status_name(balanced)
        stats["solves"].append(record)
        options.append(make_option(problem, chosen, "solver"))
        _hint_from(built.model, answer)
        built.exclude(chosen)
    stats["seconds"] = clock.perf_counter() - began
    return options, stats

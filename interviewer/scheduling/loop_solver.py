"""The best loops by constraint programming (OR-Tools CP-SAT) over the grid of ``autoloop``.

One boolean per stage and possible start (exactly one is true) and one per stage and pool
member (as many true as the panel has seats). A member may sit only at starts they can take;
the starts keep the plan order with the candidate's break; a member on two stages keeps the
team's break; each member's interviews per week and per day, this loop included, stay under
their limits. The objective weighs, in this order, the candidate's days, the finish and the
busiest member's weekly load. After each solution one stage at least must move, for the next.
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
    """The CP-SAT model of one ``LoopProblem`` and the variables to read a solution from."""

    def __init__(self, problem: LoopProblem) -> None:
        self.problem = problem
        self.model = model = cp_model.CpModel()
        self.feasible = True
        self.z: dict[int, dict[int, cp_model.IntVar]] = {}
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
            self.z[stage.id] = {k: model.new_bool_var(f"z{stage.id}_{k}") for k in steps}
            model.add_exactly_one(self.z[stage.id].values())
        self.start = {
            stage.id: sum(k * STEP_MINUTES * var for k, var in self.z[stage.id].items())
            for stage in stages
        }
        for before, after in zip(stages, stages[1:], strict=False):
            model.add(self.start[after.id] >= self.start[before.id] + before.duration_minutes + brk)

        for stage in stages:
            steps = self.z[stage.id]
            seats = []
            for user in problem.pools[stage.id]:
                free = problem.free[stage.id][user.id]
                if not any(k in free for k in steps):
                    continue
                var = model.new_bool_var(f"p{stage.id}_{user.id}")
                self.p[stage.id, user.id] = var
                elsewhere = [z for k, z in steps.items() if k not in free]
                if elsewhere:
                    model.add(var + sum(elsewhere) <= 1)
                seats.append(var)
            model.add(sum(seats) == stage.panel_size)

        if problem.min_break > brk:
            for i, first in enumerate(stages):
                for second in stages[i + 1 :]:
                    for (stage_id, user_id), var in self.p.items():
                        other = self.p.get((second.id, user_id))
                        if stage_id != first.id or other is None:
                            continue
                        model.add(
                            self.start[second.id]
                            >= self.start[first.id] + first.duration_minutes + problem.min_break
                        ).only_enforce_if([var, other])

        # In-week (and in-day) seats: q is "user sits on stage in that week".
        week_seats = self._bucketed(problem.week_of)
        day_seats = self._bucketed(
            problem.day_of,
            only={u for u, user in problem.users.items() if user.daily_interview_limit is not None},
        )
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
        for (user_id, week), seats in week_seats.items():
            existing = problem.week_load[user_id][week]
            for seat in seats:
                model.add(self.load >= existing + sum(seats)).only_enforce_if(seat)

        days = {}
        for stage in stages:
            for k, var in self.z[stage.id].items():
                day = problem.candidate_day[k]
                if day not in days:
                    days[day] = model.new_bool_var(f"day{len(days)}")
                model.add_implication(var, days[day])
        last = stages[-1]
        self.finish = self.start[last.id] + last.duration_minutes
        self.days = sum(days.values())
        self.load_weight = most + 1
        self.finish_weight = self.load_weight
        self.day_weight = (problem.steps * STEP_MINUTES + last.duration_minutes + 1) * (
            self.finish_weight
        )
        model.minimize(self.day_weight * self.days + self.finish_weight * self.finish + self.load)

    def _bucketed(self, key_of, only=None):
        """Per (user, week or day key): a boolean per stage the user sits on in it."""
        buckets: dict[tuple, list] = defaultdict(list)
        for (stage_id, user_id), seat in self.p.items():
            if only is not None and user_id not in only:
                continue
            free = self.problem.free[stage_id][user_id]
            by_key: dict = defaultdict(list)
            for k, var in self.z[stage_id].items():
                if k in free:
                    by_key[key_of[user_id][k]].append(var)
            if len(by_key) == 1:
                (key,) = by_key
                buckets[user_id, key].append(seat)
                continue
            for key, starts in by_key.items():
                q = self.model.new_bool_var("")
                self.model.add(q <= seat)
                self.model.add(q <= sum(starts))
                self.model.add(q >= seat + sum(starts) - 1)
                buckets[user_id, key].append(q)
        return buckets

    def hint(self, option: LoopOption) -> None:
        for item in option.items:
            k = int((item.starts_at - self.problem.origin).total_seconds() // 60) // STEP_MINUTES
            for step, var in self.z[item.plan_stage.id].items():
                self.model.add_hint(var, step == k)
            ids = {user.id for user in item.panel}
            for (stage_id, user_id), var in self.p.items():
                if stage_id == item.plan_stage.id:
                    self.model.add_hint(var, user_id in ids)

    def read(self, solver: cp_model.CpSolver) -> list:
        chosen = []
        for stage in self.problem.stages:
            k = next(k for k, var in self.z[stage.id].items() if solver.boolean_value(var))
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
        self.model.add(sum(self.z[stage.id][k] for stage, k, _panel in chosen) <= len(chosen) - 1)


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
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = left / (limit - index)
        solver.parameters.num_workers = WORKERS
        solver.parameters.random_seed = SEED
        status = solver.solve(built.model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            stats["solves"].append({"status": solver.status_name(status)})
            break
        chosen = built.read(solver)
        option = make_option(problem, chosen, "solver")
        stats["solves"].append(
            {
                "status": solver.status_name(status),
                "objective": solver.objective_value,
                "bound": solver.best_objective_bound,
                "load": solver.value(built.load),
            }
        )
        options.append(option)
        built.exclude(chosen)
    stats["seconds"] = clock.perf_counter() - began
    return options, stats

"""The plan explorer and the Directions matrix: a plan's structure read with its outcomes' ratings.

Each of these runs a fixed number of queries whatever the size of the plan.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch

from core.rag import RagCounts
from outcomes.models import Outcome, ReportingPeriod
from outcomes.selectors import period_latest_published
from plans.models import Direction, Objective, Plan, Priority, Workstream
from plans.selectors import direction_list, objective_reference, plan_current, plan_get
from reporting.selectors import outcome_rag_counts


def plan_structure(*, plan: Plan) -> list[Priority]:
    """Priorities → workstreams → objectives (with Directions and claimed outcomes)."""
    objectives = Objective.objects.prefetch_related("directions", "outcomes").order_by("number")
    workstreams = Workstream.objects.prefetch_related(Prefetch("objectives", queryset=objectives))
    return list(
        plan.priorities.prefetch_related(
            Prefetch("workstreams", queryset=workstreams.order_by("number"))
        ).order_by("number")
    )


@dataclass(frozen=True)
class ObjectiveEntry:
    """An objective placed in its plan, with what it answers and claims."""

    objective: Objective
    reference: str
    priority: Priority
    workstream: Workstream
    directions: tuple[Direction, ...]
    outcomes: tuple[Outcome, ...]  # in number order

    @property
    def anchor(self) -> str:
        return "objective-" + self.reference.replace(".", "-")


def claimed_rag_counts(entries: Iterable[ObjectiveEntry], outcome_counts: dict) -> RagCounts:
    """The ratings of the criteria of every outcome these objectives claim, each outcome once.

    Two objectives often claim the same outcome; counting it twice would inflate a
    workstream's or a Direction's totals beyond the criteria that exist.
    """
    claimed = {outcome.pk for entry in entries for outcome in entry.outcomes}
    return RagCounts.sum(outcome_counts.get(pk) for pk in claimed)


@dataclass(frozen=True)
class DirectionAnswer:
    """One Direction in a plan: the objectives that answer it and the outcomes they claim."""

    direction: Direction
    cells: tuple[tuple[ObjectiveEntry, ...], ...]  # one per workstream column, in column order
    outcomes: tuple[Outcome, ...]  # claimed by those objectives, in number order
    counts: RagCounts  # of those outcomes' criteria
    cell_counts: tuple[RagCounts, ...] = ()  # each cell's claimed outcomes' criteria, as `cells`

    @property
    def objectives(self) -> list[ObjectiveEntry]:
        return [entry for cell in self.cells for entry in cell]

    @property
    def is_answered(self) -> bool:
        return any(self.cells)


@dataclass(frozen=True)
class DirectionMatrix:
    plan: Plan | None
    period: ReportingPeriod | None  # whose ratings are shown
    priorities: tuple[tuple[Priority, tuple[Workstream, ...]], ...]
    rows: tuple[DirectionAnswer, ...]
    outcome_counts: dict  # outcome id → RagCounts in `period`

    @property
    def workstreams(self) -> list[Workstream]:
        return [workstream for _, workstreams in self.priorities for workstream in workstreams]

    @property
    def unanswered(self) -> list[Direction]:
        return [row.direction for row in self.rows if not row.is_answered]

    @property
    def grid(
        self,
    ) -> list[tuple[Priority, list[tuple[Workstream, list[tuple[tuple[ObjectiveEntry, ...], RagCounts]]]]]]:
        """Priority → workstream rows, each with one (cell, its RAG mix) per Direction.

        The matrix turned round: Directions are the columns.
        """
        grid, column = [], 0
        for priority, workstreams in self.priorities:
            rows = []
            for workstream in workstreams:
                rows.append((workstream, [(row.cells[column], row.cell_counts[column]) for row in self.rows]))
                column += 1
            grid.append((priority, rows))
        return grid


def plan_objectives(*, plan: Plan) -> tuple[list[tuple[Priority, list[Workstream]]], list[ObjectiveEntry]]:
    """The plan's priorities with their workstreams, and every objective in plan order (5 queries)."""
    priorities = plan_structure(plan=plan)
    structure, entries = [], []
    for priority in priorities:
        workstreams = list(priority.workstreams.all())
        structure.append((priority, workstreams))
        for workstream in workstreams:
            for objective in workstream.objectives.all():
                entries.append(
                    ObjectiveEntry(
                        objective=objective,
                        reference=objective_reference(objective, workstream=workstream, priority=priority),
                        priority=priority,
                        workstream=workstream,
                        directions=tuple(sorted(objective.directions.all(), key=lambda d: d.letter)),
                        outcomes=tuple(sorted(objective.outcomes.all(), key=lambda o: o.number)),
                    )
                )
    return structure, entries


def plan_for_directions(*, slug: str | None = None) -> Plan | None:
    """The plan whose objectives the Directions view maps: the one asked for, else the plan in force."""
    if slug:
        return plan_get(slug=slug)
    return plan_current()


def direction_matrix(*, plan: Plan | None) -> DirectionMatrix:
    """Directions against the plan's priorities, workstreams and objectives, with the current
    RAG picture of the outcomes those objectives claim (latest published period)."""
    directions = list(direction_list())
    if plan is None:
        empty = tuple(DirectionAnswer(d, (), (), RagCounts()) for d in directions)
        return DirectionMatrix(None, None, (), empty, {})
    structure, entries = plan_objectives(plan=plan)
    period = period_latest_published(plan=plan)
    outcome_counts = outcome_rag_counts(period=period) if period else {}
    columns = [workstream.pk for _, workstreams in structure for workstream in workstreams]
    rows = []
    for direction in directions:
        answering = [e for e in entries if any(d.pk == direction.pk for d in e.directions)]
        cells = tuple(tuple(e for e in answering if e.workstream.pk == column) for column in columns)
        outcomes = {o.pk: o for e in answering for o in e.outcomes}
        claimed = tuple(sorted(outcomes.values(), key=lambda o: o.number))
        rows.append(
            DirectionAnswer(
                direction=direction,
                cells=cells,
                outcomes=claimed,
                counts=claimed_rag_counts(answering, outcome_counts),
                cell_counts=tuple(claimed_rag_counts(cell, outcome_counts) for cell in cells),
            )
        )
    return DirectionMatrix(
        plan=plan,
        period=period,
        priorities=tuple((p, tuple(ws)) for p, ws in structure),
        rows=tuple(rows),
        outcome_counts=outcome_counts,
    )


def plan_outcome_claims(*, plan: Plan, entries: list[ObjectiveEntry]) -> list[tuple]:
    """(outcome, objective entries claiming it) for each of the plan's outcomes, in number order."""
    claims: dict[int, list[ObjectiveEntry]] = {}
    for entry in entries:
        for outcome in entry.outcomes:
            claims.setdefault(outcome.pk, []).append(entry)
    outcomes = Outcome.objects.filter(plan=plan).order_by("number")
    return [(outcome, claims.get(outcome.pk, [])) for outcome in outcomes]


# --------------------------------------------------------------------------- plan explorer


@dataclass(frozen=True)
class ObjectiveSection:
    entry: ObjectiveEntry
    counts: RagCounts  # of the criteria of the outcomes it claims


@dataclass(frozen=True)
class WorkstreamSection:
    priority: Priority
    workstream: Workstream
    objectives: tuple[ObjectiveSection, ...]
    counts: RagCounts  # each claimed outcome counted once

    @property
    def anchor(self) -> str:
        return f"workstream-{self.priority.number}-{self.workstream.number}"


@dataclass(frozen=True)
class PrioritySection:
    priority: Priority
    workstreams: tuple[WorkstreamSection, ...]
    counts: RagCounts  # each claimed outcome counted once

    @property
    def anchor(self) -> str:
        return f"priority-{self.priority.number}"


@dataclass(frozen=True)
class PlanExplorer:
    """A plan's priorities → workstreams → objectives, each with the RAG totals of what it claims."""

    plan: Plan
    period: ReportingPeriod | None  # whose ratings are counted: the latest published
    priorities: tuple[PrioritySection, ...]
    entries: tuple[ObjectiveEntry, ...]  # every objective, in plan order


def plan_explorer(*, plan: Plan) -> PlanExplorer:
    """The explorer's structure with ratings totals, in a fixed number of queries (7)."""
    structure, entries = plan_objectives(plan=plan)
    period = period_latest_published(plan=plan)
    outcome_counts = outcome_rag_counts(period=period) if period else {}
    by_workstream: dict[int, list[ObjectiveEntry]] = {}
    for entry in entries:
        by_workstream.setdefault(entry.workstream.pk, []).append(entry)
    priorities = []
    for priority, workstreams in structure:
        sections = []
        for workstream in workstreams:
            own = by_workstream.get(workstream.pk, [])
            sections.append(
                WorkstreamSection(
                    priority=priority,
                    workstream=workstream,
                    objectives=tuple(
                        ObjectiveSection(entry=e, counts=claimed_rag_counts([e], outcome_counts)) for e in own
                    ),
                    counts=claimed_rag_counts(own, outcome_counts),
                )
            )
        in_priority = [e for w in workstreams for e in by_workstream.get(w.pk, [])]
        priorities.append(
            PrioritySection(
                priority=priority,
                workstreams=tuple(sections),
                counts=claimed_rag_counts(in_priority, outcome_counts),
            )
        )
    return PlanExplorer(plan=plan, period=period, priorities=tuple(priorities), entries=tuple(entries))

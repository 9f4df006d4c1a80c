"""Synthetic plans shaped like a real one, for benchmarks and query-count tests.

`factor` multiplies the shape of the reference framework (12 outcomes, 61 criteria): a
factor of 100 gives 1,200 outcomes and 6,100 criteria. Rows are bulk-inserted without
history records: this is load-testing data, not anyone's record.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction

from accounts.roles import Role
from outcomes.models import (
    Assessment,
    AssessmentStatus,
    Outcome,
    OutcomeSummary,
    PeriodState,
    RagDefinition,
    ReportingPeriod,
    SuccessCriterion,
)
from plans.models import (
    Direction,
    Milestone,
    MilestoneStatus,
    Objective,
    Plan,
    Priority,
    RaidEntry,
    RaidKind,
    Workstream,
)

# Criteria per outcome in the reference framework (Thurrock's 12 outcomes, 61 criteria).
REFERENCE_SHAPE = [3, 5, 6, 4, 3, 5, 8, 4, 8, 6, 4, 5]
LETTERS = "abcdefghijklmnopqrstuvwxyz"
DIRECTION_LETTERS = "ABCDEFGHIJ"
WORDS = (
    "governance assurance budget savings scrutiny culture members officers residents partners "
    "audit risk decision performance transparency capability procurement contracts training "
    "engagement complaints services locality digital workforce leadership review plan progress"
).split()


def quarter_periods(count: int, *, last_end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """`count` consecutive calendar quarters ending on `last_end` (a quarter's last day)."""
    quarters = []
    end = last_end
    for _ in range(count):
        start = dt.date(end.year, end.month - 2, 1)
        quarters.append((start, end))
        end = start - dt.timedelta(days=1)
    return list(reversed(quarters))


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


# Long on purpose: one straight pass of bulk inserts, level by level in the order the foreign keys
# need, all drawing from one seeded random stream; read top to bottom it is the shape of the plan.
@transaction.atomic
def build_synthetic_plan(
    *,
    factor: int,
    periods: int = 12,
    seed: int = 2024,
    slug: str | None = None,
    open_last_period: bool = True,
    officers: int | None = None,
) -> Plan:
    rng = random.Random(seed)
    slug = slug or f"synthetic-x{factor}"
    plan = Plan.objects.create(
        slug=slug,
        title=f"Synthetic plan ×{factor}",
        organisation="Synthetic Council",
        version_date=dt.date(2023, 10, 1),
        status="approved",
    )
    for rating, text in (("R", "Not on track."), ("A", "Progress with risks."), ("G", "On track.")):
        RagDefinition.objects.create(plan=plan, rating=rating, definition=text)

    User = get_user_model()
    officer_group = Group.objects.get(name=Role.OFFICER)
    director_group = Group.objects.get(name=Role.LEAD_DIRECTOR)
    officer_count = officers or max(4, 5 * factor)
    users = User.objects.bulk_create(
        [
            User(username=f"{slug}-officer-{i}", first_name="Officer", last_name=str(i))
            for i in range(officer_count)
        ]
        + [
            User(username=f"{slug}-director-{i}", first_name="Director", last_name=str(i))
            for i in range(max(2, factor))
        ]
    )
    officer_users, director_users = users[:officer_count], users[officer_count:]
    officer_group.user_set.add(*officer_users)
    director_group.user_set.add(*director_users)

    outcomes = Outcome.objects.bulk_create(
        [
            Outcome(
                plan=plan,
                number=copy * len(REFERENCE_SHAPE) + index + 1,
                title=f"Improvement in {rng.choice(WORDS)} {copy * len(REFERENCE_SHAPE) + index + 1}",
                lead_title="Director",
                lead_director=director_users[(copy + index) % len(director_users)],
            )
            for copy in range(factor)
            for index in range(len(REFERENCE_SHAPE))
        ]
    )
    criteria = SuccessCriterion.objects.bulk_create(
        [
            SuccessCriterion(
                outcome=outcome,
                letter=LETTERS[i],
                text=_sentence(rng, 14),
                owner=officer_users[(outcome.number * 7 + i) % len(officer_users)],
            )
            for outcome in outcomes
            for i in range(REFERENCE_SHAPE[(outcome.number - 1) % len(REFERENCE_SHAPE)])
        ]
    )

    directions = {d.letter: d for d in Direction.objects.all()}
    for letter in DIRECTION_LETTERS:
        if letter not in directions:
            directions[letter] = Direction.objects.create(
                letter=letter, title=f"Direction {letter}", wording=_sentence(rng, 20)
            )
    objectives = []
    for p in range(1, 4):
        priority = Priority.objects.create(plan=plan, number=p, title=f"Priority {p}")
        for w in range(1, 3 + (p == 1)):
            workstream = Workstream.objects.create(priority=priority, number=w, title=f"Workstream {p}.{w}")
            for o in range(1, 3 * factor + 1):
                objectives.append(Objective(workstream=workstream, number=o, text=_sentence(rng, 18)))
    objectives = Objective.objects.bulk_create(objectives)
    direction_links, outcome_links = [], []
    for index, objective in enumerate(objectives):
        direction_links.append(
            Objective.directions.through(
                objective=objective, direction=directions[DIRECTION_LETTERS[index % 10]]
            )
        )
        for outcome in rng.sample(outcomes, k=min(2, len(outcomes))):
            outcome_links.append(Outcome.claimed_by_objectives.through(objective=objective, outcome=outcome))
    Objective.directions.through.objects.bulk_create(direction_links)
    Outcome.claimed_by_objectives.through.objects.bulk_create(outcome_links)
    _add_delivery(plan, objectives=objectives, owners=officer_users, rng=rng, factor=factor)

    today = dt.date(2026, 9, 30)
    ratings = ["R", "A", "G"]
    previous = {criterion.pk: rng.choice(ratings) for criterion in criteria}
    for number, (start, end) in enumerate(quarter_periods(periods, last_end=today), start=1):
        is_last = number == periods
        state = PeriodState.OPEN if (is_last and open_last_period) else PeriodState.PUBLISHED
        period = ReportingPeriod.objects.create(
            plan=plan,
            slug=f"{slug}-p{number:02d}",
            title=f"Quarter to {end:%B %Y}",
            short_label=f"{end:%b %y}",
            start=start,
            end=end,
            state=state,
            is_baseline=number == 1,
            deadline=end + dt.timedelta(days=21),
            report_summary=_sentence(rng, 30),
        )
        rows = []
        for criterion in criteria:
            rating = previous[criterion.pk]
            if rng.random() < 0.15:
                rating = rng.choice(ratings)
            previous[criterion.pk] = rating
            status = AssessmentStatus.APPROVED
            if state == PeriodState.OPEN:
                status = rng.choice(list(AssessmentStatus.values))
            rows.append(
                Assessment(
                    period=period,
                    criterion=criterion,
                    rag=rating,
                    narrative=_sentence(rng, rng.randint(20, 60)),
                    status=status,
                )
            )
        Assessment.objects.bulk_create(rows, batch_size=2000)
        OutcomeSummary.objects.bulk_create(
            [OutcomeSummary(period=period, outcome=outcome, text=_sentence(rng, 40)) for outcome in outcomes],
            batch_size=2000,
        )
    from outcomes.evaluation_scale import build_evaluation_data

    build_evaluation_data(plan=plan, rng=rng)
    # Bulk inserts send no signals: tell cached pages the data changed.
    from core.generation import generation_bump

    generation_bump()
    _tell_the_planner_the_tables_sizes()
    return plan


def _tell_the_planner_the_tables_sizes() -> None:
    """On PostgreSQL, ANALYZE after the bulk build, so the query planner knows how big the tables are.

    Autovacuum analyzes a table only after its rows commit, and a test's transaction never commits:
    with statistics that said the tables were empty, PostgreSQL planned the criteria list's count at
    x100 (6,100 criteria) as nested scans and ran for over half an hour. ANALYZE may run inside a
    transaction, and sees that transaction's own rows. SQLite plans without such statistics.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# Per objective: milestones in the reference shape (Thurrock's 2022 plan has 39 actions for
# 13 workstreams, about three each); per factor, a RAID log the size of a programme's.
MILESTONES_PER_OBJECTIVE = 2
RAID_ENTRIES_PER_FACTOR = 10


def _add_delivery(plan: Plan, *, objectives, owners, rng: random.Random, factor: int) -> None:
    """Milestones under every objective (a spread of statuses and due dates) and a RAID log."""
    statuses = [*MilestoneStatus.values, ""]
    first_due = dt.date(2024, 1, 31)
    milestones = []
    for index, objective in enumerate(objectives):
        for m in range(1, MILESTONES_PER_OBJECTIVE + 1):
            due = first_due + dt.timedelta(days=rng.randrange(0, 900)) if rng.random() > 0.1 else None
            milestones.append(
                Milestone(
                    plan=plan,
                    objective=objective,
                    reference=f"M{index + 1}.{m}",
                    title=_sentence(rng, 10),
                    owner=owners[(index + m) % len(owners)],
                    start_date=dt.date(2023, 10, 1),
                    due_date=due,
                    due_as_written="" if due else "Ongoing",
                    status=rng.choice(statuses),
                    plan_label="On Track" if rng.random() > 0.5 else "Medium Progress",
                )
            )
    Milestone.objects.bulk_create(milestones, batch_size=2000)
    RaidEntry.objects.bulk_create(
        [
            RaidEntry(
                plan=plan,
                reference=f"R{n + 1}",
                kind=rng.choice(RaidKind.values),
                description=_sentence(rng, 12),
                owner=owners[n % len(owners)],
                likelihood=rng.randint(1, 5) if n % 2 == 0 else None,
                impact=rng.randint(1, 5) if n % 2 == 0 else None,
            )
            for n in range(RAID_ENTRIES_PER_FACTOR * factor)
        ]
    )

"""Data the journeys start from: Thurrock's real plan, with people in post and a quarter under way.

Criteria owners and Lead Directors are not in Thurrock's data (demo users are assigned by
`seed_demo_users`), so each journey appoints its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from accounts.roles import Role
from outcomes import services
from outcomes.models import (
    Assessment,
    AssessmentStatus,
    Outcome,
    OutcomeSummary,
    ReportingPeriod,
    SuccessCriterion,
)

OFFICER_CRITERION = ("4", "b")  # complaints monitoring: the update the officer writes in the browser
REPEATED_CRITERION = ("6", "b")  # its narrative repeats December's word for word: a warning to acknowledge
NEW_RAG_LABEL = "Green"
NEW_NARRATIVE = (
    "Complaints monitoring now reports monthly to the senior leadership team, "
    "and every case past its deadline is escalated to the director concerned."
)
SUMMARY = "Complaints are now monitored monthly and escalated; outcome 4 is on track for March."
ACKNOWLEDGEMENT = "The risk register review is unchanged this quarter; the December position stands."
DECEMBER = "2024-25-q3"


@dataclass
class Quarter:
    """Quarter to March 2025, open: every update approved and every summary written except the
    officer's criterion and its outcome, which the journey completes in the browser."""

    period: ReportingPeriod
    criterion: SuccessCriterion
    outcome: Outcome
    repeated: SuccessCriterion
    officer: object
    director: object
    programme: object

    @property
    def reference(self) -> str:
        return self.criterion.reference

    def assessment(self) -> Assessment:
        return Assessment.objects.get(period=self.period, criterion=self.criterion)


def criterion_of(plan, number_letter: tuple[str, str]) -> SuccessCriterion:
    number, letter = number_letter
    return SuccessCriterion.objects.select_related("outcome").get(
        outcome__plan=plan, outcome__number=int(number), letter=letter
    )


def quarter_under_way(*, plan, make_user) -> Quarter:
    officer = make_user(Role.OFFICER, username="officer", first_name="Olu", last_name="Adeyemi")
    director = make_user(Role.LEAD_DIRECTOR, username="director", first_name="Dana", last_name="Okafor")
    programme = make_user(Role.PROGRAMME_OFFICE, username="programme", first_name="Priya", last_name="Shah")

    criterion = criterion_of(plan, OFFICER_CRITERION)
    criterion.owner = officer
    criterion.save()
    outcome = criterion.outcome
    outcome.lead_director = director
    outcome.save()
    repeated = criterion_of(plan, REPEATED_CRITERION)

    period = services.period_open_next(
        plan=plan,
        by=programme,
        title="Quarter to March 2025",
        slug="2024-25-q4",
        short_label="Mar 25",
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 3, 31),
        deadline=dt.date.today() + dt.timedelta(days=21),  # a deadline in the past is refused
        send_reminders=False,
    )
    december = {
        a.criterion_id: a for a in Assessment.objects.filter(period__plan=plan, period__slug=DECEMBER)
    }
    others = list(
        Assessment.objects.filter(period=period)
        .exclude(criterion=criterion)
        .select_related("criterion__outcome")
    )
    for assessment in others:
        before = december[assessment.criterion_id]
        assessment.rag = before.rag
        # Under eight words: too short for the similarity checks, and different from December's.
        assessment.narrative = f"{assessment.criterion.reference} progressed as planned this quarter."
        if assessment.criterion_id == repeated.pk:
            assessment.narrative = before.narrative
        assessment.status = AssessmentStatus.APPROVED
    Assessment.objects.bulk_update(others, ["rag", "narrative", "status"])
    for summary in OutcomeSummary.objects.filter(period=period).exclude(outcome=outcome):
        summary.text = f"Outcome {summary.outcome.number} is progressing; see each criterion's assessment."
        summary.save()
    return Quarter(
        period=period,
        criterion=criterion,
        outcome=outcome,
        repeated=repeated,
        officer=officer,
        director=director,
        programme=programme,
    )

"""Shared test scenarios: plain functions and classes that build data; test modules import them from here.

No test module imports another: what two modules share lives here (data) or in conftest.py (fixtures).
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from accounts.roles import Role
from outcomes.checks import period_check
from outcomes.models import Assessment, AssessmentStatus, OutcomeSummary, PeriodState, ReportingPeriod
from tests.factories import (
    AssessmentFactory,
    OutcomeFactory,
    OutcomeSummaryFactory,
    PlanFactory,
    RagDefinitionFactory,
    ReportingPeriodFactory,
    SuccessCriterionFactory,
    UserFactory,
)

# --------------------------------------------------------------------------- an update cycle

DEFINITIONS = {
    "R": "Significant risk to delivery; intervention needed.",
    "A": "Some risk; progress is being made but needs attention.",
    "G": "On track to deliver the outcome.",
}
LAST_NARRATIVES = {
    "1a": "The audit committee agreed the annual governance statement in November.",
    "1b": "Member training attendance reached ninety per cent.",
    "2a": "The scrutiny work programme was refreshed with the monitoring officer.",
}


class Cycle:
    """Outcome 1 (criteria 1a, 1b owned by `officer`) led by `director`; outcome 2 (2a, owned by
    `other_officer`) led by `other_director`. December 2024 is published; March 2025 is open."""

    def __init__(self, *, officer, director, other_officer=None, other_director=None, state=PeriodState.OPEN):
        self.officer = officer
        self.director = director
        self.other_officer = other_officer or UserFactory(role=Role.OFFICER, username="officer-b")
        self.other_director = other_director or UserFactory(role=Role.LEAD_DIRECTOR, username="director-b")
        self.plan = PlanFactory(slug="irp-test", title="Improvement and Recovery Plan")
        for rating, text in DEFINITIONS.items():
            RagDefinitionFactory(plan=self.plan, rating=rating, definition=text)
        self.outcomes = {
            1: OutcomeFactory(plan=self.plan, number=1, title="Good governance", lead_director=director),
            2: OutcomeFactory(
                plan=self.plan, number=2, title="Effective scrutiny", lead_director=self.other_director
            ),
        }
        owners = {"1a": officer, "1b": officer, "2a": self.other_officer}
        self.criteria = {
            ref: SuccessCriterionFactory(
                outcome=self.outcomes[int(ref[0])],
                letter=ref[1],
                owner=owner,
                text=f"Criterion {ref} is met.",
            )
            for ref, owner in owners.items()
        }
        self.last = ReportingPeriodFactory(
            plan=self.plan,
            slug="2024-25-q3",
            title="Quarter to December 2024",
            short_label="Dec 24",
            start=dt.date(2024, 10, 1),
            end=dt.date(2024, 12, 31),
            deadline=dt.date(2025, 1, 21),
            state=PeriodState.PUBLISHED,
        )
        last_rags = {"1a": "A", "1b": "R", "2a": "G"}
        for ref, criterion in self.criteria.items():
            AssessmentFactory(
                period=self.last,
                criterion=criterion,
                rag=last_rags[ref],
                narrative=LAST_NARRATIVES[ref],
                status=AssessmentStatus.APPROVED,
            )
        self.period = ReportingPeriodFactory(
            plan=self.plan,
            slug="2024-25-q4",
            title="Quarter to March 2025",
            short_label="Mar 25",
            start=dt.date(2025, 1, 1),
            end=dt.date(2025, 3, 31),
            deadline=dt.date(2025, 4, 22),
            state=state,
        )
        self.assessments = {
            ref: AssessmentFactory(period=self.period, criterion=criterion)
            for ref, criterion in self.criteria.items()
        }
        for outcome in self.outcomes.values():
            OutcomeSummaryFactory(period=self.period, outcome=outcome)

    def forget_current_period(self) -> None:
        """As if March 2025 had never been opened. Its rows go first: the record is PROTECTed."""
        self.period.assessments.all().delete()
        self.period.outcome_summaries.all().delete()
        self.period.delete()

    def fresh(self, ref: str) -> Assessment:
        return Assessment.objects.get(pk=self.assessments[ref].pk)

    def url(self, ref: str) -> str:
        return reverse("outcomes:assessment_edit", args=[self.assessments[ref].pk])

    def summary(self, number: int) -> OutcomeSummary:
        return OutcomeSummary.objects.get(period=self.period, outcome=self.outcomes[number])


def save_draft(assessment: Assessment, narrative: str) -> Assessment:
    """The criterion's owner saves a draft of its assessment, as it now is in the database."""
    from outcomes import services

    current = Assessment.objects.get(pk=assessment.pk)
    return services.assessment_save_draft(
        assessment=current,
        by=current.criterion.owner,
        rag="A",
        narrative=narrative,
        expected_version=current.version,
    )


def post_update(client, cycle: Cycle, ref: str, **fields):
    assessment = cycle.fresh(ref)
    data = {"rag": "", "narrative": "", "version": assessment.version, "action": "save_draft"}
    data.update(fields)
    return client.post(cycle.url(ref), {k: v for k, v in data.items() if v is not None})


# ------------------------------------------------------------------------- a period checked before publishing

# Distinct narratives on unrelated subjects, so no pair is similar unless a test makes it so.
DISTINCT_NARRATIVES = {
    "1a": "The annual governance statement was agreed by the audit committee after a full review.",
    "1b": "Internal audit completed eleven of the fourteen planned reviews and reported on each to members.",
    "2a": "Scrutiny chairs now meet quarterly with the monitoring officer to plan the work programme.",
    "2b": "Member training attendance rose to ninety per cent, with sessions recorded for the absent.",
    "3a": "Whistleblowing arrangements were refreshed and publicised on the staff intranet during October.",
}
# Thurrock's own text (fixtures/thurrock/outcomes.json): 4b repeats two of 3f's three sentences.
TEXT_3F = (
    "As with the 1st Report, the assessment is that on the whole relationships between group leaders is "
    "civil, although there is of course political disagreement at times. The first fully attended whips "
    "meeting took place and discussed members development and training and group related issues. At present "
    "there has been broadly consensus regarding the council's response to proposals on devolution and local "
    "government reorganisation. The initial proposal is for a cross party working group to be established."
)
TEXT_4B = (
    "As with the 1st Report, the assessment is that on the whole relationships between group leaders is "
    "civil, although there is of course political disagreement at times. There has been limited uptake in "
    "the group whips meeting thus far. At present there has been broadly consensus regarding the council's "
    "response to proposals on devolution and local government reorganisation."
)


class PublishablePlan:
    """A small plan with three outcomes, five criteria and three quarters, all ready to publish."""

    def __init__(self):
        self.plan = PlanFactory()
        self.outcomes = {n: OutcomeFactory(plan=self.plan, number=n) for n in (1, 2, 3)}
        self.criteria = {
            ref: SuccessCriterionFactory(outcome=self.outcomes[int(ref[0])], letter=ref[1])
            for ref in DISTINCT_NARRATIVES
        }
        self.periods = [
            ReportingPeriodFactory(
                plan=self.plan,
                slug=f"p{i}",
                short_label=label,
                start=start,
                end=end,
                state=PeriodState.PUBLISHED if i < 2 else PeriodState.CLOSED,
            )
            for i, (label, start, end) in enumerate(
                [
                    ("Jun 24", dt.date(2024, 4, 1), dt.date(2024, 6, 30)),
                    ("Sept 24", dt.date(2024, 7, 1), dt.date(2024, 9, 30)),
                    ("Dec 24", dt.date(2024, 10, 1), dt.date(2024, 12, 31)),
                ]
            )
        ]
        self.assessments = {}
        for i, period in enumerate(self.periods):
            for ref, criterion in self.criteria.items():
                self.assessments[(i, ref)] = AssessmentFactory(
                    period=period,
                    criterion=criterion,
                    rag="A",
                    narrative=f"{DISTINCT_NARRATIVES[ref]} Quarter {i + 1} of the plan.",
                    status=AssessmentStatus.APPROVED,
                )
            for number, outcome in self.outcomes.items():
                OutcomeSummaryFactory(
                    period=period, outcome=outcome, text=f"Summary {number}, quarter {i + 1}."
                )

    @property
    def current(self) -> ReportingPeriod:
        return self.periods[-1]

    def set(self, ref: str, period: int = 2, **values):
        assessment = self.assessments[(period, ref)]
        for name, value in values.items():
            setattr(assessment, name, value)
        assessment.save()
        return assessment

    def findings(self, rule: str | None = None):
        result = period_check(period=self.current)
        return [f for f in result.findings if rule is None or f.rule == rule]


def date_input(name: str, iso) -> dict:
    """What the GOV.UK date input posts for `iso` ("YYYY-MM-DD"; an impossible date splits just the same).

    Anything that is not three parts joined by hyphens is typed into all three boxes, as a hostile user might.
    """
    parts = iso.split("-") if isinstance(iso, str) else []
    year, month, day = parts if len(parts) == 3 else (iso, iso, iso) if iso else ("", "", "")
    return {f"{name}-day": day, f"{name}-month": month, f"{name}-year": year}


def days_from_today(days: int) -> str:
    """A date relative to today, as "YYYY-MM-DD": deadlines in the past are refused."""
    import datetime as _dt

    from django.utils import timezone

    return (timezone.localdate() + _dt.timedelta(days=days)).isoformat()

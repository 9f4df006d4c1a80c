"""factory_boy factories for the plan, the outcome framework and people in each role."""
import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

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
from plans.models import Direction, Objective, Plan, Priority, Workstream


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or "correct horse battery staple")
        if create:
            self.save(update_fields=["password"])

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    slug = factory.Sequence(lambda n: f"plan-{n}")
    title = "Improvement and Recovery Plan"
    organisation = "Example Council"
    version_date = dt.date(2023, 10, 1)
    status = "approved"


class DirectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Direction
        django_get_or_create = ["letter"]

    letter = factory.Sequence(lambda n: "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[n % 26])
    title = factory.LazyAttribute(lambda d: f"Direction {d.letter}")
    wording = "To secure continuous improvement."


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Priority {n + 1}")


class WorkstreamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workstream

    priority = factory.SubFactory(PriorityFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Workstream {n + 1}")


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    workstream = factory.SubFactory(WorkstreamFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "Improve decision making."


class RagDefinitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RagDefinition

    plan = factory.SubFactory(PlanFactory)
    rating = "R"
    definition = "Not on track."


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Improvement in area {n + 1}")
    lead_title = "Director of Corporate Services"


class SuccessCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SuccessCriterion

    outcome = factory.SubFactory(OutcomeFactory)
    letter = factory.Sequence(lambda n: "abcdefghijklmnopqrstuvwxyz"[n % 26])
    text = factory.Sequence(lambda n: f"Success criterion number {n}.")


class ReportingPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingPeriod

    plan = factory.SubFactory(PlanFactory)
    slug = factory.Sequence(lambda n: f"2024-25-q{n + 1}")
    title = factory.Sequence(lambda n: f"Quarter {n + 1}")
    short_label = factory.Sequence(lambda n: f"Q{n + 1}")
    start = dt.date(2024, 10, 1)
    end = dt.date(2024, 12, 31)
    deadline = dt.date(2025, 1, 20)
    state = PeriodState.OPEN


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    period = factory.SubFactory(ReportingPeriodFactory)
    criterion = factory.SubFactory(SuccessCriterionFactory)
    rag = ""
    narrative = ""
    status = AssessmentStatus.NOT_STARTED


class OutcomeSummaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutcomeSummary

    period = factory.SubFactory(ReportingPeriodFactory)
    outcome = factory.SubFactory(OutcomeFactory)
    text = ""


def quarter_period(plan, slug: str, *, end: dt.date, **fields) -> ReportingPeriod:
    """A calendar-quarter period ending on `end`, titled and labelled as the council does."""
    start = dt.date(end.year, end.month - 2, 1)
    label_month = "Sept" if end.month == 9 else f"{end:%b}"
    return ReportingPeriodFactory(
        plan=plan, slug=slug, title=f"Quarter to {end:%B %Y}", short_label=f"{label_month} {end:%y}",
        start=start, end=end, **fields,
    )

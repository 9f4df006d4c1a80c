"""The outcome framework, reporting periods and the quarterly assessments of each criterion."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from core.rag import Rag

NARRATIVE_MAX_LENGTH = 10_000


class Outcome(models.Model):
    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="outcomes")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    lead_title = models.CharField(max_length=200, blank=True, help_text="The lead's job title.")
    lead_director = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outcomes_led",
    )
    # The plan's links to its outcome framework live here, above plans, so plans never
    # import outcomes; the related names read from the plan's side: objective.outcomes.
    claimed_by_objectives = models.ManyToManyField(
        "plans.Objective",
        blank=True,
        related_name="outcomes",
        help_text="The objectives that claim to improve this outcome.",
    )
    assurance_approaches = models.ManyToManyField(
        "plans.AssuranceApproach", blank=True, related_name="outcomes_tested"
    )

    history = HistoricalRecords(m2m_fields=[claimed_by_objectives])

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="unique_outcome_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class SuccessCriterion(models.Model):
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="criteria")
    letter = models.CharField(max_length=4)
    text = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="criteria_owned",
        help_text="The service lead who rates this criterion.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["outcome__number", "letter"]
        constraints = [models.UniqueConstraint(fields=["outcome", "letter"], name="unique_criterion_letter")]
        verbose_name_plural = "success criteria"

    def __str__(self) -> str:
        return f"{self.reference} {self.text[:80]}"

    @property
    def reference(self) -> str:
        """How the council refers to it: outcome number and letter, e.g. "4b"."""
        return self.reference_of(outcome_number=self.outcome.number, letter=self.letter)

    @staticmethod
    def reference_of(*, outcome_number: int, letter: str) -> str:
        """The reference from plain values, for reads that skip the model (e.g. the checks' rows)."""
        return f"{outcome_number}{letter}"


class Measure(models.Model):
    """How the plan says an outcome's improvement will be measured (the plan's measures table)."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="measures")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["outcome__number", "number"]
        constraints = [models.UniqueConstraint(fields=["outcome", "number"], name="unique_measure_number")]

    def __str__(self) -> str:
        return self.text[:80]


class RagDefinition(models.Model):
    """The plan's "Note on definitions": what each rating means."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="rag_definitions")
    rating = models.CharField(max_length=1, choices=Rag.choices)
    definition = models.TextField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "rating"]
        constraints = [models.UniqueConstraint(fields=["plan", "rating"], name="unique_rag_definition")]

    def __str__(self) -> str:
        return f"{self.get_rating_display()}: {self.definition[:60]}"


class PeriodState(models.TextChoices):
    OPEN = "open", "Open for updates"
    CLOSED = "closed", "Closed"
    PUBLISHED = "published", "Published"


class ReportingPeriod(models.Model):
    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="periods")
    slug = models.SlugField(max_length=40, unique=True, help_text="Stable name, e.g. 2024-25-q3.")
    title = models.CharField(max_length=100, help_text='e.g. "Quarter to December 2024".')
    short_label = models.CharField(max_length=20, help_text='Used in column headings, e.g. "Dec 24".')
    start = models.DateField()
    end = models.DateField()
    deadline = models.DateField(null=True, blank=True, help_text="When officers' updates are due.")
    state = models.CharField(max_length=12, choices=PeriodState.choices, default=PeriodState.OPEN)
    is_baseline = models.BooleanField(
        default=False, help_text="The period every later report compares against."
    )
    report_purpose = models.TextField(blank=True)
    report_summary = models.TextField(
        blank=True, help_text="The Programme Office's narrative summary for this period's report."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "end"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="period_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["plan"], condition=models.Q(state="open"), name="one_open_period_per_plan"
            ),
            models.UniqueConstraint(
                fields=["plan"], condition=models.Q(is_baseline=True), name="one_baseline_per_plan"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state == PeriodState.OPEN

    @property
    def is_published(self) -> bool:
        return self.state == PeriodState.PUBLISHED


class AssessmentStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned"
    APPROVED = "approved", "Approved"


# An update the officer has handed in: it waits for, or has, the lead director's sign-off.
HANDED_IN_STATUSES = (AssessmentStatus.SUBMITTED, AssessmentStatus.APPROVED)


class Assessment(models.Model):
    """One criterion's rating and assessment of progress in one period."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="assessments")
    criterion = models.ForeignKey(SuccessCriterion, on_delete=models.CASCADE, related_name="assessments")
    rag = models.CharField(max_length=1, choices=Rag.choices, blank=True)
    narrative = models.TextField(blank=True, max_length=NARRATIVE_MAX_LENGTH)
    carried_forward = models.BooleanField(
        default=False, help_text="The narrative repeats the previous period's: position unchanged."
    )
    quotes_previous = models.BooleanField(
        default=False,
        help_text=(
            "Last period's assessment is quoted beneath this one, as the council's reports do in italics."
        ),
    )
    status = models.CharField(
        max_length=12, choices=AssessmentStatus.choices, default=AssessmentStatus.NOT_STARTED
    )
    return_comment = models.TextField(blank=True, help_text="Why the lead director returned it.")
    # Optimistic concurrency: every save increments it; a save based on an older value is refused.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["period", "criterion__outcome__number", "criterion__letter"]
        constraints = [
            models.UniqueConstraint(fields=["period", "criterion"], name="one_assessment_per_period")
        ]
        # The dashboard counts a period's ratings and statuses from these alone (covering indexes).
        indexes = [
            models.Index(fields=["period", "rag"], name="assessment_period_rag"),
            models.Index(fields=["period", "status"], name="assessment_period_status"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.reference} in {self.period}"


class OutcomeSummary(models.Model):
    """The Lead Director Summary of one outcome in one period."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="outcome_summaries")
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="summaries")
    text = models.TextField(blank=True, max_length=NARRATIVE_MAX_LENGTH)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["period", "outcome__number"]
        constraints = [models.UniqueConstraint(fields=["period", "outcome"], name="one_summary_per_period")]
        verbose_name_plural = "outcome summaries"

    def __str__(self) -> str:
        return f"Lead Director Summary, outcome {self.outcome.number}, {self.period}"


class ReminderKind(models.TextChoices):
    PERIOD_OPENED = "opened", "Period opened"
    DEADLINE_APPROACHING = "deadline", "Deadline approaching"
    CHASE = "chase", "Chased by the Programme Office"


class ReminderSent(models.Model):
    """A reminder already emailed, so the daily job never sends the same one twice."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # Automatic reminders go once; the Programme Office may chase as often as it must.
            models.UniqueConstraint(
                fields=["period", "recipient", "kind"],
                condition=~models.Q(kind="chase"),
                name="one_automatic_reminder_each",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient_id} for {self.period_id}"


class CheckAcknowledgement(models.Model):
    """The Programme Office's reasoned decision that a pre-publication warning may stand.

    `finding_key` is the check's stable id (e.g. "near-duplicate:4b:3f", see `outcomes.checks`),
    so an acknowledgement survives re-running the checks. Changing the reason keeps the old one in
    history.
    """

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="check_acknowledgements"
    )
    finding_key = models.CharField(max_length=200)
    reason = models.TextField(max_length=2_000)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["period", "finding_key"]
        constraints = [
            models.UniqueConstraint(fields=["period", "finding_key"], name="one_acknowledgement_per_finding")
        ]

    def __str__(self) -> str:
        return f"{self.finding_key} acknowledged for {self.period_id}"

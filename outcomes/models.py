"""The outcome framework, reporting periods and the quarterly assessments of each criterion."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from core.rag import Rag
from core.text import validate_single_line

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
    # PROTECT, here and on the rest of the official record: deleting a row that carries history
    # would take its history with it (a criterion's history page would lose published periods).
    outcome = models.ForeignKey(Outcome, on_delete=models.PROTECT, related_name="criteria")
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


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"


class ReportingPeriod(models.Model):
    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="periods")
    slug = models.SlugField(max_length=40, unique=True, help_text="Stable name, e.g. 2024-25-q3.")
    title = models.CharField(
        max_length=100, help_text='e.g. "Quarter to December 2024".', validators=[validate_single_line]
    )
    short_label = models.CharField(
        max_length=20, help_text='Used in column headings, e.g. "Dec 24".', validators=[validate_single_line]
    )
    start = models.DateField()
    end = models.DateField()
    deadline = models.DateField(null=True, blank=True, help_text="When officers' updates are due.")
    state = models.CharField(max_length=12, choices=PeriodState.choices, default=PeriodState.OPEN)
    is_baseline = models.BooleanField(
        default=False, help_text="The period every later report compares against."
    )
    report_purpose = models.TextField(blank=True)
    # The date the report carries: its publication, or the meeting the council's papers give
    # ("to Cabinet in December" is a month only). Never the moment a file was downloaded.
    report_date = models.DateField(null=True, blank=True, help_text="The date the published report carries.")
    report_date_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, blank=True, help_text="Day, month, or blank if no date."
    )
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

    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="assessments")
    criterion = models.ForeignKey(SuccessCriterion, on_delete=models.PROTECT, related_name="assessments")
    rag = models.CharField(max_length=1, choices=Rag.choices, blank=True)
    narrative = models.TextField(blank=True, max_length=NARRATIVE_MAX_LENGTH)
    carried_forward = models.BooleanField(
        default=False, help_text="The narrative repeats the previous period's: position unchanged."
    )
    quotes_previous = models.BooleanField(
        default=False,
        help_text="The officer chose to quote last period's assessment beneath new text.",
    )
    # The earlier text quoted beneath the narrative, printed in italics, stored apart so the
    # narrative is only ever the officer's own words (for a carried-forward criterion, the
    # council's "same as 1st Report (see below italics)" sentence and nothing else).
    quoted_text = models.TextField(
        blank=True,
        max_length=NARRATIVE_MAX_LENGTH,
        help_text="Earlier text quoted beneath the narrative, printed in italics.",
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
            # Each criterion's rating in a period without reading the row (its narrative makes rows
            # long): the dashboard's last-period-beside-this-period scan looks one up per criterion.
            models.Index(fields=["period", "criterion", "rag"], name="assessment_period_crit_rag"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.reference} in {self.period}"


class OutcomeSummary(models.Model):
    """The Lead Director Summary of one outcome in one period."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="outcome_summaries")
    outcome = models.ForeignKey(Outcome, on_delete=models.PROTECT, related_name="summaries")
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
    """A reminder already emailed, so the daily job never sends the same one twice.

    Chases are kept too, one row per person chased, so the Programme Office sees when each person was
    last chased and is asked before chasing them again within a day.
    """

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)
    # Who chased: blank for the automatic reminders the daily job sends.
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

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


class SignoffDigestEntry(models.Model):
    """One submission already listed in a Lead Director's daily digest, so no digest lists it twice.

    Keyed on the update's version when it was listed: returned and submitted again, it is newly
    waiting and goes in the next digest, once more.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField()
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "version"], name="one_digest_entry_per_submission")
        ]

    def __str__(self) -> str:
        return f"Assessment {self.assessment_id} v{self.version} in a digest to {self.recipient_id}"


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


# --------------------------------------------------------------------------- the evaluation framework
# Section 7 of the plan: measures of success with evidence, key performance indicators with
# targets, and the commissioners' own judgement beside the council's self-assessment.

NOTE_MAX_LENGTH = 2_000


class EvidenceStatus(models.TextChoices):
    EVIDENCED = "evidenced", "Evidenced"
    PARTLY = "partly", "Partly evidenced"
    NOT_YET = "not_yet", "Not yet evidenced"


class MeasureEvidence(models.Model):
    """How far one measure of success is evidenced in one period, and why."""

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="evidence")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="measure_evidence")
    status = models.CharField(max_length=10, choices=EvidenceStatus.choices, default=EvidenceStatus.NOT_YET)
    note = models.TextField(blank=True, max_length=NOTE_MAX_LENGTH)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["period", "measure__outcome__number", "measure__number"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period"], name="one_evidence_record_per_period")
        ]
        verbose_name_plural = "measure evidence"

    def __str__(self) -> str:
        return f"{self.get_status_display()}: measure {self.measure_id} in {self.period_id}"


def evidence_upload_path(instance: EvidenceItem, filename: str) -> str:
    """A random name: the uploader's file name is kept in `original_name`, never used as a path."""
    import uuid

    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"evidence/{uuid.uuid4().hex}.{extension}"


class EvidenceItem(models.Model):
    """A link to, or an uploaded file of, evidence for a measure in a period."""

    evidence = models.ForeignKey(MeasureEvidence, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=1_000, blank=True)
    file = models.FileField(upload_to=evidence_upload_path, blank=True, max_length=200)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True, help_text="Decided from the content.")
    size = models.PositiveBigIntegerField(default=0)
    added_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["evidence", "added_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(url="") & ~models.Q(file="")) | (~models.Q(url="") & models.Q(file="")),
                name="evidence_is_a_link_or_a_file",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_file(self) -> bool:
        return bool(self.file)


class MetricFrequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    ANNUAL = "annual", "Annual"


class MetricPolarity(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class Metric(models.Model):
    """A key performance indicator in the plan's metric library."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="metrics")
    code = models.SlugField(max_length=40, help_text="Stable name used by imports, e.g. GOV-01.")
    name = models.CharField(max_length=200)
    definition = models.TextField(blank=True)
    source_system = models.CharField(max_length=200, blank=True)
    how_obtained = models.TextField(blank=True, help_text="How the figure is retrieved and checked.")
    owner = models.CharField(max_length=200, blank=True, help_text="Who is accountable for the figure.")
    frequency = models.CharField(
        max_length=10, choices=MetricFrequency.choices, default=MetricFrequency.QUARTERLY
    )
    unit = models.CharField(max_length=40, blank=True, help_text='e.g. "%", "days", "£k".')
    polarity = models.CharField(max_length=6, choices=MetricPolarity.choices, default=MetricPolarity.HIGHER)
    tolerance = models.DecimalField(
        max_digits=5,
        decimal_places=4,
        default=0,
        help_text="The amber band as a fraction of the target, e.g. 0.05 for 5%.",
    )
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="metrics")
    criteria = models.ManyToManyField(SuccessCriterion, blank=True, related_name="metrics")

    history = HistoricalRecords(m2m_fields=[criteria])

    class Meta:
        ordering = ["plan", "outcome__number", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="unique_metric_code"),
            models.CheckConstraint(
                condition=models.Q(tolerance__gte=0) & models.Q(tolerance__lte=1),
                name="metric_tolerance_is_a_fraction",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def higher_is_better(self) -> bool:
        return self.polarity == MetricPolarity.HIGHER


VALUE_DIGITS = 18
VALUE_DECIMALS = 4


class MetricValue(models.Model):
    """A metric's figure for one reporting period, with the target it is judged against."""

    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="values")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="metric_values")
    value = models.DecimalField(max_digits=VALUE_DIGITS, decimal_places=VALUE_DECIMALS)
    target = models.DecimalField(
        max_digits=VALUE_DIGITS, decimal_places=VALUE_DECIMALS, null=True, blank=True
    )
    note = models.TextField(blank=True, max_length=NOTE_MAX_LENGTH)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["metric", "period__end"]
        constraints = [
            models.UniqueConstraint(fields=["metric", "period"], name="one_metric_value_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.metric_id} in {self.period_id}: {self.value}"

    @property
    def rag(self) -> str:
        from core.target_rag import rag_from_target

        return rag_from_target(
            value=self.value,
            target=self.target,
            tolerance=self.metric.tolerance,
            higher_is_better=self.metric.higher_is_better,
        )


class CommissionerJudgement(models.Model):
    """The commissioners' own assurance rating of an outcome in a period. Only they write it."""

    outcome = models.ForeignKey(Outcome, on_delete=models.PROTECT, related_name="judgements")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="judgements")
    rag = models.CharField(max_length=1, choices=Rag.choices)
    commentary = models.TextField(max_length=NARRATIVE_MAX_LENGTH)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["period", "outcome__number"]
        constraints = [models.UniqueConstraint(fields=["outcome", "period"], name="one_judgement_per_period")]

    def __str__(self) -> str:
        return f"Commissioners' judgement, outcome {self.outcome_id}, {self.period_id}"


class JudgementPublication(models.Model):
    """The commissioners' decision whether their judgements of a period are for publication."""

    period = models.OneToOneField(
        ReportingPeriod, on_delete=models.CASCADE, related_name="judgement_publication"
    )
    for_publication = models.BooleanField(default=False)
    decided_at = models.DateTimeField(auto_now=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Judgements of {self.period_id} {'for' if self.for_publication else 'not for'} publication"

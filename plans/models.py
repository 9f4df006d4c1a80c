"""An Improvement and Recovery Plan, the Directions it answers and its delivery structure.

The outcomes an objective claims and an assurance approach tests are links owned by
`outcomes` (`Outcome.claimed_by_objectives`, `Outcome.assurance_approaches`): plans sit below
outcomes and know nothing of them.

Two shapes of plan exist side by side: the enhanced shape (priorities → workstreams →
objectives mapped to Directions and outcomes) and the earlier action-plan shape
(themes → workstreams → actions with sponsors and dates). Nothing here is specific to one
council: a council's plan is data.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    SUPERSEDED = "superseded", "Superseded"


class Direction(models.Model):
    """A statutory Direction issued to the council (e.g. by the Secretary of State)."""

    letter = models.CharField(max_length=4, unique=True)
    title = models.CharField(max_length=200, help_text="A short name for lists and matrices.")
    wording = models.TextField()
    issued_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["letter"]

    def __str__(self) -> str:
        return f"Direction {self.letter}"


# The council's own convention in its outcome reports ("… same as 1st Report (see below italics).").
CARRIED_FORWARD_LABEL = "The position is assessed as being the same as the last report (see below italics)."


class Plan(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200)
    version_date = models.DateField()
    approval_date = models.DateField(null=True, blank=True)
    approved_by = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="superseded_by"
    )
    summary = models.TextField(blank=True)
    # Council papers name roles, not people: reports print an account's name only when asked to.
    show_names = models.BooleanField(
        default=False, help_text="Print lead directors' names in reports, not only their job titles."
    )
    carried_forward_label = models.CharField(
        max_length=300,
        default=CARRIED_FORWARD_LABEL,
        help_text="What a carried-forward assessment says above the earlier text quoted beneath it.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-version_date"]

    def __str__(self) -> str:
        return f"{self.title} ({self.version_date:%B %Y})"


class Priority(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="priorities")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    lead_member_role = models.CharField(max_length=200, blank=True)
    lead_officer_role = models.CharField(max_length=200, blank=True)
    seeking_to_achieve = models.TextField(blank=True, help_text="What we are seeking to achieve.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="unique_priority_number")]
        verbose_name_plural = "priorities"

    def __str__(self) -> str:
        return f"Priority {self.number}: {self.title}"


class Workstream(models.Model):
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="workstreams")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    we_will_demonstrate = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["priority__number", "number"]
        constraints = [
            models.UniqueConstraint(fields=["priority", "number"], name="unique_workstream_number")
        ]

    def __str__(self) -> str:
        return self.title


class Objective(models.Model):
    workstream = models.ForeignKey(Workstream, on_delete=models.CASCADE, related_name="objectives")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    directions = models.ManyToManyField(Direction, blank=True, related_name="objectives")
    outcome_text = models.TextField(blank=True, help_text="The plan's own outcome statement.")
    outputs = models.TextField(blank=True)
    assurance = models.TextField(blank=True)

    history = HistoricalRecords(m2m_fields=[directions])

    class Meta:
        ordering = ["workstream__priority__number", "workstream__number", "number"]
        constraints = [
            models.UniqueConstraint(fields=["workstream", "number"], name="unique_objective_number")
        ]

    def __str__(self) -> str:
        return f"{self.workstream.title} – objective {self.number}"


class AssuranceApproach(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="assurance_approaches")
    number = models.PositiveSmallIntegerField()
    approach = models.CharField(max_length=300)
    workstreams_covered = models.TextField(blank=True)
    focus = models.TextField(blank=True)
    outcomes_tested_text = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "number"]
        verbose_name_plural = "assurance approaches"

    def __str__(self) -> str:
        return self.approach


class Theme(models.Model):
    """Top level of an action plan (the December 2022 shape)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="themes")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "number"]

    def __str__(self) -> str:
        return f"Theme {self.number}: {self.title}"


class ThemeWorkstream(models.Model):
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="workstreams")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)

    history = HistoricalRecords()

    class Meta:
        ordering = ["theme__number", "number"]

    def __str__(self) -> str:
        return self.title


class Action(models.Model):
    workstream = models.ForeignKey(ThemeWorkstream, on_delete=models.CASCADE, related_name="actions")
    number = models.PositiveSmallIntegerField()
    objective_ref = models.CharField(max_length=60, blank=True, help_text='e.g. "Direction B" or "STRAT01".')
    description = models.TextField()
    db_sponsor = models.CharField("DB sponsor", max_length=200, blank=True)
    cabinet_sponsor = models.CharField(max_length=200, blank=True)
    lead_officer = models.CharField(max_length=200, blank=True)
    start = models.CharField(max_length=60, blank=True, help_text="As written in the plan.")
    start_date = models.DateField(null=True, blank=True)
    due = models.CharField(max_length=60, blank=True, help_text="As written in the plan.")
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=100, blank=True, help_text='e.g. "On Track".')

    history = HistoricalRecords()

    class Meta:
        ordering = ["workstream__theme__number", "workstream__number", "number"]

    def __str__(self) -> str:
        return f"{self.objective_ref}: {self.description[:60]}"


class LeadPerson(models.Model):
    class Kind(models.TextChoices):
        OFFICER = "officer", "Lead officer"
        MEMBER = "member", "Lead member"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="lead_people")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    initials = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    title = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "kind", "initials"]
        verbose_name_plural = "lead people"

    def __str__(self) -> str:
        return f"{self.initials} – {self.name}"


# --------------------------------------------------------------------------- delivery
# Milestones, RAID logs and the boards that oversee them: how the plan's work is tracked
# between the quarterly outcome reports.


class MilestoneStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    COMPLETE = "complete", "Complete"


class StatusLabel(models.Model):
    """How a plan's own progress label ("Medium Progress", "Not due to start – Phase 2") reads as a status.

    A label matches the longest entry it begins with, ignoring case, so "Not due to start"
    covers every phase. The Programme Office edits the table; milestones nobody has updated
    yet follow it.
    """

    label = models.CharField(max_length=100, unique=True)
    status = models.CharField(max_length=20, choices=MilestoneStatus.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return f"{self.label} → {self.get_status_display()}"


class Board(models.Model):
    """A board that reviews delivery by exception: it sees the priorities (or themes) mapped to it."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    sees_everything = models.BooleanField(
        default=False, help_text="Oversees the whole plan (e.g. the Improvement and Recovery Board)."
    )
    priorities = models.ManyToManyField(Priority, blank=True, related_name="boards")
    themes = models.ManyToManyField(Theme, blank=True, related_name="boards")
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="boards")

    history = HistoricalRecords(m2m_fields=[priorities, themes])

    class Meta:
        ordering = ["-sees_everything", "name"]

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    """A dated piece of the plan's delivery: under an objective, or one of an action plan's actions."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="milestones")
    objective = models.ForeignKey(
        Objective, null=True, blank=True, on_delete=models.CASCADE, related_name="milestones"
    )
    action = models.OneToOneField(
        Action, null=True, blank=True, on_delete=models.CASCADE, related_name="milestone"
    )
    reference = models.CharField(max_length=40)
    title = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="milestones"
    )
    sponsor = models.CharField(max_length=200, blank=True, help_text="As the plan names them.")
    cabinet_sponsor = models.CharField(max_length=200, blank=True)
    lead = models.CharField(max_length=200, blank=True, help_text="The lead officer as the plan names them.")
    start_date = models.DateField(null=True, blank=True)
    start_as_written = models.CharField(max_length=60, blank=True)
    due_date = models.DateField(null=True, blank=True)
    due_as_written = models.CharField(max_length=60, blank=True, help_text="When the plan wrote it loosely.")
    plan_label = models.CharField(max_length=100, blank=True, help_text="The plan's own progress label.")
    # Blank until someone updates it: until then the status is the plan label's (StatusLabel).
    status = models.CharField(max_length=20, choices=MilestoneStatus.choices, blank=True)
    note = models.TextField(blank=True, help_text="Progress note of the latest update.")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    last_update_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "reference"], name="unique_milestone_reference"),
            models.CheckConstraint(
                condition=models.Q(objective__isnull=True) | models.Q(action__isnull=True),
                name="milestone_under_objective_or_action",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title[:60]}"


class RaidKind(models.TextChoices):
    RISK = "risk", "Risk"
    ASSUMPTION = "assumption", "Assumption"
    ISSUE = "issue", "Issue"
    DEPENDENCY = "dependency", "Dependency"


class RaidStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class RaidEntry(models.Model):
    """One line of a RAID log, at plan, priority (theme) or workstream level."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="raid_entries")
    priority = models.ForeignKey(
        Priority, null=True, blank=True, on_delete=models.CASCADE, related_name="raid_entries"
    )
    workstream = models.ForeignKey(
        Workstream, null=True, blank=True, on_delete=models.CASCADE, related_name="raid_entries"
    )
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.CASCADE, related_name="raid_entries"
    )
    theme_workstream = models.ForeignKey(
        ThemeWorkstream, null=True, blank=True, on_delete=models.CASCADE, related_name="raid_entries"
    )
    reference = models.CharField(max_length=40)
    kind = models.CharField(max_length=12, choices=RaidKind.choices, default=RaidKind.RISK)
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="raid_entries",
    )
    # Risks only, 1–5 each; empty while the risk is not yet scored.
    likelihood = models.PositiveSmallIntegerField(null=True, blank=True)
    impact = models.PositiveSmallIntegerField(null=True, blank=True)
    mitigation = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=RaidStatus.choices, default=RaidStatus.OPEN)
    review_date = models.DateField(null=True, blank=True)
    escalated_to = models.ForeignKey(
        Board, null=True, blank=True, on_delete=models.SET_NULL, related_name="escalations"
    )
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "kind", "reference"]
        verbose_name_plural = "RAID entries"
        constraints = [
            models.UniqueConstraint(fields=["plan", "reference"], name="unique_raid_reference"),
            models.CheckConstraint(
                condition=models.Q(likelihood__isnull=True) | models.Q(likelihood__gte=1, likelihood__lte=5),
                name="raid_likelihood_1_to_5",
            ),
            models.CheckConstraint(
                condition=models.Q(impact__isnull=True) | models.Q(impact__gte=1, impact__lte=5),
                name="raid_impact_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.description[:60]}"

    @property
    def score(self) -> int | None:
        if self.likelihood is None or self.impact is None:
            return None
        return self.likelihood * self.impact

    @property
    def escalated(self) -> bool:
        return self.escalated_to_id is not None


class DeliveryReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", "Milestone due soon"
    OVERDUE = "overdue", "Milestone overdue"
    STALE = "stale", "Milestone not updated"


class DeliveryReminderSent(models.Model):
    """A milestone reminder already emailed on a day, so the daily job never sends it twice that day."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=DeliveryReminderKind.choices)
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["milestone", "recipient", "kind", "sent_on"], name="one_milestone_reminder_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient_id} on {self.sent_on}"

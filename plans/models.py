"""An Improvement and Recovery Plan, the Directions it answers and its delivery structure.

The outcomes an objective claims and an assurance approach tests are links owned by
`outcomes` (`Outcome.claimed_by_objectives`, `Outcome.assurance_approaches`): plans sit below
outcomes and know nothing of them.

Two shapes of plan exist side by side: the enhanced shape (priorities → workstreams →
objectives mapped to Directions and outcomes) and the earlier action-plan shape
(themes → workstreams → actions with sponsors and dates). Nothing here is specific to one
council: a council's plan is data.
"""

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

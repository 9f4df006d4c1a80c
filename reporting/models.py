"""Stored exports: one render per subject, parameters, data generation and format, by the task worker."""

from __future__ import annotations

from django.db import models


class RenderStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class ExportSubject(models.TextChoices):
    """What is exported: each subject has its own builder and renderers (`reporting.exports`)."""

    REPORT = "report", "Quarterly outcome report"
    DELIVERY = "delivery", "Delivery exception report"
    CRITERIA = "criteria", "Criteria list"


class ExportRender(models.Model):
    """One export in one format, for one data generation of what it reads.

    A quarterly report is keyed on its period; a delivery exception report has no period and is
    keyed on `parameters` instead (plan, board and dates, normalised by `reporting.exports`); the
    criteria list's file is keyed on its period and its filters.

    Everyone asking for the same file of the same data shares this row (the unique constraint
    decides a race). `file_name` is set only in the transaction that marks it ready, after the
    whole file is in storage, so a file is never offered half-written. A worker that dies
    leaves a row "running" whose heartbeat stops: `reporting.exports` queues it again.
    """

    subject = models.CharField(max_length=12, choices=ExportSubject.choices, default=ExportSubject.REPORT)
    period = models.ForeignKey(
        "outcomes.ReportingPeriod", on_delete=models.CASCADE, related_name="exports", null=True, blank=True
    )
    # What else decides the file's content, as a normalised query string ("" for a period's report).
    parameters = models.TextField(blank=True, default="")
    # Its SHA-256 ("" for none), which the unique key holds: a search in the filters can make the
    # string longer than an index entry may be.
    parameters_digest = models.CharField(max_length=64, blank=True, default="")
    generation = models.BigIntegerField()
    format = models.CharField(max_length=8)
    status = models.CharField(max_length=8, choices=RenderStatus.choices, default=RenderStatus.QUEUED)
    file_name = models.CharField(max_length=300, blank=True)  # in default storage; set once complete
    download_name = models.CharField(max_length=200, blank=True)  # what the person's browser saves
    size = models.BigIntegerField(null=True, blank=True)
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        # Two constraints because NULLs are distinct in a unique index: exports with no period
        # would otherwise never collide, and two identical asks could both be rendered.
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "period", "parameters_digest", "generation", "format"],
                condition=models.Q(period__isnull=False),
                name="one_render_per_period_export",
            ),
            models.UniqueConstraint(
                fields=["subject", "parameters_digest", "generation", "format"],
                condition=models.Q(period__isnull=True),
                name="one_render_per_export_without_period",
            ),
        ]

    def __str__(self) -> str:
        about = f"period {self.period_id}" if self.period_id else self.parameters
        return f"{self.subject} {self.format} of {about}, generation {self.generation}: {self.status}"

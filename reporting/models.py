"""Stored exports: one render per period, data generation and format, made by the task worker."""

from __future__ import annotations

from django.db import models


class RenderStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class ExportRender(models.Model):
    """A period's report in one format, for one data generation of that period.

    Everyone asking for the same file of the same data shares this row (the unique constraint
    decides a race). `file_name` is set only in the transaction that marks it ready, after the
    whole file is in storage, so a file is never offered half-written. A worker that dies
    leaves a row "running" whose heartbeat stops: `reporting.exports` queues it again.
    """

    period = models.ForeignKey("outcomes.ReportingPeriod", on_delete=models.CASCADE, related_name="exports")
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
        constraints = [
            models.UniqueConstraint(
                fields=["period", "generation", "format"], name="one_render_per_period_generation_format"
            )
        ]

    def __str__(self) -> str:
        return f"{self.format} of period {self.period_id}, generation {self.generation}: {self.status}"

"""The one record the shared floor keeps: the counters every cached summary and stored export keys on."""

from django.db import models


class DataGeneration(models.Model):
    """A counter bumped by changes to plan or outcome data: whatever is keyed on it is never stale.

    One row per scope (`core.generation`): "shared" moves on changes that belong to no period
    (the plan, its criteria, people); "period:<pk>" moves on changes to that period's own rows;
    a page that summarises everything keys on the sum of all rows. A save in the open quarter so
    leaves the published quarters' counters, and their stored exports, alone. (A row "all",
    which every change once moved, may remain in older databases; it only adds to that sum.)
    The rows live in the database, not in a process's memory, so every gunicorn worker and
    the task worker see a change made through any other.
    """

    key = models.CharField(max_length=40, unique=True, default="all")
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"data generation {self.key} {self.value}"

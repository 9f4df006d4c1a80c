"""The one record the shared floor keeps: the counter every cached summary keys on."""

from django.db import models


class DataGeneration(models.Model):
    """Bumped by every change to plan or outcome data: a cached page keyed on it is never stale.

    One row. It lives in the database, not in a process's memory, so every gunicorn worker
    sees a change made through any other.
    """

    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"data generation {self.value}"

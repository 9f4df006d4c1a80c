"""Idempotent writes for loaders: a row is saved only when something in it differs.

That keeps re-running a load from adding history records or touching timestamps.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models


@dataclass
class SyncReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    relinked: dict[str, int] = field(default_factory=dict)

    def count(self, bucket: dict[str, int], model: type[models.Model]) -> None:
        name = model._meta.verbose_name_plural.capitalize()
        bucket[name] = bucket.get(name, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.relinked)

    def lines(self) -> list[str]:
        lines = [f"created {n} {name.lower()}" for name, n in sorted(self.created.items())]
        lines += [f"updated {n} {name.lower()}" for name, n in sorted(self.updated.items())]
        lines += [f"set the links of {n} {name.lower()}" for name, n in sorted(self.relinked.items())]
        return lines or ["nothing to change: the data was already loaded"]


def sync_row(
    model: type[models.Model], *, report: SyncReport, reason: str, lookup: dict, values: dict
) -> models.Model:
    """Create the row matching `lookup`, or update it where `values` differ."""
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **values)
        instance._change_reason = reason
        instance.save()
        report.count(report.created, model)
        return instance
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if changed:
        for name in changed:
            setattr(instance, name, values[name])
        instance._change_reason = reason
        instance.save()
        report.count(report.updated, model)
    return instance


def sync_m2m(manager, wanted: list, *, report: SyncReport, model: type[models.Model]) -> None:
    current = set(manager.all())
    if current != set(wanted):
        manager.set(wanted)
        report.count(report.relinked, model)

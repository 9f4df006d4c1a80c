"""The data generation: caching of pages and exports, invalidated by any change to the data they show.

The dashboard at 6,100 criteria takes ~60 ms to build and render; most requests on a
deadline day are re-reads of the same period, so the rendered content is kept per period,
per set of periods the reader may choose from, and per data generation. Every save of a
plan or outcome row (through services, the admin or a loader) bumps the generation in the
same transaction, so a reader never sees a page older than the data.

Counters are scoped (see `core.models.DataGeneration`): a row that belongs to a period (it has
a `period_id`, or it is the period named in `settings.DATA_GENERATION_PERIOD_MODEL`) moves
"all" and that period's counter; any other row moves "all" and "shared"; a bulk load moves
every counter. A stored export of a period keys on the shared counter plus the counters of
the periods it reads, so officers saving in the open quarter leave the published quarters'
files valid.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models import F, Sum
from django.db.models.signals import m2m_changed, post_delete, post_save

from core.models import DataGeneration

# Whose rows, when changed, can change what a summary page shows: named in settings, so this
# shared floor knows no domain app.
WATCHED_AUTH_MODELS = ("user", "group")
CACHE_SECONDS = 60 * 60
ALL = "all"
SHARED = "shared"


def period_scope(period_pk: int) -> str:
    return f"period:{period_pk}"


def generation() -> int:
    """The counter that moves on every change: for pages that summarise everything."""
    value = DataGeneration.objects.filter(key=ALL).values_list("value", flat=True).first()
    return value or 0


def generation_of_periods(period_pks: Iterable[int]) -> int:
    """A number that grows whenever anything these periods' reports read changes.

    The sum of monotonic counters grows when any one of them does, so it can key a stored
    export. One query.
    """
    keys = [SHARED, *(period_scope(pk) for pk in period_pks)]
    total = DataGeneration.objects.filter(key__in=keys).aggregate(total=Sum("value"))["total"]
    return total or 0


def _bump(keys: list[str] | None) -> None:
    rows = DataGeneration.objects.all() if keys is None else DataGeneration.objects.filter(key__in=keys)
    if rows.update(value=F("value") + 1) < len(keys or [ALL]):
        # A counter's first change: create what is missing (rare, so a second query is fine).
        for key in keys or [ALL]:
            DataGeneration.objects.get_or_create(key=key, defaults={"value": 1})


def _scopes_of(sender, instance) -> list[str]:
    period_model = getattr(settings, "DATA_GENERATION_PERIOD_MODEL", "")
    if period_model and sender is not None and sender._meta.label == period_model:
        return [ALL, period_scope(instance.pk)]
    period_pk = getattr(instance, "period_id", None)
    if period_pk is not None:
        return [ALL, period_scope(period_pk)]
    return [ALL, SHARED]


def generation_bump(sender=None, instance=None, update_fields=None, **_signal_arguments) -> None:
    """Move the counters a change touches; called without a row (a bulk load), move them all."""
    if update_fields is not None and set(update_fields) == {"last_login"}:
        # Signing in shows on no summary or report: it must not throw every cached page away.
        return
    _bump(None if instance is None else _scopes_of(sender, instance))


def cached_render(
    *, key_parts: tuple[Hashable, ...], render: Callable[[], str], generation_value: int | None = None
) -> str:
    """`render()`'s output, kept until the data moves on.

    By default any change moves it on (`generation()`); a page that reads only some periods
    passes their `generation_of_periods` instead, so saves elsewhere leave it cached.
    """
    current = generation() if generation_value is None else generation_value
    key = "page:" + ":".join(str(part) for part in (*key_parts, current))
    content = cache.get(key)
    if content is None:
        content = render()
        cache.set(key, content, CACHE_SECONDS)
    return content


def _watched_models():
    for app_label in settings.DATA_GENERATION_APPS:
        for model in apps.get_app_config(app_label).get_models():
            # History rows accompany a change to a watched row, which already bumps.
            if not model._meta.model_name.startswith("historical"):
                yield model
    for name in WATCHED_AUTH_MODELS:
        yield apps.get_model("auth", name)


def connect_invalidation() -> None:
    for model in _watched_models():
        post_save.connect(generation_bump, sender=model, dispatch_uid=f"generation-save-{model._meta.label}")
        post_delete.connect(generation_bump, sender=model, dispatch_uid=f"generation-del-{model._meta.label}")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                generation_bump,
                sender=field.remote_field.through,
                dispatch_uid=f"generation-m2m-{model._meta.label}-{field.name}",
            )

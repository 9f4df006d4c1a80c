"""The data generation: caching of pages that summarise a whole period, invalidated by any change to the data.

The dashboard at 6,100 criteria takes ~60 ms to build and render; most requests on a
deadline day are re-reads of the same period, so the rendered content is kept per period,
per set of periods the reader may choose from, and per data generation. Every save of a
plan or outcome row (through services, the admin or a loader) bumps the generation in the
same transaction, so a reader never sees a page older than the data.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save

from core.models import DataGeneration

# Whose rows, when changed, can change what a summary page shows: named in settings, so this
# shared floor knows no domain app.
WATCHED_AUTH_MODELS = ("user", "group")
CACHE_SECONDS = 60 * 60


def generation() -> int:
    value = DataGeneration.objects.filter(pk=1).values_list("value", flat=True).first()
    return value or 0


def generation_bump(**_signal_arguments) -> None:
    if not DataGeneration.objects.filter(pk=1).update(value=F("value") + 1):
        DataGeneration.objects.get_or_create(pk=1, defaults={"value": 1})


def cached_render(*, key_parts: tuple[Hashable, ...], render: Callable[[], str]) -> str:
    key = "page:" + ":".join(str(part) for part in (*key_parts, generation()))
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

"""The data generation: caching of pages and exports, invalidated by any change to the data they show.

The dashboard at 6,100 criteria takes ~60 ms to build and render; most requests on a
deadline day are re-reads of the same period, so the rendered content is kept per period,
per set of periods the reader may choose from, and per data generation. Every save of a
plan or outcome row (through services, the admin or a loader) moves the generation when its
transaction commits, so a reader never keeps a page older than the data.

Counters are scoped (see `core.models.DataGeneration`): a row that belongs to a period (it has
a `period_id`, or it is the period named in `settings.DATA_GENERATION_PERIOD_MODEL`) moves
that period's counter; any other row moves "shared"; a bulk load moves every counter. A page
or stored export of some periods keys on the shared counter plus those periods' counters, so
officers saving in the open quarter leave the published quarters' pages and files valid; a
page that summarises everything keys on the sum of all counters (`generation`).

Saves do not queue on the counters: on PostgreSQL a counter is moved after its transaction
commits, by one UPDATE in a transaction of its own, so its row is locked for that statement
only. (On SQLite, which has one writer for the whole database and no row locks, the save's
transaction moves it, which costs no extra wait there; see `_bump_after_commit`.) Moved inside
the save's transaction, as it first was, the open period's counter was locked from the first
save of a row until the commit, and on PostgreSQL every save of the period waited for the one
before it (issue 18, "saves in parallel").

Why after the commit is safe: a reader that reads the generation before the bump and the data
after the commit keeps new data under the old number, which the bump then retires; a reader
that reads the new number reads committed data. Never before the commit: a reader could then
keep the old data under the new number for good. The cost: if the process dies between the
commit and the bump (microseconds, in the same thread), pages and stored exports of that scope
stay as they were until the scope's next change, or, for pages, until `CACHE_SECONDS` passes;
a failed bump is logged and the save stands. That window is accepted for saves that no longer
wait for each other; a loader's bulk change moves every counter itself (`generation_bump()`).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Hashable, Iterable

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Sum
from django.db.models.signals import m2m_changed, post_delete, post_save

from core.models import DataGeneration

# Whose rows, when changed, can change what a summary page shows: named in settings, so this
# shared floor knows no domain app.
WATCHED_AUTH_MODELS = ("user", "group")
CACHE_SECONDS = 60 * 60
SHARED = "shared"


def period_scope(period_pk: int) -> str:
    return f"period:{period_pk}"


def generation() -> int:
    """A number that grows on every change: the sum of every counter, for pages that summarise everything."""
    return DataGeneration.objects.aggregate(total=Sum("value"))["total"] or 0


def generation_of_periods(period_pks: Iterable[int]) -> int:
    """A number that grows whenever anything these periods' reports read changes.

    The sum of monotonic counters grows when any one of them does, so it can key a stored
    export. One query.
    """
    return generations_of_periods(period_pks)[0]


def generations_of_periods(*period_sets: Iterable[int]) -> list[int]:
    """`generation_of_periods` of each set of periods, read in one query for them all.

    For a page made of parts kept apart because they read different periods (the dashboard's
    ratings, its open quarter's completion and its delivery panel, which reads no period): each
    part is kept until its own data moves on, for the price of one query.
    """
    scopes = [{period_scope(pk) for pk in pks} for pks in period_sets]
    wanted = {SHARED}.union(*scopes)
    counters = dict(DataGeneration.objects.filter(key__in=wanted).values_list("key", "value"))
    shared = counters.get(SHARED, 0)
    return [shared + sum(counters.get(key, 0) for key in keys) for keys in scopes]


def _bump(keys: list[str] | None) -> None:
    rows = DataGeneration.objects.all() if keys is None else DataGeneration.objects.filter(key__in=keys)
    if rows.update(value=F("value") + 1) < len(keys or [SHARED]):
        # A counter's first change: create what is missing (rare, so a second query is fine).
        for key in keys or [SHARED]:
            DataGeneration.objects.get_or_create(key=key, defaults={"value": _first_value()})


def _first_value() -> int:
    """Where a new counter starts: at random, far below where a BigInteger sum of counters ends.

    The page cache can outlive its database (a folder every server worker shares, see settings):
    a database made afresh whose counters all started at 1 would meet pages kept for the old
    one's data under the same numbers.
    """
    return secrets.randbelow(2**40) + 1


def _scopes_of(sender, instance) -> list[str]:
    period_model = getattr(settings, "DATA_GENERATION_PERIOD_MODEL", "")
    if period_model and sender is not None and sender._meta.label == period_model:
        return [period_scope(instance.pk)]
    period_pk = getattr(instance, "period_id", None)
    if period_pk is not None:
        return [period_scope(period_pk)]
    return [SHARED]


def _bump_after_commit() -> bool:
    """Whether to move the counters after the change's transaction commits, rather than now.

    Only where a database locks rows: SQLite has one writer for the whole database, held by the
    save's transaction anyway, so a bump inside it makes nobody wait longer, while a bump after
    the commit would queue for that writer a second time. Only inside a transaction that will
    commit: a test case wraps each test in one that is rolled back, never committed (Django
    marks it, and its own `durable` check skips it the same way); there, as in autocommit, the
    change is as good as committed once made, so the counters move at once.
    """
    connection = transaction.get_connection()
    blocks = connection.atomic_blocks
    return connection.features.has_select_for_update and bool(blocks) and not blocks[0]._from_testcase


def generation_bump(sender=None, instance=None, update_fields=None, **_signal_arguments) -> None:
    """Move the counters a change touches, once its transaction commits; without a row (a bulk load), all."""
    if update_fields is not None and set(update_fields) == {"last_login"}:
        # Signing in shows on no summary or report: it must not throw every cached page away.
        return
    keys = None if instance is None else _scopes_of(sender, instance)
    if _bump_after_commit():
        # Robust: the save has committed by then, and a failed bump must not turn it into an error page.
        def generation_bump_after_commit() -> None:
            _bump(keys)

        transaction.on_commit(generation_bump_after_commit, robust=True)
    else:
        _bump(keys)


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

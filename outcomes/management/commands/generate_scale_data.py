"""Benchmarks only: a synthetic plan N times the size of Thurrock's, with 12 periods of history.

`python manage.py generate_scale_data --factor 100` builds 1,200 outcomes and 6,100 criteria
rated in 12 quarters (the last one open with mixed statuses), from a fixed seed so every run
makes the same data. It also creates one officer, one commissioner and one Democratic Services
account with a known password (printed), so a benchmark can sign in through the real form.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.roles import Role
from outcomes.models import Assessment, Outcome, ReportingPeriod, SuccessCriterion
from outcomes.scale import build_synthetic_plan
from plans.models import Plan

# Synthetic benchmark data is public by construction, so its sign-in password can be too.
BENCH_PASSWORD = "bench-only-password-7f3a"  # noqa: S105


class Command(BaseCommand):
    help = "Build a synthetic plan N × Thurrock's size with 12 periods of history (benchmarks only)."

    def add_arguments(self, parser):
        parser.add_argument("--factor", type=int, default=1, help="× 12 outcomes and 61 criteria (default 1)")
        parser.add_argument("--periods", type=int, default=12, help="quarters of history (default 12)")
        parser.add_argument("--seed", type=int, default=2024, help="random seed (default 2024)")
        parser.add_argument("--slug", default=None, help="plan slug (default synthetic-x<factor>)")
        parser.add_argument(
            "--closed", action="store_true", help="publish every period instead of leaving the last open"
        )
        parser.add_argument(
            "--force", action="store_true", help="run even when DEBUG is off (never on a live service)"
        )

    def handle(
        self,
        *args,
        factor: int,
        periods: int,
        seed: int,
        slug: str | None,
        closed: bool,
        force: bool,
        **options,
    ):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Scale data is for benchmarks: DJANGO_DEBUG is off, so this looks like a real service. "
                "Use --force only on a throwaway database."
            )
        if factor < 1 or periods < 1:
            raise CommandError("--factor and --periods must be 1 or more.")
        slug = slug or f"synthetic-x{factor}"
        if Plan.objects.filter(slug=slug).exists():
            raise CommandError(
                f"A plan called {slug} already exists; choose another --slug or a fresh database."
            )
        started = time.perf_counter()
        plan = build_synthetic_plan(
            factor=factor, periods=periods, seed=seed, slug=slug, open_last_period=not closed
        )
        seconds = time.perf_counter() - started
        officer, commissioner, democratic = self._bench_accounts(slug=slug)

        outcomes = Outcome.objects.filter(plan=plan).count()
        criteria = SuccessCriterion.objects.filter(outcome__plan=plan).count()
        assessments = Assessment.objects.filter(period__plan=plan).count()
        latest = ReportingPeriod.objects.filter(plan=plan).order_by("-end").first()
        self.stdout.write(
            f"Built plan {plan.slug}: {outcomes:,} outcomes, {criteria:,} criteria, {periods} periods, "
            f"{assessments:,} assessments in {seconds:.1f} s (seed {seed})."
        )
        self.stdout.write(
            f"Delivery: {plan.milestones.count():,} milestones, {plan.raid_entries.count():,} RAID entries."
        )
        self.stdout.write(f"Latest period: {latest.slug} ({latest.get_state_display().lower()}).")
        self.stdout.write(f"Benchmark accounts (password {BENCH_PASSWORD!r}):")
        self.stdout.write(f"  Officer              {officer.username}")
        self.stdout.write(f"  Commissioner         {commissioner.username}")
        self.stdout.write(f"  Democratic Services  {democratic.username}")

    @transaction.atomic
    def _bench_accounts(self, *, slug: str):
        """The plan's first synthetic officer, plus a commissioner and a Democratic Services user."""
        User = get_user_model()
        officer = User.objects.get(username=f"{slug}-officer-0")
        accounts = [officer]
        for suffix, role in (("commissioner", Role.COMMISSIONER), ("democratic", Role.DEMOCRATIC_SERVICES)):
            user, _ = User.objects.get_or_create(
                username=f"{slug}-{suffix}", defaults={"first_name": role.label, "last_name": "(benchmark)"}
            )
            user.groups.add(Group.objects.get(name=role))
            accounts.append(user)
        for user in accounts:
            user.set_password(BENCH_PASSWORD)
            user.save(update_fields=["password"])
        return accounts

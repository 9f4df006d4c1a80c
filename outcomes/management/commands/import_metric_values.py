"""`import_metric_values PLAN FILE [--dry-run]`: a CSV or Excel file of metric values, all or nothing.

Exits 2, naming each bad line and what is wrong with it, if any row is bad; nothing is changed.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from outcomes.metric_import import ImportRefused, metric_values_import
from plans.models import Plan


class Command(BaseCommand):
    help = "Import metric values (header metric,period,value,target,note) from CSV or XLSX, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("plan", help="the plan's slug")
        parser.add_argument("file", help="a .csv (UTF-8) or .xlsx file")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and report; change nothing"
        )

    def handle(self, *args, plan: str, file: str, dry_run: bool, **options):
        the_plan = Plan.objects.filter(slug=plan).first()
        if the_plan is None:
            raise CommandError(f"There is no plan called “{plan}”.", returncode=2)
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.", returncode=2) from error
        started = time.perf_counter()
        try:
            result = metric_values_import(
                plan=the_plan, data=data, by=None, dry_run=dry_run, source=path.name
            )
        except ImportRefused as refused:
            for error in refused.errors:
                self.stderr.write(str(error))
            raise CommandError(str(refused), returncode=2) from refused
        seconds = time.perf_counter() - started
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            f"{verb} {len(result.rows):,} rows into {the_plan.slug}: {result.created:,} new, "
            f"{result.replaced:,} replacing a stored value, {result.unchanged:,} unchanged ({seconds:.2f} s)."
        )

"""`export_metrics PLAN --format json|csv|xlsx [--output FILE]`: the metric library and its figures."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from outcomes.metric_export import FORMATS, metrics_export
from plans.models import Plan


class Command(BaseCommand):
    help = "Export a plan's metrics and their values, with each value's RAG from its target."

    def add_arguments(self, parser):
        parser.add_argument("plan", help="the plan's slug")
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument("--output", help="file to write (default: standard output; required for xlsx)")

    def handle(self, *args, plan: str, format: str, output: str | None, **options):
        the_plan = Plan.objects.filter(slug=plan).first()
        if the_plan is None:
            raise CommandError(f"There is no plan called “{plan}”.")
        if format == "xlsx" and not output:
            raise CommandError("An Excel export needs --output FILE.")
        content = metrics_export(plan=the_plan, fmt=format)
        if output:
            with open(output, "wb") as handle:
                handle.write(content)
            self.stderr.write(f"Wrote {output}.")
        else:
            self.stdout.write(content.decode(), ending="")

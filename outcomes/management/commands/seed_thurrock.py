"""Loads Thurrock Council's real plan and reports from fixtures/thurrock (safe to re-run)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from outcomes.loading import load_plan_folder


class Command(BaseCommand):
    help = "Load Thurrock's Directions, plans, outcome framework and reports; re-running changes nothing."

    def handle(self, *args, **options):
        report = load_plan_folder(settings.BASE_DIR / "fixtures" / "thurrock")
        for line in report.lines():
            self.stdout.write(line)

"""Loads (or brings up to date) a council's plan data from a folder of JSON files."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from outcomes.loading import PlanDataError, load_plan_folder


class Command(BaseCommand):
    help = "Load a council's plan, Directions, outcome framework and reported periods from FOLDER."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, *args, folder: Path, **options):
        try:
            report = load_plan_folder(folder)
        except PlanDataError as error:
            raise CommandError(str(error)) from None
        for line in report.lines():
            self.stdout.write(line)

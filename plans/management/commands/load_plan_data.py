"""Loads (or brings up to date) a council's plan data from a folder of JSON files."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from outcomes.loading import load_outcome_framework
from plans.loading.plan_data import link_outcomes, load_directions, load_plans
from plans.loading.sync import SyncReport
from reporting.cache import generation_bump


def load_plan_folder(folder: Path) -> SyncReport:
    """plans.json, then outcomes.json, then the links between them; all or nothing."""
    try:
        plans = json.loads((folder / "plans.json").read_text(encoding="utf-8"))
        outcomes_path = folder / "outcomes.json"
        outcomes = json.loads(outcomes_path.read_text(encoding="utf-8")) if outcomes_path.exists() else None
    except FileNotFoundError as error:
        raise CommandError(f"No plan data at {error.filename}.") from None
    except json.JSONDecodeError as error:
        raise CommandError(f"{folder} holds a file that is not valid JSON: {error}.") from None
    report = SyncReport()
    with transaction.atomic():
        load_directions(plans, report=report)
        load_plans(plans, report=report)
        if outcomes is not None:
            load_outcome_framework(outcomes, report=report)
        link_outcomes(plans, report=report)
        if report.changed:
            generation_bump()  # some rows are set in bulk, without signals
    return report


class Command(BaseCommand):
    help = "Load a council's plan, Directions, outcome framework and reported periods from FOLDER."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, *args, folder: Path, **options):
        for line in load_plan_folder(folder).lines():
            self.stdout.write(line)

"""`python manage.py delivery_report irp-2022-12 --as-of 2023-06-30 --format json --output FILE`: offline."""

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from plans.models import Board, Plan
from reporting.delivery import delivery_report_build
from reporting.render.delivery_formats import DELIVERY_FORMATS, UnknownDeliveryFormat, delivery_format

USAGE_ERROR = 2


def _date(value: str, option: str) -> dt.date:
    try:
        date = dt.date.fromisoformat(value)
        if not 1900 <= date.year <= 2999:
            raise ValueError(value)
        return date
    except ValueError:
        raise CommandError(
            f"{option} must be a date from 1900 to 2999 like 2023-06-30, not {value!r}.",
            returncode=USAGE_ERROR,
        ) from None


class Command(BaseCommand):
    help = "Render a plan's delivery exception report, as of a date, for a board or the whole plan."

    def add_arguments(self, parser):
        parser.add_argument("plan", help="The plan's slug, e.g. irp-2022-12.")
        parser.add_argument("--as-of", dest="as_of", required=True, help="The report's date, YYYY-MM-DD.")
        parser.add_argument("--since", help="The previous report's date (default: four weeks earlier).")
        parser.add_argument("--board", help="A board's slug; without it, the whole plan.")
        # Not `choices`: argparse's own message would be several lines; this command's is one.
        parser.add_argument("--format", dest="report_format", required=True, help=", ".join(DELIVERY_FORMATS))
        parser.add_argument("--output", required=True, type=Path, help="The file to write.")

    def handle(self, *args, plan, as_of, since, board, report_format, output, **options):
        try:
            chosen = delivery_format(report_format)
        except UnknownDeliveryFormat as error:
            raise CommandError(str(error), returncode=USAGE_ERROR) from None
        found = Plan.objects.filter(slug=plan).first()
        if found is None:
            raise CommandError(f'No plan is called "{plan}".', returncode=USAGE_ERROR)
        as_of_date = _date(as_of, "--as-of")
        since_date = _date(since, "--since") if since else None
        if since_date and since_date >= as_of_date:
            raise CommandError("--since must be before --as-of.", returncode=USAGE_ERROR)
        chosen_board = None
        if board:
            chosen_board = Board.objects.filter(slug=board).first()
            if chosen_board is None:
                raise CommandError(f'No board is called "{board}".', returncode=USAGE_ERROR)
        report = delivery_report_build(plan=found, as_of=as_of_date, board=chosen_board, since=since_date)
        try:
            output.write_bytes(chosen.render(report))
        except OSError as error:
            raise CommandError(
                f"Could not write {output}: {error.strerror}.", returncode=USAGE_ERROR
            ) from None
        self.stdout.write(
            f"Wrote {report.title} for {found.slug} as of {as_of_date} "
            f"as {chosen.name.upper()} to {output}: "
            f"{len(report.items)} milestones, {len(report.overdue)} overdue, "
            f"{len(report.exceptions)} exceptions."
        )

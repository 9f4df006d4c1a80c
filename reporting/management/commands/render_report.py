"""`python manage.py render_report 2024-25-q3 --format pdf --output report.pdf`: the report, offline."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from outcomes.models import ReportingPeriod
from outcomes.selectors import period_get
from reporting.builder import report_build
from reporting.render import FORMATS, UnknownFormat, report_format

USAGE_ERROR = 2


class Command(BaseCommand):
    help = "Render a period's outcome report as HTML, PDF, Excel or JSON into FILE."

    def add_arguments(self, parser):
        parser.add_argument("period", help="The period's slug, e.g. 2024-25-q3.")
        # Not `choices`: argparse's own message would be several lines; this command's is one.
        parser.add_argument("--format", dest="report_format", required=True, help=", ".join(FORMATS))
        parser.add_argument("--output", required=True, type=Path, help="The file to write.")

    def handle(self, *args, period: str, report_format: str, output: Path, **options):
        try:
            chosen = report_format_or_error(report_format)
            found = period_get(slug=period)
        except ReportingPeriod.DoesNotExist:
            raise CommandError(f'No reporting period is called "{period}".', returncode=USAGE_ERROR) from None
        body = chosen.render(report_build(period=found))
        try:
            output.write_bytes(body)
        except OSError as error:
            raise CommandError(
                f"Could not write {output}: {error.strerror}.", returncode=USAGE_ERROR
            ) from None
        draft = " (DRAFT: the period is not published)" if not found.is_published else ""
        self.stdout.write(f"Wrote {found.title} as {chosen.name.upper()} to {output}{draft}.")


def report_format_or_error(name: str):
    try:
        return report_format(name)
    except UnknownFormat as error:
        raise CommandError(str(error), returncode=USAGE_ERROR) from None

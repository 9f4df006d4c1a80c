"""Prints a period's pre-publication findings; exit status 1 while anything stops publication.

One finding per line, tab-separated: severity, criterion (or "Outcome N"), explanation. An
acknowledged warning is printed as "warning (acknowledged)". `--format json` prints one JSON object.

Exit status: 0 when the period could be published as it stands; 1 when a finding stops it, that is
any blocking finding or any warning not yet acknowledged (publishing is refused in both cases);
2 for an unknown period or format. Safe to run from a scheduled job.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from outcomes.checks import CheckResult, period_check
from outcomes.models import ReportingPeriod


class Command(BaseCommand):
    help = "Run the pre-publication checks on a period; exit 1 if anything stops its publication."

    def add_arguments(self, parser):
        parser.add_argument("period", help="The period's slug, e.g. 2024-25-q3.")
        parser.add_argument("--format", default="text", help="text (default) or json.")

    def handle(self, *args, period: str, format: str, **options):
        if format not in ("text", "json"):
            raise CommandError(f"Unknown format {format!r}: use text or json.", returncode=2)
        found = ReportingPeriod.objects.filter(slug=period).first()
        if found is None:
            raise CommandError(f"No period with the slug {period!r}.", returncode=2)
        result = period_check(period=found)
        if format == "json":
            self.stdout.write(json.dumps(_as_json(result), indent=2, ensure_ascii=False))
        else:
            for finding in result.findings:
                severity = str(finding.severity)
                if result.acknowledgement(finding):
                    severity += " (acknowledged)"
                self.stdout.write(f"{severity}\t{finding.subject}\t{finding.explanation}")
            self.stderr.write(_summary(result))
        if not result.can_publish:
            raise SystemExit(1)


def _summary(result: CheckResult) -> str:
    blocking, waiting = len(result.blocking), len(result.unacknowledged_warnings)
    if not result.findings:
        return f"{result.period_title}: no findings."
    if result.can_publish:
        return f"{result.period_title}: every warning is acknowledged; nothing stops publication."
    return (
        f"{result.period_title}: {blocking} finding{'s' * (blocking != 1)} block publication; "
        f"{waiting} warning{'s' * (waiting != 1)} not yet acknowledged."
    )


def _as_json(result: CheckResult) -> dict:
    findings = []
    for finding in result.findings:
        acknowledgement = result.acknowledgement(finding)
        findings.append(
            {
                "key": finding.key,
                "rule": finding.rule,
                "severity": str(finding.severity),
                "criterion": finding.criterion_reference or None,
                "outcome": finding.outcome_number,
                "related_criterion": finding.related_reference or None,
                "explanation": finding.explanation,
                "fix_url": finding.fix_url,
                "acknowledged": acknowledgement is not None,
                "acknowledgement": {
                    "reason": acknowledgement.reason,
                    "by": acknowledgement.acknowledged_by,
                    "at": acknowledgement.acknowledged_at.isoformat(),
                }
                if acknowledgement
                else None,
            }
        )
    return {
        "period": result.period_slug,
        "checked_at": result.checked_at.isoformat(),
        "can_publish": result.can_publish,
        "blocking": len(result.blocking),
        "unacknowledged_warnings": len(result.unacknowledged_warnings),
        "findings": findings,
    }

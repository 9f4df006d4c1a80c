"""Running the checks on a period: its rows, the rules, and the Programme Office's acknowledgements."""

from __future__ import annotations

from django.utils import timezone

from core.people import display_name
from outcomes.checks.findings import Acknowledgement, CheckResult, FixLinks
from outcomes.checks.rows import period_rows
from outcomes.checks.rules import findings_for
from outcomes.models import CheckAcknowledgement, ReportingPeriod

# Queries `period_check` makes, whatever the size of the plan (asserted at 61 and 6,100 criteria).
CHECK_QUERIES = 6


def acknowledgements_for(*, period: ReportingPeriod) -> dict[str, Acknowledgement]:
    return {
        ack.finding_key: Acknowledgement(
            finding_key=ack.finding_key,
            reason=ack.reason,
            acknowledged_by=display_name(ack.acknowledged_by),
            acknowledged_at=ack.acknowledged_at,
        )
        for ack in CheckAcknowledgement.objects.filter(period=period).select_related("acknowledged_by")
    }


def period_check(*, period: ReportingPeriod) -> CheckResult:
    """Run every check on a period (any state): 6 queries however many criteria it has."""
    rows = period_rows(period=period)
    findings = findings_for(rows, FixLinks.for_period(period))
    return CheckResult(
        period_slug=period.slug,
        period_title=period.title,
        findings=tuple(findings),
        acknowledgements=acknowledgements_for(period=period),
        checked_at=timezone.now(),
    )

"""The evaluation framework's share of a synthetic plan: metrics with targets and values in every
period, and measures with evidence statuses, for every outcome (see `outcomes.scale`)."""

from __future__ import annotations

import random
from decimal import Decimal

from outcomes.models import (
    EvidenceStatus,
    Measure,
    MeasureEvidence,
    Metric,
    MetricFrequency,
    MetricPolarity,
    MetricValue,
    Outcome,
    ReportingPeriod,
)

MEASURES_PER_OUTCOME = 2
UNITS = ("%", "days", "number")


def build_evaluation_data(*, plan, rng: random.Random) -> None:
    outcomes = list(Outcome.objects.filter(plan=plan).order_by("number"))
    periods = list(ReportingPeriod.objects.filter(plan=plan).order_by("end"))
    metrics = Metric.objects.bulk_create(
        [
            Metric(
                plan=plan,
                outcome=outcome,
                code=f"M{outcome.number:05d}",
                name=f"Indicator for outcome {outcome.number}",
                definition="A synthetic figure for load testing.",
                source_system="Synthetic",
                how_obtained="Generated.",
                owner="Performance team",
                frequency=MetricFrequency.QUARTERLY,
                unit=UNITS[outcome.number % len(UNITS)],
                polarity=MetricPolarity.LOWER if outcome.number % 3 == 0 else MetricPolarity.HIGHER,
                tolerance=Decimal("0.1"),
            )
            for outcome in outcomes
        ],
        batch_size=2000,
    )
    values = []
    for metric in metrics:
        target = Decimal(rng.randint(20, 90))
        for period in periods:
            figure = target + Decimal(rng.randint(-15, 15))
            values.append(MetricValue(metric=metric, period=period, value=figure, target=target, note=""))
    MetricValue.objects.bulk_create(values, batch_size=2000)

    measures = Measure.objects.bulk_create(
        [
            Measure(outcome=outcome, number=number, text=f"Measure {number} of outcome {outcome.number}.")
            for outcome in outcomes
            for number in range(1, MEASURES_PER_OUTCOME + 1)
        ],
        batch_size=2000,
    )
    statuses = list(EvidenceStatus.values)
    MeasureEvidence.objects.bulk_create(
        [
            MeasureEvidence(measure=measure, period=period, status=rng.choice(statuses), note="Synthetic.")
            for measure in measures
            for period in periods
        ],
        batch_size=2000,
    )

"""The update-cycle plan of tests/test_officer_updates.py, with an evaluation framework added:
two measures of outcome 1, metrics of both polarities, and values in December (published)."""

from __future__ import annotations

from decimal import Decimal

from outcomes.models import Measure, Metric, MetricPolarity, MetricValue
from tests.scenarios import Cycle


class Evaluation(Cycle):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.measures = {
            number: Measure.objects.create(outcome=self.outcomes[1], number=number, text=f"Measure {number}.")
            for number in (1, 2)
        }
        self.metrics = {
            "GOV-01": Metric.objects.create(
                plan=self.plan,
                outcome=self.outcomes[1],
                code="GOV-01",
                name="Audit actions closed on time",
                unit="%",
                polarity=MetricPolarity.HIGHER,
                tolerance=Decimal("0.1"),
            ),
            "GOV-02": Metric.objects.create(
                plan=self.plan,
                outcome=self.outcomes[1],
                code="GOV-02",
                name="Days to answer a complaint",
                unit="days",
                polarity=MetricPolarity.LOWER,
                tolerance=Decimal("0.2"),
            ),
            "SCR-01": Metric.objects.create(
                plan=self.plan,
                outcome=self.outcomes[2],
                code="SCR-01",
                name="Call-ins",
                polarity=MetricPolarity.HIGHER,
                tolerance=Decimal("0.5"),
            ),
        }
        MetricValue.objects.create(
            metric=self.metrics["GOV-01"], period=self.last, value=Decimal("85"), target=Decimal("90")
        )


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()

"""A metric's trend: its value in each period as a line, its target as a dashed line, each point
labelled with its rating's letter, and the same figures as a table (reporting/charts.py's rules)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape

from core.rag import rag_style
from reporting.charts import FONT, GRID, INK, Chart, ChartTable, _svg

TARGET_INK = "#1d70b8"


def figure(value: Decimal | None) -> str:
    """A figure as people write it: no exponent, no trailing zeros."""
    if value is None:
        return ""
    value = value.normalize()
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    return f"{value:f}"


def metric_trend_chart(*, metric, points: Sequence, chart_id: str | None = None) -> Chart:
    """`points`: outcomes.evaluation_selectors.MetricPoint, oldest first."""
    chart_id = chart_id or f"metric-{metric.pk}"
    unit = f" ({metric.unit})" if metric.unit else ""
    title = f"{metric.code} {metric.name}: value and target in each period"
    if points:
        last = points[-1]
        style = rag_style(last.rag)
        target_text = f"target {figure(last.target)}" if last.target is not None else "no target"
        description = (
            f"Line chart of {len(points)} periods, {points[0].period.short_label} to "
            f"{last.period.short_label}. "
            f"{metric.get_polarity_display()}. In {last.period.short_label} the value was "
            f"{figure(last.value)}{unit}, {target_text}, rated {style.label.lower()}. "
            "The table that follows gives every period's figures."
        )
    else:
        description = "No values have been recorded for this metric yet."
    numbers = [p.value for p in points] + [p.target for p in points if p.target is not None]
    low, high = (min(numbers), max(numbers)) if numbers else (Decimal(0), Decimal(1))
    if low == high:
        low, high = low - 1, high + 1
    pad = (high - low) / 10
    low, high = low - pad, high + pad
    width, left, right, top, plot_height, bottom = 640, 72, 24, 24, 200, 32
    area = width - left - right
    slot = area / max(len(points), 1)

    def x_at(index: int) -> float:
        return left + slot * index + slot / 2

    def y_at(value: Decimal) -> float:
        return top + plot_height - float((value - low) / (high - low)) * plot_height

    body = []
    for step in range(5):
        tick = low + (high - low) * step / 4
        y = y_at(tick)
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}" '
            'stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" fill="{INK}" {FONT}>'
            f"{escape(figure(tick.quantize(Decimal('0.1'))))}</text>"
        )
    # Target: dashed, broken where a period has none.
    run: list[str] = []
    runs: list[list[str]] = []
    for index, point in enumerate(points):
        if point.target is None:
            if run:
                runs.append(run)
            run = []
            continue
        run.append(f"{x_at(index):.1f},{y_at(point.target):.1f}")
    if run:
        runs.append(run)
    for segment in runs:
        if len(segment) == 1:
            x, y = segment[0].split(",")
            segment = [f"{float(x) - slot / 3:.1f},{y}", f"{float(x) + slot / 3:.1f},{y}"]
        body.append(
            f'<polyline points="{" ".join(segment)}" fill="none" stroke="{TARGET_INK}" stroke-width="2" '
            'stroke-dasharray="6 4"><title>Target</title></polyline>'
        )
    if len(points) > 1:
        line = " ".join(f"{x_at(i):.1f},{y_at(p.value):.1f}" for i, p in enumerate(points))
        body.append(f'<polyline points="{line}" fill="none" stroke="{INK}" stroke-width="2"/>')
    for index, point in enumerate(points):
        style = rag_style(point.rag)
        x, y = x_at(index), y_at(point.value)
        target = f", target {figure(point.target)}" if point.target is not None else ", no target"
        body.append(
            f"<g><title>{escape(point.period.short_label)}: {escape(figure(point.value))}{escape(unit)}"
            f"{escape(target)}, {escape(style.label)}</title>"
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="9" fill="#{style.fill_hex}" stroke="{INK}" '
            'stroke-width="1"/>'
            f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle" font-size="11" font-weight="bold" '
            f'fill="#{style.text_hex}" {FONT}>{escape(style.letter)}</text></g>'
            f'<text x="{x:.1f}" y="{top + plot_height + 20}" text-anchor="middle" font-size="13" '
            f'fill="{INK}" {FONT}>{escape(point.period.short_label)}</text>'
        )
    height = top + plot_height + bottom
    svg = _svg(chart_id, title=title, description=description, width=width, height=height, body="".join(body))
    table = ChartTable(
        caption=f"{metric.code}: value, target and rating in each period",
        head=("Period", f"Value{unit}", f"Target{unit}", "Rating"),
        rows=tuple(
            (
                point.period.title,
                (
                    figure(point.value),
                    figure(point.target) if point.target is not None else "No target",
                    f"{rag_style(point.rag).label} ({rag_style(point.rag).letter})",
                ),
                "",
            )
            for point in points
        ),
    )
    legend = tuple(dict.fromkeys(rag_style(point.rag) for point in points))
    return Chart(id=chart_id, title=title, description=description, svg=svg, table=table, legend=legend)

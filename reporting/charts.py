"""Charts drawn on the server as SVG, so a browser and a PDF show the same picture.

Each chart is an `<svg role="img">` named by its `<title>` and described by its `<desc>`,
draws every rating with its letter and a fill pattern as well as its colour (greyscale
print and colour-blind readers can still tell them apart), and carries the same numbers
as a table that the template shows next to it. No JavaScript.

Markup is assembled from strings for speed (a plan can have a thousand outcomes): every
piece of text that comes from data passes through `escape`; numbers are formatted here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.rag import NOT_RATED, RAG_ORDER, RAG_STYLES, RagCounts, RagStyle
from reporting.selectors import OutcomeBar, TrendPoint

FONT = "font-family=\"Arial, 'Helvetica Neue', Helvetica, sans-serif\""
INK = "#0b0c0c"
GRID = "#b1b4b6"


@dataclass(frozen=True)
class ChartTable:
    caption: str
    head: tuple[str, ...]  # column headings, the first over the row headings
    rows: tuple[tuple[str, tuple[str, ...], str], ...]  # (row heading, cells, link or "")


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    svg: SafeString
    table: ChartTable
    legend: tuple[RagStyle, ...] = ()


# --------------------------------------------------------------------------- shared pieces


def _styles(counts_list: Sequence[RagCounts]) -> list[tuple[str, RagStyle]]:
    """Ratings to draw, in report order; "not rated" only when some criterion is."""
    styles = [(rag, RAG_STYLES[rag]) for rag in RAG_ORDER]
    if any(counts.not_rated for counts in counts_list):
        styles.append(("", NOT_RATED))
    return styles


def _pattern_defs(chart_id: str) -> str:
    """Overlays that tell ratings apart without colour: hatching for red, dots for amber.

    Ids carry the chart's id so two charts on one page never share one (the CSS legend
    swatches draw the same hatch and dots)."""
    return (
        "<defs>"
        f'<pattern id="{chart_id}-rag-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        '<rect width="2" height="6" fill="#ffffff" fill-opacity="0.35"/></pattern>'
        f'<pattern id="{chart_id}-rag-dots" width="6" height="6" patternUnits="userSpaceOnUse">'
        f'<circle cx="3" cy="3" r="1.3" fill="{INK}" fill-opacity="0.35"/></pattern>'
        "</defs>"
    )


def _overlay(chart_id: str, style: RagStyle) -> str | None:
    if style.pattern in ("rag-hatch", "rag-dots"):
        return f"url(#{chart_id}-{style.pattern})"
    return None


def _segment(
    chart_id: str, style: RagStyle, *, x: float, y: float, width: float, height: float, label: str, tip: str
) -> str:
    """One coloured, patterned rectangle with its letter (and number when it fits)."""
    if width <= 0 or height <= 0:
        return ""
    parts = [
        f'<g><title>{escape(tip)}</title><rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" '
        f'height="{height:.1f}" fill="#{style.fill_hex}" stroke="#ffffff" stroke-width="1"/>'
    ]
    overlay = _overlay(chart_id, style)
    if overlay:
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" fill="{overlay}"/>'
        )
    text = None
    if width >= 9 * len(label) + 8 and height >= 16:
        text = label
    elif width >= 14 and height >= 16:
        text = style.letter
    if text:
        parts.append(
            f'<text x="{x + width / 2:.1f}" y="{y + height / 2 + 5:.1f}" text-anchor="middle" '
            f'font-size="13" font-weight="bold" fill="#{style.text_hex}" {FONT}>{escape(text)}</text>'
        )
    parts.append("</g>")
    return "".join(parts)


def _svg(chart_id: str, *, title: str, description: str, width: int, height: int, body: str) -> SafeString:
    return mark_safe(  # noqa: S308 - every data-derived string above went through escape()
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="app-chart__svg" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
        f"{_pattern_defs(chart_id)}{body}</svg>"
    )


def _count_cell(counts: RagCounts, rag: str) -> str:
    return f"{counts.of(rag)} ({counts.share(rag)}%)"


# --------------------------------------------------------------------------- charts


def outcome_bars_chart(
    *,
    bars: Sequence[OutcomeBar],
    period_label: str,
    chart_id: str = "outcome-bars",
    href_for: Callable[[OutcomeBar], str] | None = None,
) -> Chart:
    """One horizontal bar per outcome, split into its red, amber and green criteria.

    `href_for` gives each table row a link (e.g. to that outcome's criteria).
    """
    styles = _styles([bar.counts for bar in bars])
    title = f"Ratings of success criteria by outcome, {period_label}"
    totals = RagCounts.sum(bar.counts for bar in bars)
    description = (
        f"Stacked bars for {len(bars)} outcomes. Each bar is one outcome's success criteria: "
        + ", ".join(f"{style.label.lower()} {totals.of(rag)}" for rag, style in styles)
        + " in all. The table that follows gives each outcome's numbers."
    )
    width, row_height, top = 640, 28, 4
    body = _bars_body(chart_id, bars=bars, styles=styles, width=width, row_height=row_height, top=top)
    height = top + max(len(bars), 1) * row_height
    svg = _svg(chart_id, title=title, description=description, width=width, height=height, body=body)
    table = ChartTable(
        caption=f"Number of success criteria by rating and outcome, {period_label}",
        head=("Outcome", *(style.label for _, style in styles), "Total"),
        rows=tuple(
            (
                f"{bar.number}. {bar.title}",
                (*(str(bar.counts.of(rag)) for rag, _ in styles), str(bar.counts.total)),
                href_for(bar) if href_for else "",
            )
            for bar in bars
        ),
    )
    return Chart(
        id=chart_id,
        title=title,
        description=description,
        svg=svg,
        table=table,
        legend=tuple(style for _, style in styles),
    )


def _bars_body(
    chart_id: str,
    *,
    bars: Sequence[OutcomeBar],
    styles: list[tuple[str, RagStyle]],
    width: int,
    row_height: int,
    top: int,
) -> str:
    """The bars' SVG: a label and one segment per rating for each outcome."""
    label_width, right, bar_height = 100, 16, 20
    scale_max = max((bar.counts.total for bar in bars), default=0) or 1
    area = width - label_width - right
    body = []
    for index, bar in enumerate(bars):
        y = top + index * row_height
        body.append(
            f'<text x="{label_width - 8}" y="{y + bar_height / 2 + 5:.1f}" text-anchor="end" '
            f'font-size="14" fill="{INK}" {FONT}>Outcome {bar.number}</text>'
        )
        x = float(label_width)
        for rag, style in styles:
            count = bar.counts.of(rag)
            segment_width = area * count / scale_max
            body.append(
                _segment(
                    chart_id,
                    style,
                    x=x,
                    y=y,
                    width=segment_width,
                    height=bar_height,
                    label=f"{style.letter} {count}",
                    tip=f"Outcome {bar.number}: {style.label} {count} of {bar.counts.total}",
                )
            )
            x += segment_width
    return "".join(body)


def trend_chart(*, points: Sequence[TrendPoint], chart_id: str = "rag-trend") -> Chart:
    """One 100% column per period: the share of criteria rated red, amber and green."""
    styles = _styles([point.counts for point in points])
    title = "Share of success criteria by rating in each period"
    if points:
        first, last = points[0], points[-1]
        description = (
            f"100% stacked columns for {len(points)} periods, {first.period.short_label} to "
            f"{last.period.short_label}. In {last.period.short_label}: "
            + ", ".join(f"{style.label.lower()} {last.counts.share(rag)}%" for rag, style in styles)
            + ". The table that follows gives every period's numbers."
        )
    else:
        description = "No period has any ratings yet."
    width, top, plot_height, bottom = 640, 10, 240, 32
    body = _trend_body(chart_id, points=points, styles=styles, width=width, top=top, plot_height=plot_height)
    height = top + plot_height + bottom
    svg = _svg(chart_id, title=title, description=description, width=width, height=height, body=body)
    table = ChartTable(
        caption="Success criteria by rating in each period: number (share)",
        head=("Period", *(style.label for _, style in styles), "Total"),
        rows=tuple(
            (
                point.period.title,
                (*(_count_cell(point.counts, rag) for rag, _ in styles), str(point.counts.total)),
                "",
            )
            for point in points
        ),
    )
    return Chart(
        id=chart_id,
        title=title,
        description=description,
        svg=svg,
        table=table,
        legend=tuple(style for _, style in styles),
    )


def _trend_body(
    chart_id: str,
    *,
    points: Sequence[TrendPoint],
    styles: list[tuple[str, RagStyle]],
    width: int,
    top: int,
    plot_height: int,
) -> str:
    """The columns' SVG: gridlines, then one stacked column and label per period."""
    left, right = 48, 16
    area = width - left - right
    slot = area / max(len(points), 1)
    column = min(72.0, slot * 0.7)
    body = []
    for tick in (0, 25, 50, 75, 100):
        y = top + plot_height - plot_height * tick / 100
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}" '
            f'stroke-width="1"/><text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="{INK}" {FONT}>{tick}%</text>'
        )
    for index, point in enumerate(points):
        x = left + slot * index + (slot - column) / 2
        y = float(top + plot_height)
        total = point.counts.total
        for rag, style in styles:
            count = point.counts.of(rag)
            segment_height = plot_height * count / total if total else 0
            y -= segment_height
            body.append(
                _segment(
                    chart_id,
                    style,
                    x=x,
                    y=y,
                    width=column,
                    height=segment_height,
                    label=f"{style.letter} {point.counts.share(rag)}%",
                    tip=f"{point.period.short_label}: {style.label} {count} of {total} "
                    f"({point.counts.share(rag)}%)",
                )
            )
        body.append(
            f'<text x="{x + column / 2:.1f}" y="{top + plot_height + 20}" text-anchor="middle" '
            f'font-size="13" fill="{INK}" {FONT}>{escape(point.period.short_label)}</text>'
        )
    return "".join(body)

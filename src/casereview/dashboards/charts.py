"""Charts drawn on the server as SVG (ADR 0059): a horizontal bar chart, one or several series.

A chart is its rows (a label and one number per series); the same rows are the table beside it
(the accessible equivalent) and its CSV. This module only lays out rectangles and text; the
template `dashboards/_chart.html` writes the SVG (role="img", its <title> and <desc>), the table
and the link. No JavaScript, no inline style (the pages' Content-Security-Policy allows neither):
colours are SVG presentation attributes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# GOV.UK colours with at least 3:1 contrast against white (WCAG 1.4.11, non-text contrast).
COLOURS = ("#1d70b8", "#d4351c", "#00703c", "#4c2c92", "#505a5f")

WIDTH = 680
LABEL_WIDTH = 230
VALUE_ROOM = 60
BAR_HEIGHT = 18
BAR_GAP = 4
ROW_GAP = 12
TOP = 8
LEGEND_ROW = 24


@dataclass
class Bar:
    x: int
    y: int
    width: int
    height: int
    colour: str
    value: float | int | str
    text_x: int
    text_y: int
    series: str


@dataclass
class Row:
    label: str
    values: list
    label_y: int = 0
    bars: list[Bar] = field(default_factory=list)

    @property
    def short_label(self) -> str:
        return short(self.label)


@dataclass
class Chart:
    slug: str
    title: str
    description: str
    series: list[str]
    rows: list[Row]
    unit: str = ""  # shown after each value, e.g. "%"
    row_heading: str = ""  # the table's first column, e.g. "Agency"
    empty: str = "Nothing to show."
    height: int = 0
    legend: list[tuple[str, str, int]] = field(default_factory=list)  # (colour, name, y)

    @property
    def header(self) -> list[str]:
        return ["", *self.series]

    def csv_rows(self) -> list[list]:
        return [[row.label, *row.values] for row in self.rows]


def bar_chart(slug: str, title: str, description: str, series: list[str], rows, **options) -> Chart:
    """`rows`: [(label, [value per series])]. Lays the bars out to scale (the largest fills the
    width), every series of a row together, with a legend when there are several series."""
    chart = Chart(
        slug,
        title,
        description,
        list(series),
        [Row(label, list(values)) for label, values in rows],
        **options,
    )
    numbers = [v for row in chart.rows for v in row.values if isinstance(v, int | float)]
    largest = max(numbers, default=0) or 1
    room = WIDTH - LABEL_WIDTH - VALUE_ROOM
    y = TOP
    if len(chart.series) > 1:
        for index, name in enumerate(chart.series):
            chart.legend.append((COLOURS[index % len(COLOURS)], name, y + 13))
            y += LEGEND_ROW
        y += 4
    for row in chart.rows:
        group = len(chart.series) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP
        row.label_y = y + group // 2 + 5
        for index, value in enumerate(row.values):
            number = value if isinstance(value, int | float) else 0
            width = round(room * number / largest) if number > 0 else 0
            top = y + index * (BAR_HEIGHT + BAR_GAP)
            row.bars.append(
                Bar(
                    x=LABEL_WIDTH,
                    y=top,
                    width=max(width, 1 if number else 0),
                    height=BAR_HEIGHT,
                    colour=COLOURS[index % len(COLOURS)],
                    value=value,
                    text_x=LABEL_WIDTH + width + 6,
                    text_y=top + 14,
                    series=chart.series[index],
                )
            )
        y += group + ROW_GAP
    chart.height = y + TOP
    return chart


def short(label: str, limit: int = 32) -> str:
    """A label as the SVG shows it (the table has it in full)."""
    return label if len(label) <= limit else label[: limit - 1] + "…"

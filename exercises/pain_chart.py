"""The pain trend chart, drawn on the server as SVG (no script, no external asset).

The chart is a picture of a data table the page shows beside it; it is marked ``role="img"``
with a title and a description that says what it shows in words, so a screen reader gets
the summary and the table gets the numbers. Lines differ by dash and marker shape as well
as colour, and the zone bands are labelled, so nothing depends on telling colours apart.
"""

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.safestring import SafeString, mark_safe

from exercises.pain import DEFAULT_THRESHOLDS, PAIN_MAX, MonitoringThresholds

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 44, 96, 16, 40
#: Band fills and line colours with at least 3:1 contrast against the white page.
BAND_FILLS = {"safe": "#e6f4ea", "acceptable": "#fff4d6", "high": "#fde7e7"}
BEFORE_COLOUR, AFTER_COLOUR, MORNING_COLOUR = "#1d4ed8", "#7c2d12", "#4b5563"


@dataclass(frozen=True)
class PainPoint:
    """One logged session's pain on the NPRS (0-10): before, after, next morning if given,
    and 48 hours after if she was asked (pain not settled by the next morning, CLINICAL.md
    rule 6) and answered. The 48-hour score is in the data table, not drawn."""

    day: date
    before: int
    after: int
    next_morning: int | None = None
    after_48h: int | None = None


def _x(index: int, count: int) -> float:
    span = WIDTH - LEFT - RIGHT
    return LEFT + (span * index / (count - 1) if count > 1 else span / 2)


def _y(score: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - score / PAIN_MAX)


def _el(parent: ET.Element, tag: str, text: str = "", **attrs: object) -> ET.Element:
    element = ET.SubElement(
        parent, tag, {k.rstrip("_").replace("_", "-"): str(v) for k, v in attrs.items()}
    )
    if text:
        element.text = text
    return element


def pain_chart_svg(
    points: Sequence[PainPoint],
    *,
    thresholds: MonitoringThresholds = DEFAULT_THRESHOLDS,
    chart_id: str = "pain-chart",
) -> SafeString:
    """An inline SVG of pain before and after each session (and next morning), oldest first."""
    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {WIDTH} {HEIGHT}",
            "role": "img",
            "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
            "class": "pain-chart",
        },
    )
    _el(svg, "title", "Pain before and after each session, 0 to 10", id=f"{chart_id}-title")
    _el(svg, "desc", _describe(points), id=f"{chart_id}-desc")
    bands = (
        ("safe", 0, thresholds.safe_max, "Safe"),
        ("acceptable", thresholds.safe_max, thresholds.acceptable_max, "Acceptable"),
        ("high", thresholds.acceptable_max, PAIN_MAX, "Too much"),
    )
    for name, low, high, label in bands:
        top, bottom = _y(high), _y(low)
        _el(
            svg,
            "rect",
            x=LEFT,
            y=top,
            width=WIDTH - LEFT - RIGHT,
            height=bottom - top,
            fill=BAND_FILLS[name],
        )
        _el(
            svg,
            "text",
            label,
            x=WIDTH - RIGHT + 6,
            y=(top + bottom) / 2 + 4,
            font_size=12,
            fill="#1f2937",
        )
    for score in range(0, PAIN_MAX + 1, 2):
        _el(
            svg,
            "text",
            str(score),
            x=LEFT - 8,
            y=_y(score) + 4,
            font_size=12,
            text_anchor="end",
            fill="#1f2937",
        )
    _el(svg, "line", x1=LEFT, y1=_y(0), x2=WIDTH - RIGHT, y2=_y(0), stroke="#1f2937")
    count = len(points)
    if count:
        step = max(1, count // 6)
        for index in sorted({*range(0, count, step), count - 1}):
            _el(
                svg,
                "text",
                points[index].day.strftime("%b %-d"),
                x=_x(index, count),
                y=HEIGHT - BOTTOM + 18,
                font_size=12,
                text_anchor="middle",
                fill="#1f2937",
            )
    series: list[tuple[str, str, str, list[tuple[int, int]]]] = [
        ("before", BEFORE_COLOUR, "6 4", [(i, p.before) for i, p in enumerate(points)]),
        ("after", AFTER_COLOUR, "", [(i, p.after) for i, p in enumerate(points)]),
        (
            "morning",
            MORNING_COLOUR,
            "2 3",
            [(i, p.next_morning) for i, p in enumerate(points) if p.next_morning is not None],
        ),
    ]
    for name, colour, dash, values in series:
        group = _el(svg, "g", class_=f"pain-chart-{name}")
        if len(values) > 1:
            path = " ".join(f"{_x(i, count):.1f},{_y(v):.1f}" for i, v in values)
            attrs = {"stroke_dasharray": dash} if dash else {}
            _el(
                group,
                "polyline",
                points=path,
                fill="none",
                stroke=colour,
                stroke_width=2.5,
                **attrs,
            )
        for i, v in values:
            _marker(group, name, _x(i, count), _y(v), colour)
    legend = _el(svg, "g", class_="pain-chart-legend")
    for row, (label, colour, name) in enumerate(
        (
            ("Before", BEFORE_COLOUR, "before"),
            ("After", AFTER_COLOUR, "after"),
            ("Next morning", MORNING_COLOUR, "morning"),
        )
    ):
        x = LEFT + row * 130
        _marker(legend, name, x + 6, HEIGHT - 8, colour)
        _el(legend, "text", label, x=x + 16, y=HEIGHT - 4, font_size=12, fill="#1f2937")
    return mark_safe(ET.tostring(svg, encoding="unicode"))  # noqa: S308 (built by ElementTree)


def _marker(parent: ET.Element, name: str, x: float, y: float, colour: str) -> None:
    if name == "before":
        _el(parent, "circle", cx=f"{x:.1f}", cy=f"{y:.1f}", r=4.5, fill=colour)
    elif name == "after":
        _el(parent, "rect", x=f"{x - 4.5:.1f}", y=f"{y - 4.5:.1f}", width=9, height=9, fill=colour)
    else:
        d = f"M{x:.1f},{y - 5:.1f} L{x + 5:.1f},{y + 4:.1f} L{x - 5:.1f},{y + 4:.1f} Z"
        _el(parent, "path", d=d, fill=colour)


def _describe(points: Sequence[PainPoint]) -> str:
    if not points:
        return "No sessions logged yet."
    first, last = points[0], points[-1]
    worst = max(points, key=lambda p: max(p.before, p.after))
    return (
        f"{len(points)} sessions from {first.day:%B %-d} to {last.day:%B %-d}. "
        f"Pain after the first session {first.after} of 10, after the latest {last.after} of 10; "
        f"highest {max(worst.before, worst.after)} of 10 on {worst.day:%B %-d}. "
        "The table beside the chart lists every value."
    )

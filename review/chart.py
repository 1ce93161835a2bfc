"""Geometry of a bar chart (conversations per day), drawn as inline SVG by the template."""
from dataclasses import dataclass
from datetime import date
from typing import List, Tuple

WIDTH, HEIGHT, MARGIN_LEFT, MARGIN_BOTTOM = 760, 220, 36, 28


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int


@dataclass
class Chart:
    bars: List[Bar]
    ticks: List[Tuple[float, int]]  # (y, value) of the horizontal grid lines
    labels: List[Tuple[float, str]]  # (x, date) under some bars
    width: int = WIDTH
    height: int = HEIGHT
    left: int = MARGIN_LEFT
    bottom: int = HEIGHT - MARGIN_BOTTOM


def bar_chart(points: List[Tuple[date, int]]) -> Chart:
    plot_width, plot_height = WIDTH - MARGIN_LEFT - 8, HEIGHT - MARGIN_BOTTOM - 10
    top = max([value for _, value in points] + [1])
    step = plot_width / max(len(points), 1)
    width = min(max(step * 0.8, 1), 40)
    bars = [Bar(x=MARGIN_LEFT + i * step + (step - width) / 2, y=HEIGHT - MARGIN_BOTTOM - value / top * plot_height,
                width=width, height=value / top * plot_height,
                label=day.strftime("%d-%m-%Y"), value=value)
            for i, (day, value) in enumerate(points)]
    every = max(1, len(points) // 8)
    labels = [(bar.x + bar.width / 2, day.strftime("%d-%m")) for i, ((day, _), bar) in enumerate(zip(points, bars))
              if i % every == 0]
    ticks = sorted({round(top * f) for f in (0, 0.5, 1)})
    return Chart(bars, [(HEIGHT - MARGIN_BOTTOM - t / top * plot_height, t) for t in ticks], labels)

"""Numbers → drawing coordinates for the dashboard's inline SVG and CSS bars (no chart library, no CDN)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

VERDICTS = ("danger", "caution", "no_signs")
VERDICT_LABELS = {"danger": "危険", "caution": "注意", "no_signs": "目立った特徴なし"}
CHART_HEIGHT = 160


@dataclass(frozen=True)
class Bar:
    """One day's stacked bar: the day, counts by verdict, and (y, height) of each piece in SVG units."""

    day: str
    counts: dict[str, int]
    pieces: tuple[tuple[str, float, float], ...]
    total: int


@dataclass(frozen=True)
class Chart:
    """The daily chart: bars oldest first and the largest day total (the scale)."""

    bars: tuple[Bar, ...]
    peak: int
    height: int = CHART_HEIGHT


def daily_bars(by_day: dict[str, dict[str, int]], today: dt.date, days: int) -> Chart:
    """One bar per day for the last `days` days (days without checks included), stacked by verdict."""
    dates = [(today - dt.timedelta(days=offset)).isoformat() for offset in range(days - 1, -1, -1)]
    peak = max([sum(by_day.get(d, {}).values()) for d in dates] + [1])
    bars = []
    for day in dates:
        counts = {v: int(by_day.get(day, {}).get(v, 0)) for v in VERDICTS}
        y = float(CHART_HEIGHT)
        pieces = []
        for verdict in VERDICTS:
            height = CHART_HEIGHT * counts[verdict] / peak
            y -= height
            pieces.append((verdict, round(y, 2), round(height, 2)))
        bars.append(Bar(day=day, counts=counts, pieces=tuple(pieces), total=sum(counts.values())))
    return Chart(bars=tuple(bars), peak=peak)


BAR_MAX = 80  # percent of the cell: the count stays on the bar's line


def share_rows(rows: list[tuple[str, int]]) -> list[dict[str, object]]:
    """Table rows with a bar width (percent of the cell) proportional to the top row."""
    top = max([n for _, n in rows] + [1])
    return [{"name": name, "count": n, "width": round(BAR_MAX * n / top)} for name, n in rows]

"""Dashboard drawing numbers: every day gets a bar, pieces stack to the day's share of the busiest day."""

from __future__ import annotations

import datetime as dt

from handlers.web.charts import BAR_MAX, CHART_HEIGHT, daily_bars, share_rows


def test_days_without_checks_get_empty_bars_oldest_first() -> None:
    chart = daily_bars({"2026-11-27": {"danger": 2}}, dt.date(2026, 11, 28), 3)
    assert [b.day for b in chart.bars] == ["2026-11-26", "2026-11-27", "2026-11-28"]
    assert [b.total for b in chart.bars] == [0, 2, 0]


def test_the_busiest_day_fills_the_chart_and_pieces_stack_from_the_bottom() -> None:
    chart = daily_bars({"2026-11-28": {"danger": 1, "no_signs": 3}, "2026-11-27": {"caution": 2}},
                       dt.date(2026, 11, 28), 2)
    assert chart.peak == 4
    pieces = {verdict: (y, h) for verdict, y, h in chart.bars[-1].pieces}
    assert pieces["danger"] == (CHART_HEIGHT * 3 / 4, CHART_HEIGHT / 4)
    assert pieces["no_signs"] == (0, CHART_HEIGHT * 3 / 4)
    assert sum(h for _, _, h in chart.bars[0].pieces) == CHART_HEIGHT / 2


def test_share_rows_scale_to_the_top_row() -> None:
    rows = share_rows([("a", 10), ("b", 5)])
    assert [r["width"] for r in rows] == [BAR_MAX, BAR_MAX // 2]
    assert share_rows([]) == []

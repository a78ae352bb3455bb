"""The server-drawn pain chart is well-formed, accessible SVG that shows the values given."""

from datetime import date, timedelta

from defusedxml import ElementTree

from exercises.pain import MonitoringThresholds
from exercises.pain_chart import BOTTOM, HEIGHT, TOP, PainPoint, pain_chart_svg

NS = {"s": "http://www.w3.org/2000/svg"}


def _points(n: int) -> list[PainPoint]:
    start = date(2026, 3, 1)
    return [PainPoint(day=start + timedelta(days=i), before=2, after=3 + i % 3) for i in range(n)]


def test_the_chart_parses_and_names_itself_for_screen_readers() -> None:
    root = ElementTree.fromstring(str(pain_chart_svg(_points(10))))
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"s:title[@id='{title_id}']", NS).text.startswith("Pain before and after")
    desc = root.find(f"s:desc[@id='{desc_id}']", NS).text
    assert "10 sessions from March 1 to March 10" in desc


def test_each_session_gets_a_marker_on_each_line_at_its_score() -> None:
    points = [
        PainPoint(day=date(2026, 3, 1), before=0, after=10, next_morning=5),
        PainPoint(day=date(2026, 3, 2), before=1, after=4),
    ]
    root = ElementTree.fromstring(str(pain_chart_svg(points)))
    after = root.find("s:g[@class='pain-chart-after']", NS)
    ys = [float(r.get("y")) + 4.5 for r in after.findall("s:rect", NS)]
    assert ys[0] == TOP  # 10 of 10 at the top
    before = root.find("s:g[@class='pain-chart-before']", NS)
    assert float(before.findall("s:circle", NS)[0].get("cy")) == HEIGHT - BOTTOM  # 0 at the foot
    assert len(root.find("s:g[@class='pain-chart-morning']", NS).findall("s:path", NS)) == 1


def test_the_zone_bands_follow_the_therapists_settings() -> None:
    svg = str(pain_chart_svg(_points(3), thresholds=MonitoringThresholds(safe_max=3)))
    root = ElementTree.fromstring(svg)
    bands = root.findall("s:rect", NS)
    safe_height = float(bands[0].get("height"))
    assert abs(safe_height - (HEIGHT - TOP - BOTTOM) * 0.3) < 0.01


def test_no_sessions_draws_an_empty_chart_that_says_so() -> None:
    root = ElementTree.fromstring(str(pain_chart_svg([])))
    assert root.find("s:desc", NS).text == "No sessions logged yet."

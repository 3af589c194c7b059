"""The suite's fixtures, in modules by subject (each registered here for every test):

- site_fixtures.py     the fixed build date; the example site and the sites of tests/fixtures/ built once per session;
                       loaded projects and their outputs
- browser_fixtures.py  Chromium, sites served on 127.0.0.1, the reader's page, axe-core, screenshots
- html_fixtures.py     the Nu HTML Checker

Record-level helpers live in recordkit.py (one record site in a temporary folder), injectionkit.py (hostile payloads)
and import_helpers.py (the importer's fixtures).
"""

pytest_plugins = ("site_fixtures", "browser_fixtures", "html_fixtures")

_SPENT = {"browser": 0.0, "other": 0.0}


def pytest_runtest_logreport(report) -> None:
    """Add each test's set-up, run and tear-down time to its part of the suite (browser tests or the rest)."""
    _SPENT["browser" if "browser" in report.keywords else "other"] += report.duration


def pytest_terminal_summary(terminalreporter) -> None:
    """The time of each part, for the suite's targets (issue 14: the non-browser part within 4 minutes on two cores,
    the whole default suite within 8); session fixtures count in the first test that uses them."""
    if sum(_SPENT.values()):
        terminalreporter.write_line(
            f"测试用时：浏览器测试 {_SPENT['browser']:.0f} 秒，其余 {_SPENT['other']:.0f} 秒"
            f"（合计 {sum(_SPENT.values()):.0f} 秒）"
        )

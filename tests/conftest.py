"""The suite's fixtures, in modules by subject (each registered here for every test):

- site_fixtures.py     the fixed build date; the example site and the sites of tests/fixtures/ built once per session;
                       loaded projects and their outputs
- browser_fixtures.py  Chromium, sites served on 127.0.0.1, the reader's page, axe-core, screenshots
- html_fixtures.py     the Nu HTML Checker

Record-level helpers live in recordkit.py (one record site in a temporary folder), injectionkit.py (hostile payloads)
and import_helpers.py (the importer's fixtures).
"""

import time

pytest_plugins = ("site_fixtures", "browser_fixtures", "html_fixtures")

_SPENT = {"browser": 0.0, "other": 0.0}
_CLOCK = {"start": 0.0, "other": 0.0, "browser": 0.0}


def pytest_collection_modifyitems(items) -> None:
    """Browser tests last (a stable sort: the order within each part is kept), so that the wall-clock time at which
    the rest of the suite has finished can be read off one run, also when pytest-xdist spreads it over processes."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


def pytest_sessionstart(session) -> None:
    _CLOCK["start"] = time.monotonic()


def pytest_runtest_logreport(report) -> None:
    """Add each test's set-up, run and tear-down time to its part of the suite (browser tests or the rest), and note
    when the last report of each part arrived."""
    part = "browser" if "browser" in report.keywords else "other"
    _SPENT[part] += report.duration
    _CLOCK[part] = time.monotonic() - _CLOCK["start"]


def pytest_terminal_summary(terminalreporter, config) -> None:
    """The time of each part, for the suite's targets (issue 14: the non-browser part within 4 minutes on two cores,
    the whole default suite within 8). Wall-clock: when the last test of the rest and of the browser tests ended
    (the rest runs first); the sums of the tests' own times count each process's work (session fixtures count in
    the first test that uses them)."""
    if hasattr(config, "workerinput") or not sum(_SPENT.values()):
        return
    workers = getattr(config.option, "numprocesses", None) or 1
    wall = [f"其余测试在第 {_CLOCK['other']:.0f} 秒完成"] if _SPENT["other"] else []
    if _SPENT["browser"]:
        wall.append(f"浏览器测试在第 {_CLOCK['browser']:.0f} 秒完成")
    terminalreporter.write_line(
        f"测试用时（{workers} 个进程）：{'，'.join(wall)}；各测试用时之和：浏览器测试 {_SPENT['browser']:.0f} 秒，"
        f"其余 {_SPENT['other']:.0f} 秒"
    )

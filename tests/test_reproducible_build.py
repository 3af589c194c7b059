"""Two builds of the same content with the same SOURCE_DATE_EPOCH are byte-identical: every page, feed, data file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from site_fixtures import BUILD_EPOCH, EXAMPLE_SITE


def _build(site_dir: Path, *, cwd: Path, hash_seed: str) -> dict[str, bytes]:
    # A separate process per build, each with its own hash seed: set and dict orders that depend on string hashing
    # differ between the two builds, as they would between two real runs. Different working directories and
    # output folders catch paths that leak into the output.
    env = dict(os.environ, SOURCE_DATE_EPOCH=BUILD_EPOCH, PYTHONHASHSEED=hash_seed, NO_MKDOCS_2_WARNING="1")
    command = [
        sys.executable,
        "-m",
        "xuncha_site",
        "build",
        "-f",
        str(EXAMPLE_SITE / "mkdocs.yml"),
        "-d",
        str(site_dir),
    ]
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return {p.relative_to(site_dir).as_posix(): p.read_bytes() for p in sorted(site_dir.rglob("*")) if p.is_file()}


def test_two_builds_of_the_example_site_are_byte_identical(tmp_path: Path) -> None:
    first = _build(tmp_path / "one" / "site", cwd=EXAMPLE_SITE, hash_seed="1")
    (tmp_path / "elsewhere").mkdir()
    second = _build(tmp_path / "two" / "public", cwd=tmp_path / "elsewhere", hash_seed="2")
    assert sorted(first) == sorted(second)
    differing = [path for path in first if first[path] != second[path]]
    assert differing == []
    assert "index.html" in first and len(first) > 50

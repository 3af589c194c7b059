"""HTML validity: the Nu HTML Checker (the W3C validator) from its npm package vnu-jar, installed into .cache/vnu on
first use like axe-core, run with the machine's Java.

Registered for the whole suite by ``pytest_plugins`` in conftest.py.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from site_fixtures import npm_package

VNU_VERSION = "26.9.27"  # pinned, as axe-core: a new checker may add rules


@pytest.fixture(scope="session")
def vnu_jar() -> Path:
    """The checker's jar, installed once from the npm registry with npm; Java must be installed (default-jre-headless)."""
    package = npm_package("vnu-jar", VNU_VERSION)
    assert shutil.which("java"), "需要 Java 来运行 Nu HTML Checker（Debian：apt-get install default-jre-headless）"
    return package / "build" / "dist" / "vnu.jar"


@pytest.fixture(scope="session")
def validate_html(vnu_jar: Path):
    """validate_html(paths) → the checker's messages on those files: [{"file", "type", "message", "extract"}]
    (type "error", or "info" with subType "warning")."""

    def validate(paths: list[Path]) -> list[dict]:
        # The checker guesses each page's language from a random sample of its text (the open-data page, with its
        # field names, was once taken for English): a fixed seed gives the same verdict on the same page every run.
        seed = "-Dnu.validator.checker.langDetectionSeed=20261203"
        command = ["java", "-Xss1024k", seed, "-jar", str(vnu_jar), "--format", "json", "--stdout", *map(str, paths)]
        result = subprocess.run(command, capture_output=True, text=True)
        messages = json.loads(result.stdout)["messages"]
        return [
            {
                "file": urlsplit(m.get("url", "")).path,
                "type": m.get("subType", m["type"]) if m["type"] == "info" else m["type"],
                "message": m.get("message", ""),
                "extract": m.get("extract", ""),
            }
            for m in messages
        ]

    return validate

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
from site_fixtures import EXAMPLE_SITE

VNU_VERSION = "26.9.27"  # pinned, as axe-core: a new checker may add rules
VNU_DIR = EXAMPLE_SITE / ".cache" / "vnu"


@pytest.fixture(scope="session")
def vnu_jar() -> Path:
    """The checker's jar, installed once from the npm registry with npm; Java must be installed (default-jre-headless)."""
    package = VNU_DIR / "node_modules" / "vnu-jar"
    manifest = package / "package.json"
    if not manifest.is_file() or json.loads(manifest.read_text(encoding="utf-8"))["version"] != VNU_VERSION:
        npm = shutil.which("npm")
        assert npm, "需要 npm 来安装 vnu-jar（见 scripts/test.sh）"
        command = [npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(VNU_DIR)]
        result = subprocess.run([*command, f"vnu-jar@{VNU_VERSION}"], capture_output=True, text=True)
        assert result.returncode == 0, f"npm 安装 vnu-jar 失败：\n{result.stderr}"
    assert shutil.which("java"), "需要 Java 来运行 Nu HTML Checker（Debian：apt-get install default-jre-headless）"
    return package / "build" / "dist" / "vnu.jar"


@pytest.fixture(scope="session")
def validate_html(vnu_jar: Path):
    """validate_html(paths) → the checker's messages on those files: [{"file", "type", "message", "extract"}]
    (type "error", or "info" with subType "warning")."""

    def validate(paths: list[Path]) -> list[dict]:
        command = ["java", "-Xss1024k", "-jar", str(vnu_jar), "--format", "json", "--stdout", *map(str, paths)]
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

"""The README's two commands on a fresh machine, and scripts/setup.sh's choices (marker ``setup``, run by .ci/run).

The fresh machine is this one seen as a stock Debian would be: a clean clone of the repository's HEAD, a PATH without
pyenv or any virtual environment, so that ``python3`` is Debian's /usr/bin/python3 (externally managed, PEP 668).
The commands are read from the README itself, so that the test runs what a reader types. How setup.sh handles a
Debian Python without python3-venv is tested with stand-ins for ``python3``, ``apt-get`` and ``id`` on a tiny project.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.setup

ROOT = Path(__file__).resolve().parent.parent
DEBIAN_PYTHON = Path("/usr/bin/python3")
STOCK_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def stock_env(**extra: str) -> dict[str, str]:
    """The environment of a login shell on a stock Debian: no pyenv, no virtual environment, no Python variables."""
    dropped = ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "XUNCHA_ENGINE")
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYENV") and key not in dropped}
    return {**env, "PATH": STOCK_PATH, **extra}


def readme_commands() -> list[str]:
    """The commands of the README's "两条命令" block, comments dropped."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## 两条命令\n.*?```bash\n(.*?)```", text, re.S)
    assert block, "README.md has no bash block under 两条命令"
    commands = [line.strip() for line in block[1].splitlines() if line.strip() and not line.strip().startswith("#")]
    assert len(commands) == 2, commands
    return commands


def run(command: str, cwd: Path, env: dict[str, str], timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.fixture(scope="module")
def fresh_clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    assert DEBIAN_PYTHON.is_file(), "这个测试需要 Debian 的 /usr/bin/python3"
    clone = tmp_path_factory.mktemp("fresh") / "xuncha-site"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, timeout=120)
    return clone


def test_debians_python_is_the_one_a_stock_path_finds(fresh_clone: Path) -> None:
    found = subprocess.run(["bash", "-c", "command -v python3"], env=stock_env(), capture_output=True, text=True)
    assert Path(found.stdout.strip()).resolve() == DEBIAN_PYTHON.resolve()


def test_readme_build_command_builds_the_example_with_debians_python(fresh_clone: Path) -> None:
    build = readme_commands()[0]
    done = run(build, fresh_clone, stock_env(), timeout=1200)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "站点已构建到" in done.stderr
    page = (fresh_clone / "site" / "index.html").read_text(encoding="utf-8")
    assert "青岚市纪委监委" in page
    # The environment is the project's own, made by Debian's interpreter.
    config = (fresh_clone / ".venv" / "pyvenv.cfg").read_text(encoding="utf-8")
    assert re.search(r"^home = /usr/bin$", config, re.M), config
    assert (fresh_clone / ".venv" / ".xuncha-setup").is_file()


def test_readme_build_command_reuses_the_environment(fresh_clone: Path) -> None:
    build = readme_commands()[0]
    assert (fresh_clone / ".venv").is_dir(), "runs after the first build"
    python = fresh_clone / ".venv" / "bin" / "python"
    made = python.lstat().st_mtime_ns
    started = time.monotonic()
    done = run(build, fresh_clone, stock_env(), timeout=600)
    assert done.returncode == 0, done.stderr
    assert "建立虚拟环境" not in done.stderr and "正在安装" not in done.stderr, done.stderr
    assert python.lstat().st_mtime_ns == made
    assert time.monotonic() - started < 120  # a build of the example, no install


def test_readme_test_command_runs_the_whole_suite_with_debians_python(fresh_clone: Path) -> None:
    test = readme_commands()[1]
    done = run(test, fresh_clone, stock_env(), timeout=3600)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-6000:]
    summary = re.search(r"^=*\s*(\d+) passed.*$", output, re.M)
    assert summary and int(summary[1]) > 500, output[-3000:]
    assert " failed" not in summary[0] and " error" not in summary[0], summary[0]


# --- setup.sh on a tiny project, with stand-ins for the system's commands ---

TINY_PYPROJECT = """\
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "xuncha-site"
version = "0"

[tool.setuptools]
packages = ["xuncha_site"]
"""

# Debian's python3 before python3-venv is installed: no ensurepip, until the stand-in apt-get has "installed" it.
PYTHON_STUB = f"""\
#!/bin/sh
if [ ! -e "$STUBS/installed" ]; then
  for arg in "$@"; do
    case "$arg" in *ensurepip*) echo "ModuleNotFoundError: No module named 'ensurepip'" >&2; exit 1 ;; esac
  done
fi
exec {DEBIAN_PYTHON} "$@"
"""
APT_STUB = """\
#!/bin/sh
echo "$*" >>"$STUBS/apt.log"
case "$*" in *install*) : >"$STUBS/installed" ;; esac
"""
ID_STUB = """\
#!/bin/sh
[ "$1" = "-u" ] && echo "$STUB_UID" && exit 0
exec /usr/bin/id "$@"
"""


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A project with the real setup script, a package of one empty module and stand-ins in ``stubs/``."""
    project = tmp_path / "project"
    (project / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "setup.sh", project / "scripts" / "setup.sh")
    (project / "pyproject.toml").write_text(TINY_PYPROJECT, encoding="utf-8")
    (project / "xuncha_site").mkdir()
    (project / "xuncha_site" / "__init__.py").write_text("", encoding="utf-8")
    stubs = tmp_path / "stubs"
    stubs.mkdir()
    for name, text in (("python3", PYTHON_STUB), ("apt-get", APT_STUB), ("id", ID_STUB)):
        (stubs / name).write_text(text, encoding="utf-8")
        (stubs / name).chmod(0o755)
    return project


def setup_env(project: Path, uid: int = 0) -> dict[str, str]:
    stubs = project.parent / "stubs"
    return stock_env(PATH=f"{stubs}:{STOCK_PATH}", STUBS=str(stubs), STUB_UID=str(uid))


def test_debian_python_without_venv_gets_python3_venv_when_root(tiny: Path) -> None:
    done = run("bash scripts/setup.sh", tiny, setup_env(tiny, uid=0), timeout=600)
    assert done.returncode == 0, done.stderr
    apt = (tiny.parent / "stubs" / "apt.log").read_text(encoding="utf-8").splitlines()
    assert apt[0].startswith("update") and apt[1] == "install -y -qq python3-venv", apt
    assert "正在安装 Debian 软件包 python3-venv" in done.stderr
    assert (tiny / ".venv" / "bin" / "python").is_file()
    imported = subprocess.run(
        [str(tiny / ".venv" / "bin" / "python"), "-I", "-c", "import xuncha_site; print(xuncha_site.__file__)"],
        cwd=tiny.parent,
        capture_output=True,
        text=True,
        check=True,
    )
    assert imported.stdout.startswith(str(tiny))


def test_debian_python_without_venv_tells_a_user_how_to_get_it(tiny: Path) -> None:
    done = run("bash scripts/setup.sh", tiny, setup_env(tiny, uid=1000), timeout=60)
    assert done.returncode == 2
    assert "sudo apt install python3-venv" in done.stderr, done.stderr
    assert not (tiny / ".venv").exists()
    assert not (tiny.parent / "stubs" / "apt.log").exists()


def test_a_second_run_installs_nothing(tiny: Path) -> None:
    (tiny.parent / "stubs" / "installed").touch()
    first = run("bash scripts/setup.sh", tiny, setup_env(tiny), timeout=600)
    assert first.returncode == 0, first.stderr
    started = time.monotonic()
    second = run("bash scripts/setup.sh", tiny, setup_env(tiny), timeout=60)
    assert second.returncode == 0 and second.stderr == "", second.stderr
    assert time.monotonic() - started < 5
    # A changed pyproject.toml is installed again.
    (tiny / "pyproject.toml").write_text(TINY_PYPROJECT.replace('version = "0"', 'version = "1"'), encoding="utf-8")
    third = run("bash scripts/setup.sh", tiny, setup_env(tiny), timeout=600)
    assert third.returncode == 0 and "正在安装 xuncha-site" in third.stderr, third.stderr


def test_a_venv_it_made_that_no_longer_works_is_made_anew(tiny: Path) -> None:
    (tiny.parent / "stubs" / "installed").touch()
    assert run("bash scripts/setup.sh", tiny, setup_env(tiny), timeout=600).returncode == 0
    python = tiny / ".venv" / "bin" / "python"
    python.unlink()
    python.symlink_to(tiny / "removed-interpreter")  # as when a pyenv version is uninstalled
    done = run("bash scripts/setup.sh", tiny, setup_env(tiny), timeout=600)
    assert done.returncode == 0, done.stderr
    assert "已不可用" in done.stderr
    assert python.resolve().exists()


def test_a_broken_venv_it_did_not_make_is_left_alone(tiny: Path) -> None:
    venv = tiny / ".venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "notes.txt").write_text("mine", encoding="utf-8")
    done = run("bash scripts/setup.sh", tiny, setup_env(tiny), timeout=60)
    assert done.returncode == 2
    assert "不是本脚本建立的" in done.stderr, done.stderr
    assert (venv / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_a_python_older_than_3_10_is_refused_in_chinese(tiny: Path) -> None:
    stub = tiny.parent / "stubs" / "old-python"
    stub.write_text(
        "#!/bin/sh\n"
        'case "$*" in *version_info*\\<*) exit 1 ;; *python_version*) echo 3.9.2; exit 0 ;; esac\n'
        f'exec {DEBIAN_PYTHON} "$@"\n',
        encoding="utf-8",
    )
    stub.chmod(0o755)
    done = run("bash scripts/setup.sh", tiny, {**setup_env(tiny), "PYTHON": str(stub)}, timeout=60)
    assert done.returncode == 2
    assert "需要 Python 3.10 或更高版本" in done.stderr and "3.9.2" in done.stderr, done.stderr
    assert not (tiny / ".venv").exists()

#!/usr/bin/env bash
# Create (or reuse) the project's virtual environment .venv/ and install xuncha-site into it, editable.
#
#   bash scripts/setup.sh          the package and what it needs to build a site
#   bash scripts/setup.sh --test   also the test dependencies (scripts/test.sh does this)
#
# Run by scripts/xuncha.sh and scripts/test.sh. Why a venv: Debian's Python is "externally managed" (PEP 668), so
# `pip install` outside a venv is refused there; a venv works the same with Debian's, a pyenv or a CI interpreter.
# The interpreter is $PYTHON when set, else `python3` on PATH. When it lacks venv/ensurepip (Debian without
# python3-venv) and we are root, Debian's package is installed; otherwise the user is told how, in Chinese.
# An existing .venv is reused; one this script made (marked by .venv/.xuncha-setup) is made anew when it no longer
# works (its interpreter was removed, or the repository was moved). pip runs only when pyproject.toml or the wanted
# extras changed since the last install (.venv/.xuncha-installed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

_xc_extras=""
for _xc_arg in "$@"; do
  case "$_xc_arg" in
    --test) _xc_extras="[test]" ;;
    *) echo "setup.sh：无法识别的参数 $_xc_arg（只接受 --test）" >&2; exit 2 ;;
  esac
done

_xc_fail() {
  echo "环境准备失败：$*" >&2
  exit 2
}

_xc_venv_works() {
  # The venv's interpreter runs, and its scripts point at it here (not at a place the repository was moved from).
  [ -x .venv/bin/python ] && .venv/bin/python -c "" 2>/dev/null || return 1
  [ ! -f .venv/bin/activate ] || grep -qF "$PWD/.venv" .venv/bin/activate
}

_xc_python() {
  # Prints the interpreter that makes the venv, after making sure it can (installing python3-venv where we may).
  local py="${PYTHON:-python3}"
  command -v "$py" >/dev/null 2>&1 \
    || _xc_fail "找不到 $py：请先安装 Python 3.10 或更高版本（Debian/Ubuntu：sudo apt install python3 python3-venv），或用 PYTHON=解释器路径 指定"
  "$py" -c "" >/dev/null 2>&1 || _xc_fail "$py 无法运行（pyenv 未选定版本时可运行 pyenv local 3.11 或用 PYTHON=/usr/bin/python3 指定）"
  "$py" -c "import sys; sys.exit(sys.version_info < (3, 10))" \
    || _xc_fail "需要 Python 3.10 或更高版本，$py 是 $("$py" -c 'import platform; print(platform.python_version())')；可用 PYTHON=解释器路径 指定另一个"
  if ! "$py" -c "import venv, ensurepip" >/dev/null 2>&1; then
    local version base package
    version="$("$py" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
    base="$("$py" -c 'import sys; print(sys.base_prefix)')"
    if [ "$base" != "/usr" ] || ! command -v apt-get >/dev/null 2>&1; then
      _xc_fail "$py 缺少 venv 或 ensurepip 模块，无法建立虚拟环境：请为它安装 venv 支持，或用 PYTHON=解释器路径 指定另一个 Python"
    fi
    # Debian ships ensurepip in python3.X-venv; python3-venv brings the one of the default python3.
    package="python$version-venv"
    if [ "$("$py" -c 'import os, sys; print(os.path.realpath(sys.executable))')" = "$(realpath /usr/bin/python3 2>/dev/null)" ]; then
      package=python3-venv
    fi
    if [ "$(id -u)" != "0" ]; then
      _xc_fail "Debian 的 Python 需要 $package 才能建立虚拟环境：请运行 sudo apt install $package（或以 root 身份重新运行本命令，将自动安装）"
    fi
    echo "正在安装 Debian 软件包 $package（建立虚拟环境需要）…" >&2
    apt-get update -qq >&2 || _xc_fail "apt-get update 失败，请检查软件源后重试"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null \
      || _xc_fail "无法安装 $package，请手动运行 apt install $package"
    "$py" -c "import venv, ensurepip" >/dev/null 2>&1 || _xc_fail "已安装 $package，但 $py 仍缺少 ensurepip"
  fi
  echo "$py"
}

if [ -e .venv ] && ! _xc_venv_works; then
  if [ -e .venv/.xuncha-setup ]; then
    echo "虚拟环境 .venv/ 已不可用（解释器已删除或仓库已移动），正在重新建立…" >&2
    rm -rf .venv
  else
    _xc_fail ".venv/ 已存在但不可用，且不是本脚本建立的，未改动它：请删除或改名后重新运行"
  fi
fi

if [ ! -e .venv ]; then
  _xc_py="$(_xc_python)"
  echo "正在用 $(command -v "$_xc_py")（Python $("$_xc_py" -c 'import platform; print(platform.python_version())')）建立虚拟环境 .venv/ …" >&2
  if ! "$_xc_py" -m venv .venv >&2; then
    rm -rf .venv  # made just now by the failed command
    _xc_fail "无法建立虚拟环境 .venv/（见上面的信息）"
  fi
  : >.venv/.xuncha-setup
fi

_xc_stamp="$( { cat pyproject.toml; echo "extras=$_xc_extras"; .venv/bin/python -VV; } | sha256sum | cut -d' ' -f1)"
_xc_installed() {
  # The install matches pyproject.toml and the extras, and the installed package is this repository's (-I: not the
  # one beside the current directory).
  [ -f .venv/.xuncha-installed ] && grep -qx "$_xc_stamp" .venv/.xuncha-installed || return 1
  [ "$(.venv/bin/python -I -c 'import pathlib, xuncha_site; print(pathlib.Path(xuncha_site.__file__).resolve().parent.parent)' 2>/dev/null)" = "$(pwd -P)" ]
}
if ! _xc_installed; then
  # A test install also satisfies a plain one: keep the test extras once they are there.
  if [ -z "$_xc_extras" ] && [ -f .venv/.xuncha-installed ] && grep -q "extras=\[test\]" .venv/.xuncha-installed; then
    _xc_extras="[test]"
    _xc_stamp="$( { cat pyproject.toml; echo "extras=$_xc_extras"; .venv/bin/python -VV; } | sha256sum | cut -d' ' -f1)"
  fi
  if ! _xc_installed; then
    echo "正在安装 xuncha-site${_xc_extras:+ 及测试依赖}到 .venv/（首次需几分钟）…" >&2
    # pip's own output goes to a log, shown only when it fails.
    if ! .venv/bin/python -m pip install --disable-pip-version-check --progress-bar off -e ".$_xc_extras" \
      >.venv/pip.log 2>&1; then
      grep -v "^WARNING: Location 'file:" .venv/pip.log | tail -n 25 >&2
      _xc_fail "pip 安装失败（以上是 pip 的最后几行，全文见 .venv/pip.log）；问题解决后重新运行即可"
    fi
    { echo "$_xc_stamp"; echo "extras=$_xc_extras"; } >.venv/.xuncha-installed
  fi
fi

# pip compiles the packages it installs, but not an editable one: compiled here (only what changed since), so that
# no run compiles the package again where Python is told not to write bytecode (PYTHONDONTWRITEBYTECODE).
.venv/bin/python -m compileall -q xuncha_site >/dev/null 2>&1 || true

"""The ``xuncha`` command. Messages in Chinese; exit status 0 success, 1 content errors, 2 usage or setup errors."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from xuncha_site import __version__
from xuncha_site.commands.console import EXIT_INTERRUPTED, EXIT_USAGE
from xuncha_site.core.model import STAGES
from xuncha_site.core.routes import DATA_FILES

# The engines that can build the site (docs/平台.md): MkDocs 1.6 and ProperDocs, its maintained fork.
ENGINES = ("mkdocs", "properdocs")
ENGINE_VARIABLE = "XUNCHA_ENGINE"


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, prefix="用法：")


class _Parser(argparse.ArgumentParser):
    """argparse with Chinese section titles and error messages."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self.prog = self.prog.replace("用法：", "").strip()
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示帮助并退出")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}：命令用法错误：{_translate(message)}\n")


_ARGPARSE_PHRASES = {
    "the following arguments are required": "缺少参数",
    "unrecognized arguments": "无法识别的参数",
    "invalid choice": "无效的选项",
    "expected one argument": "需要一个值",
    "expected at least one argument": "至少需要一个值",
    "choose from": "可选",
    "ambiguous option": "选项不明确",
    "could match": "可能是",
    "not allowed with argument": "不能与此参数同用",
    "argument": "参数",
}


def _translate(message: str) -> str:
    for phrase, chinese in _ARGPARSE_PHRASES.items():
        message = message.replace(phrase, chinese)
    return message


def _add_config(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-f", "--config-file", default="mkdocs.yml", metavar="文件", help="站点配置文件（默认当前目录的 mkdocs.yml）"
    )


def _add_engine(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--engine",
        choices=ENGINES,
        default=None,
        help=f"生成引擎：mkdocs（默认）或 properdocs（MkDocs 1.6 的维护分支，结果相同）；也可设环境变量 {ENGINE_VARIABLE}",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="xuncha", description="巡察整改进展情况通报站点工具：检查记录、导出开放数据、构建和预览站点。"
    )
    parser.add_argument("--version", action="version", version=f"xuncha-site {__version__}", help="显示版本")
    commands = parser.add_subparsers(dest="command", title="命令", metavar="命令", parser_class=_Parser)

    check = commands.add_parser(
        "check", help="检查全部记录，列出所有错误和警告", description="检查 content/ 下的全部记录。"
    )
    _add_config(check)
    check.add_argument("--strict", action="store_true", help="警告也视为失败")
    check.set_defaults(run=_lazy("check", "cmd_check"))

    export = commands.add_parser("export", help="把已发布的通报导出为 JSON 或 CSV（写到标准输出）")
    _add_config(export)
    export.add_argument("--format", choices=tuple(DATA_FILES), default="json", help="输出格式（默认 json）")
    export.add_argument("--base-url", default=None, help="通报网址的前缀（默认取 mkdocs.yml 的 site_url）")
    export.set_defaults(run=_lazy("export", "cmd_export"))

    report = commands.add_parser("report", help="统计报表（写到标准输出）：disclosure 各单位公开及时性")
    _add_config(report)
    report.add_argument("report", choices=("disclosure",), metavar="报表", help="报表名称：disclosure（公开及时性）")
    report.add_argument(
        "--format", choices=("text", "csv"), default="text", help="输出格式（默认 text；csv 同 data/disclosure.csv）"
    )
    report.add_argument("--base-url", default=None, help="网址的前缀（默认取 mkdocs.yml 的 site_url）")
    report.set_defaults(run=_lazy("report", "cmd_report"))

    new = commands.add_parser("new", help="新建巡察轮次或通报（草稿）")
    kinds = new.add_subparsers(dest="kind", title="类型", metavar="类型", parser_class=_Parser, required=True)
    new_notice = kinds.add_parser("notice", help="新建一篇通报草稿")
    _add_config(new_notice)
    new_notice.add_argument(
        "--round", required=True, metavar="轮次编号", help="所属巡察轮次（content/rounds/ 下的文件名）"
    )
    new_notice.add_argument("--unit", required=True, metavar="单位", help="被巡察单位名称")
    new_notice.add_argument("--stage", default="进展", choices=STAGES, help="整改阶段（默认 进展）")
    new_notice.add_argument("--force", action="store_true", help="覆盖已有文件")
    new_notice.set_defaults(run=_lazy("new", "cmd_new_notice"))
    new_round = kinds.add_parser("round", help="新建一个巡察轮次")
    _add_config(new_round)
    new_round.add_argument("id", metavar="轮次编号", help="小写字母、数字和连字符，如 2027-r1")
    new_round.add_argument("--name", default=None, metavar="名称", help="轮次名称，如 十一届市委第九轮巡察")
    new_round.add_argument("--year", required=True, type=int, metavar="年度", help="巡察年度，如 2027")
    new_round.add_argument(
        "--committee", required=True, metavar="党委", help="派出巡察组的党委，如 中共青岚市委（写入轮次文件）"
    )
    new_round.add_argument("--force", action="store_true", help="覆盖已有文件")
    new_round.set_defaults(run=_lazy("new", "cmd_new_round"))

    build = commands.add_parser("build", help="检查并构建站点（失败时保留原有站点不变）")
    _add_config(build)
    build.add_argument(
        "-d", "--site-dir", default=None, metavar="目录", help="输出目录（默认取 mkdocs.yml 的 site_dir）"
    )
    build.add_argument("--strict", action="store_true", help="警告也视为失败")
    _add_engine(build)
    build.set_defaults(run=_lazy("build", "cmd_build"))

    serve = commands.add_parser("serve", help="本地预览站点，修改后自动刷新")
    _add_config(serve)
    serve.add_argument("-a", "--dev-addr", default=None, metavar="地址:端口", help="监听地址（默认 127.0.0.1:8000）")
    _add_engine(serve)
    serve.set_defaults(run=_lazy("serve", "cmd_serve"))

    importer = commands.add_parser("import", help="把收到的通报文件（.txt/.docx/.html）转成通报记录")
    _add_config(importer)
    importer.add_argument("files", nargs="+", metavar="文件", help="要导入的文件")
    importer.add_argument("--round", default=None, metavar="轮次编号", help="通报所属的巡察轮次")
    importer.add_argument("--force", action="store_true", help="覆盖已有的记录")
    importer.add_argument("--dry-run", action="store_true", help="只显示生成的记录，不写文件")
    importer.set_defaults(run=_lazy("import_notices", "cmd_import"))

    approve = commands.add_parser("approve", help="记录通报公开文本已经批准（写入 approval：批准人、日期、文本指纹）")
    _add_config(approve)
    approve.add_argument("files", nargs="+", metavar="文件", help="要批准的通报记录")
    approve.add_argument("--by", required=True, metavar="姓名或职务", help="批准人")
    approve.add_argument("--date", default=None, metavar="日期", help="批准日期（默认今天），如 2024-03-18")
    approve.set_defaults(run=_lazy("approve", "cmd_approve"))

    review = commands.add_parser(
        "review", help="发布前审核单：批准状态、隐私与保密、规范表述、发布时间、不予公开情形的核对清单"
    )
    _add_config(review)
    review.add_argument("files", nargs="*", metavar="文件", help="只列这些通报（默认全部待发布和已发布的通报）")
    review.add_argument("--format", choices=("text", "csv"), default="text", help="输出格式（默认 text；csv 供存档）")
    review.set_defaults(run=_lazy("review", "cmd_review"))
    return parser


def _lazy(module: str, function: str) -> Callable[[argparse.Namespace], int]:
    """Import a command's module only when it runs, so that `xuncha check` starts fast."""

    def run(args: argparse.Namespace) -> int:
        import importlib

        command: Callable[[argparse.Namespace], int] = getattr(
            importlib.import_module(f"xuncha_site.commands.{module}"), function
        )
        return command(args)

    return run


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    if hasattr(args, "engine") and not use_engine(args):
        return EXIT_USAGE
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("\nxuncha：已中断", file=sys.stderr)
        return EXIT_INTERRUPTED


def use_engine(args: argparse.Namespace) -> bool:
    """Settle ``args.engine`` (the option, else $XUNCHA_ENGINE, else mkdocs) and load it; False after saying why not.

    ProperDocs builds with the same plugins, themes and ``mkdocs.yml`` by making every later ``import mkdocs…`` in
    this process load its own module of that name (``properdocs.replacement``), which is also how its own command
    runs MkDocs plugins and Material. This must happen before anything imports ``mkdocs``: the commands that build
    import it only when they run.
    """
    engine = args.engine or os.environ.get(ENGINE_VARIABLE) or "mkdocs"
    if engine not in ENGINES:
        print(f"xuncha：环境变量 {ENGINE_VARIABLE} 的值“{engine}”无效：应为 mkdocs 或 properdocs", file=sys.stderr)
        return False
    if engine == "properdocs":
        if "mkdocs" in sys.modules and sys.modules["mkdocs"].__name__ != "properdocs":
            print("xuncha：本进程已载入 MkDocs，无法再改用 ProperDocs", file=sys.stderr)
            return False
        try:
            import properdocs.replacement  # noqa: F401
        except ImportError:
            print(
                "xuncha：未安装 ProperDocs：请运行 bash scripts/setup.sh（或 .venv/bin/pip install properdocs）后重试",
                file=sys.stderr,
            )
            return False
    args.engine = engine
    return True

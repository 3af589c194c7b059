"""The ``xuncha`` command. Messages in Chinese; exit status 0 success, 1 content errors, 2 usage or setup errors."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from . import __version__
from .diagnostics import Diagnostics
from .model import STAGES
from .project import Project, load_project

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


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
    check.set_defaults(run=cmd_check)

    export = commands.add_parser("export", help="把已发布的通报导出为 JSON 或 CSV（写到标准输出）")
    _add_config(export)
    export.add_argument("--format", choices=("json", "csv", "rounds"), default="json", help="输出格式（默认 json）")
    export.add_argument("--base-url", default=None, help="通报网址的前缀（默认取 mkdocs.yml 的 site_url）")
    export.set_defaults(run=cmd_export)

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
    new_notice.set_defaults(run=cmd_new_notice)
    new_round = kinds.add_parser("round", help="新建一个巡察轮次")
    _add_config(new_round)
    new_round.add_argument("id", metavar="轮次编号", help="小写字母、数字和连字符，如 2027-r1")
    new_round.add_argument("--name", default=None, metavar="名称", help="轮次名称，如 十一届市委第九轮巡察")
    new_round.add_argument("--force", action="store_true", help="覆盖已有文件")
    new_round.set_defaults(run=cmd_new_round)

    build = commands.add_parser("build", help="检查并构建站点（失败时保留原有站点不变）")
    _add_config(build)
    build.add_argument(
        "-d", "--site-dir", default=None, metavar="目录", help="输出目录（默认取 mkdocs.yml 的 site_dir）"
    )
    build.add_argument("--strict", action="store_true", help="警告也视为失败")
    build.set_defaults(run=_lazy("builder", "cmd_build"))

    serve = commands.add_parser("serve", help="本地预览站点，修改后自动刷新")
    _add_config(serve)
    serve.add_argument("-a", "--dev-addr", default=None, metavar="地址:端口", help="监听地址（默认 127.0.0.1:8000）")
    serve.set_defaults(run=_lazy("preview", "cmd_serve"))

    importer = commands.add_parser("import", help="把收到的通报文件（.txt/.docx/.html）转成通报记录")
    _add_config(importer)
    importer.add_argument("files", nargs="+", metavar="文件", help="要导入的文件")
    importer.add_argument("--round", default=None, metavar="轮次编号", help="通报所属的巡察轮次")
    importer.add_argument("--force", action="store_true", help="覆盖已有的记录")
    importer.add_argument("--dry-run", action="store_true", help="只显示生成的记录，不写文件")
    importer.set_defaults(run=_lazy("importer", "cmd_import"))
    return parser


def _lazy(module: str, function: str) -> Callable[[argparse.Namespace], int]:
    """Import a command's module only when it runs, so that `xuncha check` starts fast."""

    def run(args: argparse.Namespace) -> int:
        import importlib

        command: Callable[[argparse.Namespace], int] = getattr(
            importlib.import_module(f"xuncha_site.{module}"), function
        )
        return command(args)

    return run


def report(diags: Diagnostics, *, stream: TextIO | None = None) -> None:
    stream = stream or sys.stderr
    for diag in diags.sorted():
        print(diag.format(), file=stream)


def _load(args: argparse.Namespace) -> Project | None:
    config = Path(args.config_file)
    if not config.exists():  # a FIFO or a device is reported by the loader, at its path
        print(f"xuncha：找不到配置文件 {config}：请在站点目录（含 mkdocs.yml）中运行，或用 -f 指定", file=sys.stderr)
        return None
    return load_project(config)


def cmd_check(args: argparse.Namespace) -> int:
    project = _load(args)
    if project is None:
        return EXIT_USAGE
    diags = project.diagnostics
    report(diags)
    strict = args.strict or project.settings.strict
    notices = len(project.corpus.notices)
    rounds = len(project.corpus.rounds)
    if diags.has_errors(strict=strict):
        print(f"检查未通过：{diags.summary()}（{rounds} 个轮次，{notices} 篇通报）", file=sys.stderr)
        return EXIT_CONTENT
    print(f"检查通过：{rounds} 个轮次，{notices} 篇通报，{diags.summary()}", file=sys.stderr)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from .export import export_text

    project = _load(args)
    if project is None:
        return EXIT_USAGE
    if project.diagnostics.has_errors():
        report(project.diagnostics)
        print(f"无法导出：{project.diagnostics.summary()}，请先修正错误", file=sys.stderr)
        return EXIT_CONTENT
    base_url = args.base_url if args.base_url is not None else _site_url(project.config_file)
    # The same builder as the site's /data/ files, so both give the same bytes.
    text = export_text(project, args.format, base_url)
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()
    return EXIT_OK


def _site_url(config_file: Path) -> str:
    from yaml.nodes import MappingNode

    from .input_files import InputFileError, read_regular
    from .records import MAX_RECORD_BYTES, compose_yaml, read_text

    diags = Diagnostics()
    try:
        text = read_text(read_regular(config_file, MAX_RECORD_BYTES), str(config_file), diags)
    except InputFileError:
        return "/"
    root = compose_yaml(text, str(config_file), diags, allow_tags=True) if text is not None else None
    if isinstance(root, MappingNode):
        for key, value in root.value:
            if getattr(key, "value", None) == "site_url" and getattr(value, "value", None):
                return str(value.value)
    return "/"


def cmd_new_round(args: argparse.Namespace) -> int:
    from .loader import SLUG
    from .scaffold import round_record

    project = _load(args)
    if project is None:
        return EXIT_USAGE
    if not SLUG.match(args.id):
        print(f"xuncha：轮次编号“{args.id}”无效：只能用小写字母、数字和连字符，如 2027-r1", file=sys.stderr)
        return EXIT_USAGE
    path = project.content_dir / "rounds" / f"{args.id}.yml"
    committee = next((r.committee for r in project.corpus.rounds.values() if r.committee), "")
    text = round_record(
        args.id, name=args.name or "（请填写轮次名称）", committee=committee, today=project.build_time.date()
    )
    return _write_new(path, text, force=args.force, what="轮次")


def cmd_new_notice(args: argparse.Namespace) -> int:
    from .scaffold import is_listed, notice_record, notice_slug

    project = _load(args)
    if project is None:
        return EXIT_USAGE
    round_ = project.corpus.rounds.get(args.round)
    if round_ is None:
        known = "、".join(sorted(project.corpus.rounds)) or "（无）"
        print(
            f"xuncha：未知的巡察轮次“{args.round}”；已有：{known}。可先运行 xuncha new round {args.round}",
            file=sys.stderr,
        )
        return EXIT_CONTENT
    folder = project.content_dir / "notices" / round_.id
    taken = {path.stem for path in folder.glob("*.md")} if folder.is_dir() else set()
    slug = notice_slug(round_, args.unit, taken)
    if not is_listed(round_, args.unit):
        print(f"提示：轮次“{round_.name}”没有列出“{args.unit}”，请核对单位名称或在轮次文件中补充", file=sys.stderr)
    text = notice_record(round_, unit=args.unit, stage=args.stage, today=project.build_time.date())
    return _write_new(folder / f"{slug}.md", text, force=args.force, what="通报草稿")


def _write_new(path: Path, text: str, *, force: bool, what: str) -> int:
    if path.exists() and not force:
        print(f"xuncha：{_shown(path)} 已存在，未改动；确需覆盖请加 --force", file=sys.stderr)
        return EXIT_CONTENT
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"已新建{what}：{_shown(path)}", file=sys.stderr)
    return EXIT_OK


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("\nxuncha：已中断", file=sys.stderr)
        return 130

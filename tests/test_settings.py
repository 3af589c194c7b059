"""Site settings: declared once, read through MkDocs' own loader (``!ENV``, ``-f``), checked in Chinese with lines.

Each command reads ``mkdocs.yml`` once, through MkDocs; the file is composed again (for line numbers) only when a
message needs a line.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pytest
import yaml
from mkdocs.config import load_config
from recordkit import MKDOCS_YML, RecordSite, find

from xuncha_site.commands.cli import main
from xuncha_site.commands.site import load_site
from xuncha_site.core import settings as settings_module
from xuncha_site.core.model import Office, SettingKind, Settings, setting_fields
from xuncha_site.core.settings import option_defaults
from xuncha_site.mkdocs_plugin.config import XunchaConfig, project_from_config
from xuncha_site.outputs.editor_schema import settings_schema

ROOT = Path(__file__).resolve().parents[1]
THEME = ROOT / "theme"
IMPORT_FIXTURE = Path(__file__).parent / "fixtures" / "import" / "flat.txt"


def line_of(path: Path, needle: str) -> int:
    """1-based line of the first line containing ``needle``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


@pytest.fixture
def site(tmp_path: Path) -> RecordSite:
    site = RecordSite(tmp_path / "site")
    site.write("mkdocs.yml", MKDOCS_YML.format(theme=THEME))
    site.notice()
    return site


def with_settings(site: RecordSite, extra: str, *, replace: tuple[str, str] | None = None, name: str = "mkdocs.yml"):
    """The site's mkdocs.yml with ``extra`` lines added to the plugin's options (6 spaces in)."""
    text = MKDOCS_YML.format(theme=THEME)
    if replace:
        assert replace[0] in text
        text = text.replace(*replace)
    for line in extra.splitlines():
        if line and not line.startswith(" "):  # a setting given again replaces the one there
            text = re.sub(rf"^      {re.escape(line.split(':')[0])}:.*\n", "", text, flags=re.M)
    return site.write(name, text + "".join(f"      {line}\n" for line in extra.splitlines() if line))


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """``xuncha ARGS…`` run in this process from ``cwd``: its exit status and output."""

    def run(*args: str, cwd: Path) -> Run:
        monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


# --- !ENV and the values MkDocs passes on ------------------------------------------------------------------------


def test_env_tag_gives_the_default_without_the_variable(site: RecordSite, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XC_OWNER", raising=False)
    with_settings(site, "", replace=("owner: 测试市纪委监委", "owner: !ENV [XC_OWNER, 默认主办单位]"))
    project = site.load()
    assert project.diagnostics.sorted() == []
    assert project.settings.owner == "默认主办单位"


def test_env_tag_gives_the_variable_when_it_is_set(site: RecordSite, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XC_OWNER", "环境变量中的主办单位")
    with_settings(site, "", replace=("owner: 测试市纪委监委", "owner: !ENV [XC_OWNER, 默认主办单位]"))
    assert site.load().settings.owner == "环境变量中的主办单位"


@pytest.mark.parametrize("value", [None, "环境变量中的主办单位"])
def test_check_and_build_use_the_env_tag(
    site: RecordSite, tmp_path: Path, value: str | None, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XC_OWNER", raising=False)
    if value is not None:
        monkeypatch.setenv("XC_OWNER", value)
    with_settings(site, "", replace=("owner: 测试市纪委监委", "owner: !ENV [XC_OWNER, 默认主办单位]"))
    checked = cli("check", cwd=site.root)
    assert checked.returncode == 0, checked.stderr
    out = tmp_path / "out"
    built = cli("build", "-d", str(out), cwd=site.root)
    assert built.returncode == 0, built.stderr
    footer = (out / "index.html").read_text(encoding="utf-8")
    assert (value or "默认主办单位") in footer
    assert "测试市纪委监委" not in footer


def test_plain_mkdocs_gives_the_plugin_the_same_settings(site: RecordSite, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XC_OWNER", "环境变量中的主办单位")
    with_settings(site, "timezone: Asia/Urumqi", replace=("owner: 测试市纪委监委", "owner: !ENV [XC_OWNER, 默认]"))
    config = load_config(config_file=str(site.root / "mkdocs.yml"))
    project = project_from_config(config)
    assert project.settings.owner == "环境变量中的主办单位"
    assert project.settings.timezone == "Asia/Urumqi"
    assert project.settings.deadline_days == 60 and project.settings.grace_days == 5


def test_plain_mkdocs_build_reads_the_settings_from_its_own_config(site: RecordSite, tmp_path: Path) -> None:
    with_settings(site, "", replace=("owner: 测试市纪委监委", "owner: !ENV [XC_OWNER, 默认主办单位]"))
    env = {**os.environ, "XC_OWNER": "环境变量中的主办单位", "SOURCE_DATE_EPOCH": "1790000000"}
    out = tmp_path / "out"
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(site.root / "mkdocs.yml"), "-d", str(out)]
    built = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env)
    assert built.returncode == 0, built.stderr
    assert "环境变量中的主办单位" in (out / "index.html").read_text(encoding="utf-8")
    path = with_settings(site, "feed_size: 零", replace=("owner: 测试市纪委监委", "owner: !ENV [XC_OWNER, 默认]"))
    failed = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env)
    assert failed.returncode != 0
    assert f"mkdocs.yml:{line_of(path, 'feed_size:')}: 错误: xuncha 插件设置：“feed_size”" in failed.stderr
    assert "Expected type" not in failed.stderr


def test_unquoted_numbers_in_text_settings_are_taken_as_written(site: RecordSite) -> None:
    # YAML reads 030000 as the octal number 12288 and 12388 as a number: both are text settings.
    with_settings(site, "office:\n  hotline: 12388\n  postcode: 030000\nsite_code: 0100000001")
    project = site.load()
    assert project.diagnostics.sorted() == []
    assert (project.settings.office.hotline, project.settings.office.postcode) == ("12388", "030000")
    assert project.settings.site_code == "0100000001"


# --- Chinese messages with lines --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "fragment", "key"),
    [
        ("timezone: Asia/Qinglan", "时区“Asia/Qinglan”无效", "timezone"),
        ("feed_size: 0", "“feed_size”（订阅中的通报条数）不能小于 1", "feed_size"),
        ("grace_days: 三", "“grace_days”（公开期限宽限天数）应为整数，实际是“三”", "grace_days"),
        ("search_shard_size: [1, 2]", "应为单个值，实际是列表", "search_shard_size"),
        ("strict: 也许", "“strict”（严格模式（警告也算失败））应为 true 或 false", "strict"),
        ("feed_szie: 10", "未知字段“feed_szie”，是不是“feed_size”？", "feed_szie"),
        ("office: 市委巡察办", "巡察机构及信访举报渠道：应为映射", "office"),
        ("office:\n  hotline: 123", "举报电话“123”格式不对", "hotline"),
        ("office:\n  website: jubao.example", "举报网站“jubao.example”应以 http:// 或 https:// 开头", "website"),
        ("office:\n  postcode: 12345", "邮政编码“12345”应为 6 位数字", "postcode"),
        ("office:\n  emails: [a b@test.example]", "电子邮箱“a b@test.example”中有空格", "emails"),
        ("office:\n  fax: 0123-6000000", "未知字段“fax”", "fax"),
    ],
)
def test_a_bad_setting_is_a_chinese_error_on_its_line(site: RecordSite, extra: str, fragment: str, key: str) -> None:
    path = with_settings(site, extra)
    diag = find(site.load(), fragment)
    assert (diag.path, diag.level.name) == ("mkdocs.yml", "ERROR")
    assert diag.line == line_of(path, f"{key}:")


def test_each_bad_phone_is_reported_on_its_own_line(site: RecordSite) -> None:
    path = with_settings(site, "office:\n  phones:\n    - 0123-6000001\n    - 0123-59\n    - 0123—6000002")
    project = site.load()
    assert find(project, "电话号码“0123-59”格式不对").line == line_of(path, "- 0123-59")
    warning = find(project, "已按“0123-6000002”处理")
    assert (warning.level.name, warning.line) == ("WARNING", line_of(path, "- 0123—6000002"))
    assert project.settings.office.phones == ("0123-6000001", "0123-59", "0123-6000002")


def test_mkdocs_own_type_errors_do_not_replace_the_chinese_ones(site: RecordSite, cli) -> None:
    # Declared as MkDocs options that accept anything: MkDocs passes the value on, the core says what is wrong.
    path = with_settings(site, "", replace=("deadline_days: 60", "deadline_days: 六十"))
    result = cli("check", cwd=site.root)
    assert result.returncode == 1
    line = line_of(path, "deadline_days:")
    assert f"mkdocs.yml:{line}: 错误: xuncha 插件设置：“deadline_days”（反馈后应公开的天数）应为整数" in result.stderr
    assert "Expected type" not in result.stderr and "Traceback" not in result.stderr
    build = cli("build", "-d", str(site.root / "out"), cwd=site.root)
    assert build.returncode == 1 and f"mkdocs.yml:{line}: 错误:" in build.stderr
    assert not (site.root / "out").exists()


def test_an_unknown_setting_gives_no_english_warning(site: RecordSite, cli) -> None:
    with_settings(site, "feed_szie: 10")
    result = cli("check", cwd=site.root)
    assert result.returncode == 1
    assert "未知字段“feed_szie”" in result.stderr
    assert "Unrecognised" not in result.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["check"],
        ["build", "-d", "out"],
        ["export"],
        ["new", "round", "2025-r1", "--year", "2025", "--committee", "中共测试市委"],
        ["import", "--round", "2024-r1", str(IMPORT_FIXTURE)],
    ],
)
def test_a_yaml_error_in_mkdocs_yml_is_a_chinese_error_with_its_line(site: RecordSite, command: list[str], cli) -> None:
    path = with_settings(site, "feed_size: [20")
    result = cli(*command, cwd=site.root)
    assert result.returncode == 1, result.stderr
    assert re.search(r"^mkdocs\.yml:(\d+): 错误: YAML 语法错误", result.stderr, re.M)
    reported = int(re.search(r"^mkdocs\.yml:(\d+):", result.stderr, re.M)[1])  # type: ignore[index]
    assert reported >= line_of(path, "feed_size: [20")
    assert "Traceback" not in result.stderr and "MkDocs encountered" not in result.stderr
    assert not (site.root / "content" / "rounds" / "2025-r1.yml").exists()  # nothing written where it may not belong
    assert [path.name for path in (site.root / "content" / "notices").rglob("*.md")] == ["tongji.md"]


def test_absurdly_nested_settings_are_a_chinese_error_not_a_traceback(site: RecordSite, cli) -> None:
    path = with_settings(site, "owner: " + "[" * 1200 + "]" * 1200)
    result = cli("check", cwd=site.root)
    assert result.returncode == 1
    assert f"mkdocs.yml:{line_of(path, 'owner: [[[')}: 错误: YAML 嵌套超过" in result.stderr


@pytest.mark.parametrize("depth", [30, 300])
def test_nested_values_that_mkdocs_reads_are_an_error_not_a_traceback(site: RecordSite, depth: int) -> None:
    path = with_settings(site, "owner: " + "[" * depth + "]" * depth)
    diag = find(site.load(), "“owner”（主办单位）应为单个值，实际是列表")
    # Deeper than the guarded composer goes (40), mkdocs.yml gives no positions: the message is put on line 1.
    assert diag.line == (line_of(path, "owner: [[[") if depth < 40 else 1)


def test_serve_reports_a_yaml_error_in_mkdocs_yml_with_its_line(site: RecordSite, cli, monkeypatch) -> None:
    monkeypatch.setattr("signal.signal", lambda *args: None)  # serve's SIGTERM handler stays out of the test run
    path = with_settings(site, "feed_size: [20")
    result = cli("serve", cwd=site.root)
    assert result.returncode == 1
    reported = re.search(r"^mkdocs\.yml:(\d+): 错误: YAML 语法错误", result.stderr, re.M)
    assert reported and int(reported[1]) >= line_of(path, "feed_size: [20")


def test_plugin_options_that_are_not_a_mapping_are_a_chinese_error(site: RecordSite, cli) -> None:
    text = MKDOCS_YML.format(theme=THEME)
    head = text[: text.index("  - xuncha:")]
    path = site.write("mkdocs.yml", head + "  - xuncha: 5\n")
    result = cli("check", cwd=site.root)
    assert result.returncode == 1
    assert f"mkdocs.yml:{line_of(path, '- xuncha: 5')}: 错误: xuncha 插件设置：应为映射" in result.stderr


def test_a_site_without_the_plugin_is_told_so(site: RecordSite, cli) -> None:
    text = MKDOCS_YML.format(theme=THEME)
    site.write("mkdocs.yml", text[: text.index("plugins:")] + "plugins: []\n")
    result = cli("check", cwd=site.root)
    assert result.returncode == 1
    assert "mkdocs.yml:1: 错误: mkdocs.yml 的 plugins 中没有 xuncha 插件" in result.stderr


def test_a_configuration_mkdocs_refuses_is_reported_with_exit_2(site: RecordSite, cli) -> None:
    with_settings(site, "", replace=("name: material", "name: no-such-theme"))
    result = cli("check", cwd=site.root)
    assert result.returncode == 2
    assert "mkdocs.yml 的 theme 设置有误" in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1] == "xuncha：mkdocs.yml 设置有误（见上）"


# --- -f and one reading per command ----------------------------------------------------------------------------


def other_site(site: RecordSite) -> Path:
    """The site's configuration as other.yml, with no mkdocs.yml beside it."""
    config = with_settings(
        site, "", replace=("owner: 测试市纪委监委", "owner: 另一个配置中的主办单位"), name="other.yml"
    )
    (site.root / "mkdocs.yml").unlink()
    return config


def test_config_file_option_works_for_every_command(site: RecordSite, tmp_path: Path, cli) -> None:
    config = str(other_site(site))
    elsewhere = Path(__file__).parent
    assert cli("check", "-f", config, cwd=elsewhere).returncode == 0
    exported = cli("export", "-f", config, cwd=elsewhere)
    assert exported.returncode == 0, exported.stderr
    assert '"url":"https://test.example/notices/2024-r1/tongji/"' in exported.stdout
    out = tmp_path / "out"
    built = cli("build", "-f", config, "-d", str(out), cwd=elsewhere)
    assert built.returncode == 0, built.stderr
    assert "另一个配置中的主办单位" in (out / "index.html").read_text(encoding="utf-8")
    created = cli("new", "round", "2025-r1", "--year", "2025", "--committee", "中共测试市委", "-f", config, cwd=elsewhere)
    assert created.returncode == 0, created.stderr
    assert (site.root / "content" / "rounds" / "2025-r1.yml").is_file()
    drafted = cli("new", "notice", "--round", "2024-r1", "--unit", "市档案馆党组", "-f", config, cwd=elsewhere)
    assert drafted.returncode == 0, drafted.stderr
    imported = cli("import", "-f", config, "--round", "2024-r1", "--dry-run", str(IMPORT_FIXTURE), cwd=elsewhere)
    assert imported.returncode in (0, 1), imported.stderr
    assert "找不到" not in imported.stderr and "Traceback" not in imported.stderr
    assert imported.stdout.startswith("---\n")


def test_a_setting_error_names_the_file_given_with_f(site: RecordSite, cli) -> None:
    config = other_site(site)
    with_settings(site, "feed_size: 0", name="other.yml")
    result = cli("check", "-f", str(config), cwd=Path(__file__).parent)
    assert result.returncode == 1
    assert re.search(rf"^other\.yml:{line_of(config, 'feed_size:')}: 错误: .*不能小于 1", result.stderr, re.M)


class Readings:
    """Counts how often mkdocs.yml is read for values (MkDocs' loader) and composed for positions (ours)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, config: Path) -> None:
        import mkdocs.config.defaults as defaults

        self.values = self.positions = 0
        loader, composer = defaults.yaml_load, settings_module.compose_yaml

        def yaml_load(source, *args, **kwargs):
            if Path(getattr(source, "name", "")).resolve() == config.resolve():
                self.values += 1
            return loader(source, *args, **kwargs)

        def compose_yaml(*args, **kwargs):
            self.positions += 1
            return composer(*args, **kwargs)

        monkeypatch.setattr(defaults, "yaml_load", yaml_load)
        monkeypatch.setattr(settings_module, "compose_yaml", compose_yaml)


@pytest.mark.parametrize(
    "command",
    [["check"], ["export"], ["build", "-d", "{out}"], ["new", "round", "2025-r1", "--year", "2025", "--committee", "中共测试市委"]],
)
def test_each_command_reads_mkdocs_yml_once(
    site: RecordSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    config = site.root / "mkdocs.yml"
    readings = Readings(monkeypatch, config)
    args = [arg.format(out=tmp_path / "out") for arg in command]
    assert main([*args, "-f", str(config)]) == 0
    assert (readings.values, readings.positions) == (1, 0)


def test_a_message_composes_mkdocs_yml_once_more_for_its_line(site: RecordSite, monkeypatch) -> None:
    path = with_settings(site, "feed_size: 0\nsearch_shard_size: 0")
    readings = Readings(monkeypatch, path)
    assert main(["check", "-f", str(path)]) == 1
    assert (readings.values, readings.positions) == (1, 1)


def test_import_checks_what_it_wrote_without_reading_mkdocs_yml_again(site: RecordSite, monkeypatch) -> None:
    config = site.root / "mkdocs.yml"
    readings = Readings(monkeypatch, config)
    main(["import", "-f", str(config), "--round", "2024-r1", str(IMPORT_FIXTURE)])
    assert list((site.root / "content" / "notices").rglob("*.md"))[1:]  # a record was written beside tongji.md
    assert (readings.values, readings.positions) == (1, 0)


# --- one declaration --------------------------------------------------------------------------------------------


def test_the_plugin_options_are_the_declared_settings() -> None:
    assert {key for key, _ in XunchaConfig._schema} == {key for key, _ in setting_fields(Settings)}
    assert option_defaults()["deadline_days"] == Settings().deadline_days == 60
    assert option_defaults()["office"] == {}


def test_the_editor_schema_is_made_from_the_declaration() -> None:
    schema = settings_schema()
    assert list(schema["properties"]) == [key for key, _ in setting_fields(Settings)]
    assert list(schema["properties"]["office"]["properties"]) == [key for key, _ in setting_fields(Office)]
    for key, info in setting_fields(Settings):
        assert schema["properties"][key]["description"].startswith(info.label)
        if info.kind is SettingKind.INTEGER:
            assert schema["properties"][key]["minimum"] == info.minimum


@pytest.mark.parametrize(
    ("options", "accepted"),
    [
        ({"deadline_days": 30, "strict": True}, True),
        ({"deadline_days": 0}, False),
        ({"grace_days": -1}, False),
        ({"office": {"postcode": "12345"}}, False),
        ({"office": {"website": "jubao.example"}}, False),
        ({"office": {"phones": ["0123-6000001"], "emails": "a@test.example"}}, True),
        ({"feed_szie": 10}, False),
        ({"office": {"fax": "0123"}}, False),
    ],
)
def test_the_editor_schema_and_the_check_agree(site: RecordSite, options: dict, accepted: bool) -> None:
    lines = yaml.safe_dump(options, allow_unicode=True, default_flow_style=False)
    with_settings(site, lines)
    project = site.load()
    assert (not project.diagnostics.errors) is accepted, [d.format() for d in project.diagnostics.sorted()]
    valid = True
    try:
        jsonschema.validate(options, settings_schema())
    except jsonschema.ValidationError:
        valid = False
    assert valid is accepted


def test_the_example_site_loads_its_settings_through_mkdocs(tmp_path: Path) -> None:
    loaded = load_site(ROOT / "mkdocs.yml")
    assert loaded is not None and loaded.config is not None
    assert loaded.project.settings.office.hotline == "12388"
    assert loaded.project.settings.grace_days == 5
    assert loaded.config.site_url == "https://xuncha.example/"

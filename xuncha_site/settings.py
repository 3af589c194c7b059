"""Site settings: the ``xuncha`` plugin's entry in ``mkdocs.yml``, read with positions and checked in Chinese."""

from __future__ import annotations

import re
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .contact import is_valid_phone, normalise_phone
from .diagnostics import Diagnostics
from .input_files import InputFileError, read_regular
from .model import Office, Settings
from .records import MAX_RECORD_BYTES, Fields, compose_yaml, read_text

PLUGIN_NAME = "xuncha"
MAX_DAYS = 3650

SETTINGS_FIELDS = {
    "content_dir": "内容目录",
    "owner": "主办单位",
    "office": "巡察机构及信访举报渠道",
    "icp": "ICP备案号",
    "police_beian": "公安备案号",
    "site_code": "网站标识码",
    "deadline_days": "反馈后应公开的天数",
    "grace_days": "公开期限宽限天数",
    "timezone": "时区",
    "feed_size": "订阅中的通报条数",
    "search_shard_size": "搜索索引每片的通报数",
    "strict": "严格模式（警告也算失败）",
}
OFFICE_FIELDS = {
    "name": "机构名称",
    "hotline": "举报电话（如 12388）",
    "phones": "电话",
    "mailbox": "邮政信箱",
    "emails": "电子邮箱",
    "address": "地址",
    "postcode": "邮政编码",
    "hours": "接待时间",
    "website": "举报网站",
}


def plugin_node(root: Node, path: str, diags: Diagnostics) -> tuple[Node | None, bool]:
    """Find the plugin's options in a composed mkdocs.yml: (options or None, whether the plugin is listed)."""
    if not isinstance(root, MappingNode):
        diags.error(path, 1, "mkdocs.yml 的顶层应为映射")
        return None, False
    plugins = next((value for key, value in root.value if getattr(key, "value", None) == "plugins"), None)
    if isinstance(plugins, SequenceNode):
        for item in plugins.value:
            if isinstance(item, ScalarNode) and item.value == PLUGIN_NAME:
                return None, True
            if isinstance(item, MappingNode):
                for key, value in item.value:
                    if getattr(key, "value", None) == PLUGIN_NAME:
                        return value, True
    elif isinstance(plugins, MappingNode):
        for key, value in plugins.value:
            if getattr(key, "value", None) == PLUGIN_NAME:
                return value, True
    return None, False


def load_settings(config_file: Path, diags: Diagnostics, *, shown: str | None = None) -> Settings | None:
    """Read the plugin's settings from ``config_file``; None when the file or the plugin entry is missing."""
    shown = shown or str(config_file)
    if not config_file.exists():
        diags.error(shown, 1, "找不到 mkdocs.yml：请在站点目录（含 mkdocs.yml）中运行，或用 -f 指定配置文件")
        return None
    try:
        raw = read_regular(config_file, MAX_RECORD_BYTES, what="配置文件")
    except InputFileError as exc:
        diags.error(shown, 1, exc.message)
        return None
    text = read_text(raw, shown, diags)
    if text is None:
        return None
    root = compose_yaml(text, shown, diags, allow_tags=True)
    if root is None:
        return None
    _check_site_url(root, shown, diags)
    node, listed = plugin_node(root, shown, diags)
    if not listed:
        diags.error(shown, 1, "mkdocs.yml 的 plugins 中没有 xuncha 插件：请加上“- xuncha:”及其设置")
        return None
    if node is None or (isinstance(node, ScalarNode) and not node.value):
        return Settings()
    return settings_from_node(node, shown, diags)


# What a site_url may be: an http(s) address without spaces, quotes, angle brackets or backslashes — it is printed into
# every page's <head>, the feeds and the open data, and the site is served from it.
_SITE_URL = re.compile(r"https?://[^\s\"'<>\\`{}|^]+")


def _check_site_url(root: Node, shown: str, diags: Diagnostics) -> None:
    if not isinstance(root, MappingNode):
        return
    for key, value in root.value:
        if getattr(key, "value", None) != "site_url" or not isinstance(value, ScalarNode) or not value.value:
            continue
        if not _SITE_URL.fullmatch(str(value.value)):
            diags.error(
                shown,
                value.start_mark.line + 1,
                f"site_url“{value.value}”不是有效的网址：应写成 https://xuncha.example/ 这样的完整地址，"
                "不能含有空格、引号、尖括号或反斜杠",
            )


def settings_from_node(node: Node, shown: str, diags: Diagnostics) -> Settings | None:
    fields = Fields.of(node, shown, diags, where="xuncha 插件设置")
    if fields is None:
        return None
    office = _office(fields.mapping("office", SETTINGS_FIELDS["office"]), shown, diags)
    timezone = fields.text("timezone", SETTINGS_FIELDS["timezone"]) or "Asia/Shanghai"
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        diags.error(shown, fields.line("timezone"), f"时区“{timezone}”无效，应如 Asia/Shanghai")
        timezone = "Asia/Shanghai"
    # Ten years at most: a deadline is added to dates, and a huge one overflows every date after it.
    deadline = fields.integer("deadline_days", SETTINGS_FIELDS["deadline_days"], minimum=1, maximum=MAX_DAYS)
    grace = fields.integer("grace_days", SETTINGS_FIELDS["grace_days"], minimum=0, maximum=MAX_DAYS)
    feed_size = fields.integer("feed_size", SETTINGS_FIELDS["feed_size"], minimum=1)
    shard_size = fields.integer("search_shard_size", SETTINGS_FIELDS["search_shard_size"], minimum=1)
    content_dir = fields.text("content_dir", SETTINGS_FIELDS["content_dir"]) or "content"
    settings = Settings(
        content_dir=content_dir,
        owner=fields.text("owner", SETTINGS_FIELDS["owner"]),
        office=office,
        icp=fields.text("icp", SETTINGS_FIELDS["icp"]),
        police_beian=fields.text("police_beian", SETTINGS_FIELDS["police_beian"]),
        site_code=fields.text("site_code", SETTINGS_FIELDS["site_code"]),
        deadline_days=60 if deadline is None else deadline,
        grace_days=0 if grace is None else grace,
        timezone=timezone,
        feed_size=20 if feed_size is None else feed_size,
        search_shard_size=2000 if shard_size is None else shard_size,
        strict=fields.flag("strict", SETTINGS_FIELDS["strict"]),
    )
    fields.finish(tuple(SETTINGS_FIELDS))
    return settings


def _office(fields: Fields | None, shown: str, diags: Diagnostics) -> Office:
    if fields is None:
        return Office()
    phones = fields.phones("phones", OFFICE_FIELDS["phones"])
    emails = fields.emails("emails", OFFICE_FIELDS["emails"])
    postcode = fields.postcode("postcode", OFFICE_FIELDS["postcode"])
    hotline = normalise_phone(fields.text("hotline", OFFICE_FIELDS["hotline"]))
    if hotline and not is_valid_phone(hotline):
        diags.error(shown, fields.line("hotline"), f"举报电话“{hotline}”格式不对")
    website = fields.text("website", OFFICE_FIELDS["website"])
    if website and not re.match(r"^https?://\S+$", website):
        diags.error(shown, fields.line("website"), f"举报网站“{website}”应以 http:// 或 https:// 开头")
    office = Office(
        name=fields.text("name", OFFICE_FIELDS["name"]),
        hotline=hotline,
        phones=tuple(phones),
        mailbox=fields.text("mailbox", OFFICE_FIELDS["mailbox"]),
        emails=tuple(emails),
        address=fields.text("address", OFFICE_FIELDS["address"]),
        postcode=postcode,
        hours=fields.text("hours", OFFICE_FIELDS["hours"]),
        website=website,
    )
    fields.finish(tuple(OFFICE_FIELDS))
    return office

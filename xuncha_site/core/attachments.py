"""Local attachments: which files a notice may publish, judged by their name and by their content.

An attachment is served from the site's own address, where the Content-Security-Policy meta tag of the generated pages
does not reach: a file that a browser renders as a document (HTML, XHTML, SVG, XML …) would run its scripts as the site.
So attachments are allowed by a list of types that cannot carry script — office documents, PDF and OFD, archives,
raster images, plain text — and each file must be what its name says: its first bytes are those of its type (a
``.pdf`` begins with ``%PDF-``, a ``.docx`` is a ZIP archive, a ``.png`` has the PNG signature …). The name checked is
the one the file is published under (the ``file:`` path of the record), and links are resolved first: a link named
``x.pdf`` must lead to a PDF inside ``content/notices/``.

The signatures are the few bytes each format's specification fixes; reading them by hand is simpler and stricter than
a general type-guessing library, which would also accept look-alikes (a text file that merely mentions ``%PDF``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from xuncha_site.core.input_files import InputFileError, read_head

HEAD_BYTES = 4096


class AttachmentError(Exception):
    """A local attachment that cannot be published; ``message`` is for the maintainer (Chinese)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _pdf(head: bytes) -> bool:
    return b"%PDF-" in head[:1024]  # readers accept the header anywhere in the first KB


def _ole2(head: bytes) -> bool:  # Word/Excel/PowerPoint 97–2003, WPS: a Compound File
    return head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def _zip(head: bytes) -> bool:  # OOXML, ODF, OFD and ZIP archives
    return head.startswith(b"PK\x03\x04")


def _text(head: bytes) -> bool:
    # Plain text (UTF-8 or GB18030) that no browser would take for markup: no NUL, not starting with a tag.
    if b"\x00" in head:
        return False
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    return not start.startswith(b"<")


@dataclass(frozen=True)
class FileType:
    label: str
    suffixes: tuple[str, ...]
    matches: Callable[[bytes], bool]


TYPES: tuple[FileType, ...] = (
    FileType("PDF 文档", (".pdf",), _pdf),
    FileType("OFD 版式文档", (".ofd",), _zip),
    FileType("Word/Excel/PowerPoint/WPS 文档", (".doc", ".xls", ".ppt", ".wps", ".et", ".dps"), _ole2),
    FileType("Word/Excel/PowerPoint 文档", (".docx", ".xlsx", ".pptx"), _zip),
    FileType("OpenDocument 文档", (".odt", ".ods", ".odp"), _zip),
    FileType("ZIP 压缩包", (".zip",), _zip),
    FileType("RAR 压缩包", (".rar",), lambda head: head.startswith(b"Rar!\x1a\x07")),
    FileType("7z 压缩包", (".7z",), lambda head: head.startswith(b"7z\xbc\xaf\x27\x1c")),
    FileType("PNG 图片", (".png",), lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    FileType("JPEG 图片", (".jpg", ".jpeg"), lambda head: head.startswith(b"\xff\xd8\xff")),
    FileType("GIF 图片", (".gif",), lambda head: head.startswith((b"GIF87a", b"GIF89a"))),
    FileType("WebP 图片", (".webp",), lambda head: head.startswith(b"RIFF") and head[8:12] == b"WEBP"),
    FileType("文本文件", (".txt", ".csv"), _text),
)
_BY_SUFFIX = {suffix: kind for kind in TYPES for suffix in kind.suffixes}
ALLOWED_SUFFIXES: tuple[str, ...] = tuple(_BY_SUFFIX)

# What is refused with a reason of its own (the rest: "not on the list").
_REFUSED = {
    ".svg": "SVG 图片可以含有脚本，不能作为附件发布，请转换为 PNG 或 PDF",
    ".svgz": "SVG 图片可以含有脚本，不能作为附件发布，请转换为 PNG 或 PDF",
}


def published_type(href: str) -> FileType:
    """The type that the name ``href`` is published as; raises :class:`AttachmentError` when it is not allowed."""
    name = PurePosixPath(href).name
    suffix = PurePosixPath(name).suffix.lower()
    kind = _BY_SUFFIX.get(suffix)
    if kind is not None:
        return kind
    reason = _REFUSED.get(suffix) or (
        f"不能发布{f'“{suffix}”' if suffix else '没有扩展名的'}文件（网页、脚本等可能在浏览器中运行）"
    )
    raise AttachmentError(f"附件“{href}”：{reason}。可以发布的类型：{'、'.join(ALLOWED_SUFFIXES)}")


def local_source(record: Path, href: str, notices_dir: Path) -> Path:
    """The file that the local attachment ``href`` of the record at ``record`` publishes, checked.

    Raises :class:`AttachmentError` when the name is not of an allowed type, the file (links resolved) lies outside
    ``notices_dir``, is not a regular file, or its content is not of the type its name says.
    """
    kind = published_type(href)
    source = Path(os.path.realpath(record.parent / href))
    if not (record.parent / href).exists():
        raise AttachmentError(f"附件文件“{href}”不存在")
    if not source.is_relative_to(os.path.realpath(notices_dir)):
        raise AttachmentError(f"附件“{href}”应放在 notices/ 目录下（它实际是 {source}）")
    try:
        head = read_head(source, HEAD_BYTES)
    except InputFileError as exc:
        raise AttachmentError(f"附件“{href}”{exc.message}") from None
    if not kind.matches(head):
        raise AttachmentError(
            f"附件“{href}”的内容不是{kind.label}：文件名是 {PurePosixPath(href).suffix}，内容却不符（可能是改了扩展名的其他文件）"
        )
    return source

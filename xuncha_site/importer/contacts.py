"""The contact paragraph: 欢迎广大干部群众…监督…联系方式：电话…；邮政信箱…；电子邮箱…；邮政编码… → :class:`Contact`.

Phones are normalised (``0744—6223478`` → ``0744-6223478``) and all kept; an e-mail with a stray space is repaired and
the repair reported; ``text`` keeps the paragraph verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from xuncha_site.core.contact import is_valid_email, is_valid_phone, normalise_email, normalise_phone
from xuncha_site.core.model import Contact

_KEYWORDS = re.compile(
    r"联系电话|联系方式|举报电话|监督电话|电话|热线|传真|手机|电子邮箱|电子信箱|电子邮件|邮箱|E-?mail|邮政信箱|信箱|邮编|邮政编码|"
    r"联系地址|通信地址|通讯地址|来信地址|来访地址|地址|来信|来访|来电",
    re.IGNORECASE,
)
_WELCOME = re.compile(r"欢迎.{0,30}(?:监督|意见|建议|反映)")
# Lengths bounded as e-mail addresses are (64 before @, 63 a label): unbounded, a long run of letters or digits
# would take the square of its length to scan.
_EMAIL = re.compile(
    r"[A-Za-z0-9._%+-]{1,64}(?:[ \t]{0,3}@[ \t]{0,3})[A-Za-z0-9-]{1,63}(?:[ \t]{0,3}\.[ \t]{0,3}[A-Za-z0-9-]{1,63}){0,8}"
    r"[ \t]{0,3}\.[ \t]{0,3}[A-Za-z]{2,24}"
)
_PHONE = re.compile(
    r"(?<![\d.@A-Za-z])(?:[(（]0\d{2,3}[)）]\s*|0\d{2,3}\s*[-‐‑‒–—―－﹣]{1,2}\s*|0\d{2,3}(?=\d{7,8}(?!\d)))?\d{7,8}(?![\d@.])"
    r"|(?<![\d.@A-Za-z])1[3-9]\d{9}(?!\d)|(?<![\d.@A-Za-z])12388(?!\d)|(?<!\d)[48]00[-—\s]?\d{3}[-—\s]?\d{4}(?!\d)"
)
_POSTCODE = re.compile(r"邮(?:政)?编(?:码)?\s*[:：为是]?\s*(?P<v>\d{6})(?!\d)")
_FIELD_END = r"(?=[；;。，,\n]|\s{2,}|$|[(（]邮|(?:电话|联系电话|邮政编码|邮编|电子邮箱|电子信箱|邮箱|地址)\s*[:：])"
_MAILBOX = re.compile(rf"(?:邮政信箱|来信请寄|信函请寄|信箱)\s*[:：]?\s*(?P<v>[^；;。，,\n]+?){_FIELD_END}")
_ADDRESS = re.compile(
    rf"(?:联系地址|通信地址|通讯地址|来信地址|来访地址|办公地址|地址)\s*[:：]\s*(?P<v>[^；;。\n]+?){_FIELD_END}"
)


@dataclass(frozen=True)
class ContactFound:
    contact: Contact
    notes: tuple[str, ...]  # what was repaired, in Chinese


def is_contact_line(line: str) -> bool:
    """A line of the contact paragraph: the 欢迎…监督 formula or a line naming a phone, mailbox, e-mail or address."""
    if _WELCOME.search(line):
        return True
    return bool(_KEYWORDS.search(line)) and bool(
        _EMAIL.search(line)
        or _PHONE.search(line)
        or _POSTCODE.search(line)
        or _MAILBOX.search(line)
        or _ADDRESS.search(line)
    )


def read_contact(lines: list[str]) -> ContactFound:
    """Everything the contact lines say; ``text`` is the lines verbatim, one per line."""
    text = "\n".join(lines)
    folded = _fold_width(text)
    notes: list[str] = []
    emails: list[str] = []
    masked = folded
    for match in _EMAIL.finditer(folded):
        written = text[match.start() : match.end()]
        email, repaired = normalise_email(match[0])
        if repaired:
            notes.append(f"电子邮箱“{written}”中的空格已删除：{email}")
        if is_valid_email(email) and email not in emails:
            emails.append(email)
        masked = masked[: match.start()] + " " * (match.end() - match.start()) + masked[match.end() :]
    phones: list[str] = []
    for match in _PHONE.finditer(masked):
        if _POSTCODE.search(masked[max(0, match.start() - 8) : match.end()]):
            continue
        phone = normalise_phone(match[0])
        if not is_valid_phone(phone) or phone in phones:
            continue
        if phone != match[0].strip():
            notes.append(f"电话“{match[0].strip()}”已规范为“{phone}”")
        phones.append(phone)
    postcode = _POSTCODE.search(folded)
    mailbox = _MAILBOX.search(masked)
    address = _ADDRESS.search(masked)
    contact = Contact(
        phones=tuple(phones),
        emails=tuple(emails),
        mailbox=_value(text, masked, mailbox),
        address=_value(text, masked, address),
        postcode=postcode["v"] if postcode else "",
        text=text,
    )
    return ContactFound(contact, tuple(notes))


def _value(text: str, masked: str, match: re.Match[str] | None) -> str:
    """A mailbox or address as written, with its continuation: 盐城市人民南路66号，盐城市第一人民医院党委办公室 (the
    recipient after a comma or on the next line is part of the address, not the end of it)."""
    if not match:
        return ""
    start, end = match.start("v"), match.end("v")
    while end < len(masked) and masked[end] in "，,\n":
        following = _SEGMENT.match(masked, end + 1)
        piece = following[0] if following else ""
        if not _is_continuation(piece):
            break
        end = following.end() if following else end
    return re.sub(r"\s*\n\s*", "", text[start:end]).strip()


_SEGMENT = re.compile(r"[^；;。，,\n]{1,60}")
_RECIPIENT_END = re.compile(r"(?:办公室|党委|党组|党工委|委员会|局|院|委|办|中心|室|处|科|部|信箱|收)$")


def is_contact_continuation(line: str) -> bool:
    """A line of its own that continues the mailbox or address on the line before (the recipient)."""
    return _is_continuation(line)


def _is_continuation(piece: str) -> bool:
    """A piece after a mailbox or address that continues it: a recipient or the rest of an address, no new field."""
    piece = piece.strip()
    return (
        2 <= len(piece) <= 40
        and bool(re.search(r"[\u4e00-\u9fff]", piece))
        and not _KEYWORDS.search(piece)
        and not _WELCOME.search(piece)
        and not _PHONE.search(piece)
        and not _EMAIL.search(piece)
        and bool(_RECIPIENT_END.search(piece) or re.search(r"\d+号", piece))
    )


def _fold_width(text: str) -> str:
    """Full-width ASCII (＠．０-９Ａ-Ｚ) as half-width, character for character, so that positions stay the same."""
    return "".join(
        chr(ord(ch) - 0xFEE0)
        if 0xFF01 <= ord(ch) <= 0xFF5E and ch not in "，：；（）"
        else (" " if ch == "\u3000" else ch)
        for ch in text
    )

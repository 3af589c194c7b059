"""Characters a record may not hold, and characters a name may not hold.

Two rules, one place:

- **No record text** holds controls other than tab and line ends (NUL and ESC break pages, feeds and CSV readers),
  lone surrogates (no encoder can write them) or the bidirectional controls that show text in another order than it
  is stored. :mod:`xuncha_site.core.records` refuses them in every file and every YAML value (raw, or written as a
  YAML escape such as ``"\\0"``, ``"\\x1b"``, ``"\\ud800"``); the importer leaves them out.
- **No name** (of a unit, an issuer, a group, a round, an alias…) holds an invisible character: zero-width spaces and
  joiners, soft hyphens, byte-order marks and the other format characters (Unicode category Cf), and the Hangul
  fillers and the blank Braille pattern, which fonts draw as empty space. They make two names that look the same
  differ. :data:`INVISIBLE_CLASS` lists the ones of the Basic Multilingual Plane as a regular-expression class that the
  editor schema uses too; the loader also refuses the few format characters beyond it (by their Unicode category).
"""

from __future__ import annotations

import re
import unicodedata

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")

# Written out rather than generated from unicodedata, so that the editor schema does not change with the Python
# version: the format characters (Cf) of the BMP as of Unicode 15, and the blank-looking letters.
INVISIBLE_CLASS = (
    "[\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u115f\\u1160\\u180e\\u200b-\\u200f"
    "\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\u2800\\u3164\\ufeff\\uffa0\\ufff9-\\ufffb]"
)
_INVISIBLE = re.compile(INVISIBLE_CLASS)


def forbidden_character(text: str) -> tuple[int, str] | None:
    """The offset of the first character no record may hold, and how to say which it is; None when there is none."""
    found = _FORBIDDEN.search(text)
    if found is None:
        return None
    char = found.group()
    if char == "\x00":
        what = "空字符（NUL）"
    elif "\u202a" <= char <= "\u2069":
        what = f"改变文字显示方向的控制字符 U+{ord(char):04X}"
    elif "\ud800" <= char <= "\udfff":
        what = f"不成对的代理字符 U+{ord(char):04X}（不是有效的 Unicode 文字）"
    else:
        what = f"控制字符 U+{ord(char):04X}"
    return found.start(), what


def without_forbidden(text: str) -> str:
    """``text`` without the characters that no record may hold: controls become spaces, the others go."""
    return _FORBIDDEN.sub(lambda found: " " if found.group() < "\u0100" else "", text)


def invisible_character(text: str) -> str | None:
    """How to name the first invisible character in ``text`` (for a name field), or None when there is none."""
    found = _INVISIBLE.search(text)
    char = found.group() if found else next((c for c in text if unicodedata.category(c) == "Cf"), None)
    if char is None:
        return None
    return f"不可见字符 U+{ord(char):04X}（{unicodedata.name(char, '格式字符')}）"

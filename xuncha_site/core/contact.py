"""Phone numbers, e-mail addresses and postcodes as the notices write them, and their normal forms."""

from __future__ import annotations

import re
import unicodedata

# Dashes that real notices put between area code and number: 0744—6223478, 0744–6223478, 0744－6223478.
_DASHES = "-‐‑‒–—―－﹣"
_DASH_RE = re.compile(f"[{_DASHES}]+")

# The normal forms (ASCII digits: ``\d`` would also take other scripts' digits).
_LANDLINE = re.compile(r"^0[0-9]{2,3}-[0-9]{7,8}(?:-[0-9]{1,6})?$")
_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
_SERVICE = re.compile(r"^(?:[0-9]{5}|[48]00-[0-9]{3}-[0-9]{4})$")
_LOCAL = re.compile(r"^[0-9]{7,8}$")
# Patterns shared by the record loader and the editor JSON Schemas (xuncha_site.core.fields): each is valid both as a
# Python and as an ECMAScript regular expression, and is matched against the whole value.
EMAIL_PATTERN = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
POSTCODE_PATTERN = r"[0-9]{6}"
_EMAIL = re.compile(f"^{EMAIL_PATTERN}$")
_POSTCODE = re.compile(f"^{POSTCODE_PATTERN}$")


def _phone_spelling() -> str:
    """Every way of writing a phone number that :func:`normalise_phone` turns into a valid one, as one pattern.

    White space may stand between any two characters (normalising removes it); digits may be full-width; a run of
    dashes separates area code and number; ``(0744)6223478`` is bracketed. Anything else is refused, so that the
    loader and the editor schema give the same verdict.
    """
    digit, zero = "[0-9０-９]", "[0０]"
    dash = f"[{_DASHES}]+"

    def digits(low: int, high: int) -> str:
        return f"{digit}(?:\\s*{digit}){{{low - 1},{high - 1}}}"

    def seq(*parts: str) -> str:
        return "\\s*".join(parts)

    forms = (
        seq(zero, digits(2, 3), dash, digits(7, 8), f"(?:{dash}\\s*{digits(1, 6)})?"),  # 0744-6223478(-123)
        seq("[(（]", zero, digits(2, 3), "[)）]", f"(?:{dash})?", digits(7, 8)),  # (0744)6223478
        seq(zero, digits(10, 11)),  # 07446223478
        seq("[1１]", "[3-9３-９]", digits(9, 9)),  # 13812345678
        seq("[48４８]", zero, zero, dash, digits(3, 3), dash, digits(4, 4)),  # 400-123-4567
        seq("[48４８]", zero, zero, digits(7, 7)),  # 4001234567
        digits(5, 5),  # 12388
        digits(7, 8),  # 6223478
    )
    return "|".join(f"(?:{form})" for form in forms)


PHONE_PATTERN = _phone_spelling()
_PHONE = re.compile(f"\\s*(?:{PHONE_PATTERN})\\s*")
# Numbers that YAML reads as integers (an unquoted 12388 or 13812345678) and are valid phone numbers.
PHONE_INTEGER_RANGES: tuple[tuple[int, int], ...] = (
    (10_000, 99_999),
    (1_000_000, 99_999_999),
    (4_000_000_000, 4_009_999_999),
    (8_000_000_000, 8_009_999_999),
    (13_000_000_000, 19_999_999_999),
)


def normalise_phone(text: str) -> str:
    """``0744—6223478`` → ``0744-6223478``; ``(0744)6223478`` → ``0744-6223478``; full-width digits folded."""
    value = unicodedata.normalize("NFKC", text).strip()
    value = _DASH_RE.sub("-", value)
    value = re.sub(r"\s+", "", value)
    bracketed = re.match(r"^[(（](0\d{2,3})[)）]-?(\d{7,8})$", value)
    if bracketed:
        return f"{bracketed[1]}-{bracketed[2]}"
    glued = re.match(r"^(0\d{2,3})(\d{7,8})$", value)
    if glued and len(value) in (11, 12) and not _MOBILE.match(value):
        return f"{glued[1]}-{glued[2]}"
    if re.match(r"^[48]00\d{7}$", value):
        return f"{value[:3]}-{value[3:6]}-{value[6:]}"
    return value


def is_phone_spelling(text: str) -> bool:
    """Whether ``text`` is a phone number as a record may write it (see :data:`PHONE_PATTERN`)."""
    return bool(_PHONE.fullmatch(text))


def is_valid_phone(value: str) -> bool:
    return bool(_LANDLINE.match(value) or _MOBILE.match(value) or _SERVICE.match(value) or _LOCAL.match(value))


def normalise_email(text: str) -> tuple[str, bool]:
    """The address without stray white space; the flag says whether anything had to be removed."""
    folded = unicodedata.normalize("NFKC", text).strip()
    compact = re.sub(r"\s+", "", folded)
    return compact, compact != folded


def is_valid_email(value: str) -> bool:
    return bool(_EMAIL.match(value))


def is_valid_postcode(value: str) -> bool:
    return bool(_POSTCODE.match(value))


def tel_href(phone: str) -> str:
    """A ``tel:`` URI for a normalised phone number (digits, ``-`` kept as a visual separator)."""
    return "tel:" + re.sub(r"[^0-9+]", "", phone)

"""Phone numbers, e-mail addresses and postcodes as the notices write them, and their normal forms."""

from __future__ import annotations

import re
import unicodedata

# Dashes that real notices put between area code and number: 0744—6223478, 0744–6223478, 0744－6223478.
_DASHES = "-‐‑‒–—―－﹣"
_DASH_RE = re.compile(f"[{_DASHES}]+")

_LANDLINE = re.compile(r"^0\d{2,3}-\d{7,8}(?:-\d{1,6})?$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_SERVICE = re.compile(r"^(?:12388|12345|\d{5}|[48]00-\d{3}-\d{4})$")
_LOCAL = re.compile(r"^\d{7,8}$")
_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
_POSTCODE = re.compile(r"^\d{6}$")


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

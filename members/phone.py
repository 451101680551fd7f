"""UK phone numbers and postcodes: checked as typed, stored one way, shown in readable groups.

Numbers are stored as national digits only ("07700900982"), whatever spacing or "+44" form
was typed, so a search finds them and text-message senders get one format.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s\-().]")
_MOBILE = re.compile(r"^07\d{9}$")
_LANDLINE = re.compile(r"^0[123]\d{8,9}$")
_POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)(\d[A-Z]{2})$")


def normalise_uk_phone(value: str) -> str:
    """A UK mobile (07…) or landline (01…, 02…, 03…) number as national digits.

    Accepts spaces, dashes, brackets and the international forms "+44 7700 900982",
    "+44 (0)7700 900982" and "0044 7700 900982". Raises ValueError for anything else.
    """
    compact = _SEPARATORS.sub("", value.replace("(0)", ""))
    if compact.startswith("+44"):
        compact = "0" + compact[3:].lstrip("0")
    elif compact.startswith("0044"):
        compact = "0" + compact[4:].lstrip("0")
    if not compact.isdigit() or not (_MOBILE.match(compact) or _LANDLINE.match(compact)):
        raise ValueError(f"{value!r} is not a UK phone number")
    return compact


def format_uk_phone(digits: str) -> str:
    """Stored digits in the groups people read them in: 07700 900982, 020 7946 0958, 0300 123 4567."""
    if not digits or not digits.isdigit():
        return digits
    if digits.startswith("02") and len(digits) == 11:
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    if digits.startswith(("03", "08")) and len(digits) == 11:
        return f"{digits[:4]} {digits[4:7]} {digits[7:]}"
    if len(digits) == 11 and (digits[:4] in {"0113", "0114", "0115", "0116", "0117", "0118"} or digits[3] == "1"):
        return f"{digits[:4]} {digits[4:7]} {digits[7:]}"
    return f"{digits[:5]} {digits[5:]}"


def normalise_uk_postcode(value: str) -> str:
    """A UK postcode in capitals with one space ("EX1 2AB"). Raises ValueError for anything else."""
    compact = re.sub(r"\s", "", value).upper()
    match = _POSTCODE.match(compact)
    if not match:
        raise ValueError(f"{value!r} is not a UK postcode")
    return f"{match.group(1)} {match.group(2)}"

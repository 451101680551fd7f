"""Reading an amount or a number of miles as typed ("£4.50", "1,250", "12.5") into a Decimal
within the claim limits. The cost form uses it to put a message by the box; the services use
it again because the admin, the demo data and tests pass text too."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from . import rates
from .rules import MAX_ITEM_AMOUNT, MAX_MILES, MIN_ITEM_AMOUNT, ClaimError

# "1,250.00" is a thousands separator; "4,50" is a decimal comma, which must not become £450.
_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")


def parse_number(value, *, field: str, label: str) -> Decimal:
    """A finite number from what was typed, allowing a leading £ and thousands commas."""
    text = str(value).strip().lstrip("£").strip()
    if "," in text:
        if not _THOUSANDS.match(text):
            raise ClaimError(f"Enter the {label} as a number with a full stop for pence, like 12.50.", field=field)
        text = text.replace(",", "")
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        raise ClaimError(f"Enter the {label} as a number, like 12.50.", field=field) from None
    if not number.is_finite():
        raise ClaimError(f"Enter the {label} as a number, like 12.50.", field=field)
    return number


def clean_amount(value) -> Decimal:
    """An amount in pounds from 1p to £1,000, rounded to the penny."""
    if value in (None, ""):
        raise ClaimError("Enter the amount you spent.", field="amount")
    amount = parse_number(value, field="amount", label="amount")
    if amount < MIN_ITEM_AMOUNT:
        raise ClaimError("The amount must be more than £0.", field="amount")
    if amount > MAX_ITEM_AMOUNT:
        raise ClaimError(
            "The amount must be £1,000 or less. For a larger cost, please talk to the team first.", field="amount"
        )
    return rates.round_to_pence(amount)


def clean_miles(value) -> Decimal:
    """Miles from more than 0 up to 500, to one decimal place."""
    if value in (None, ""):
        raise ClaimError("Enter how many miles you travelled.", field="miles")
    miles = parse_number(value, field="miles", label="miles")
    if miles <= 0:
        raise ClaimError("The miles must be more than 0.", field="miles")
    if miles > MAX_MILES:
        raise ClaimError(
            "The miles must be 500 or fewer for one journey. Check the number, or talk to the team.", field="miles"
        )
    return miles.quantize(Decimal("0.1"))

"""The forms a member fills in to claim: a cost (one form per kind of cost), and sending the claim.

Amounts and miles are text fields read by ``expenses.parsing``, as ``expenses.services`` reads
them again, so whatever was typed, even "abc" or "-5", comes back in the box with a
message by it. Receipts use ``expenses.uploads.ReceiptField``: checked by content and size.
"""

from __future__ import annotations

import re
import uuid
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from nhsuk_forms.limits import NoBrowserLimits, drop_browser_limits, too_long

from . import parsing
from .models import Category, ExpenseRules
from .rules import MAX_MESSAGE_LENGTH, ClaimError
from .uploads import ReceiptField

DESCRIPTION_MAX = 200
TAXI_REASON_MAX = 300
MESSAGE_MAX = MAX_MESSAGE_LENGTH

# "4,50" or "12,5": a comma used for the decimal point (a thousands comma has three digits after it).
DECIMAL_COMMA = re.compile(r"£?\s*\d+,\d{1,2}")

# Amounts and miles: a number keypad on phones, no autofill or spelling suggestions, a short box.
NUMBER_ATTRS = {"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false", "class": "nhsuk-input--width-5"}

# What each kind of cost asks for beyond the amount and the receipt.
DESCRIPTION_LABELS = {
    Category.MILEAGE: (
        "Where did you drive from and to? (optional)",
        "For example, home to Riverside House and back.",
    ),
    Category.PUBLIC_TRANSPORT: ("What was the ticket for? (optional)", "For example, return bus ticket."),
    Category.PARKING: ("Where did you park? (optional)", "For example, the car park next to the venue."),
    Category.TAXI: ("Where was the taxi from and to? (optional)", "For example, the station to the venue."),
    Category.CHILDCARE: (
        "What was the childcare? (optional)",
        "For example, 3 hours with a childminder while I took part.",
    ),
    Category.CARER: (
        "What was the care? (optional)",
        "For example, a carer for my mum for the afternoon.",
    ),
    Category.OTHER: ("What was it for?", "For example, a printer cartridge to print the papers for the meeting."),
}

# The receipt box's label where "Receipt or ticket" would not fit.
RECEIPT_LABELS = {Category.MILEAGE: "Receipt, for example for fuel"}

# Page headings for adding each kind of cost.
ADD_HEADINGS = {
    Category.MILEAGE: "Add mileage",
    Category.PUBLIC_TRANSPORT: "Add a bus, train or tram fare",
    Category.PARKING: "Add parking",
    Category.TAXI: "Add a taxi fare",
    Category.CHILDCARE: "Add childcare",
    Category.CARER: "Add carer costs",
    Category.OTHER: "Add another cost",
}

# How each kind of cost is offered on the claim page.
ADD_LINKS = [
    (Category.MILEAGE, "Mileage", "Driving your own car or motorbike."),
    (Category.PUBLIC_TRANSPORT, "Bus, train or tram", "Your fare, with the ticket or a screenshot of it."),
    (Category.PARKING, "Parking", "Car park or meter charges."),
    (Category.TAXI, "Taxi", "When a taxi was the only practical way to get there."),
    (Category.CHILDCARE, "Childcare", "Paying someone to look after your children so you could take part."),
    (Category.CARER, "Carer costs", "Paying for care for someone you look after."),
    (Category.OTHER, "Something else", "Any other cost of taking part."),
]


def _from_claim_error(error: ClaimError) -> ValidationError:
    return ValidationError(error.message)


class ItemForm(forms.Form):
    """One cost. Built for a category: mileage asks for miles (we work out the amount); every
    other kind asks for the amount; every kind offers a receipt upload (needed before sending
    only if the rules say so); a taxi also asks why it was needed.

    ``token`` is a one-off id for this form, so sending the same form twice (a double click,
    the browser resending after a slow answer) adds the cost only once.
    """

    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, category: str, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.category = Category(category)
        self.item = item
        description_label, description_hint = DESCRIPTION_LABELS[self.category]
        fields: dict[str, forms.Field] = {}
        if self.category == Category.MILEAGE:
            fields["miles"] = forms.CharField(
                label="How many miles did you drive?",
                help_text="Count the whole journey, there and back. For example, 12.5.",
                required=False,
                widget=forms.TextInput(attrs=NUMBER_ATTRS),
            )
            fields["miles"].suffix = "miles"
        else:
            fields["amount"] = forms.CharField(
                label="How much did you spend?",
                help_text="In pounds and pence, for example 4.50.",
                required=False,
                widget=forms.TextInput(attrs=NUMBER_ATTRS),
            )
            fields["amount"].prefix = "£"
        if self.category == Category.TAXI:
            fields["taxi_reason"] = forms.CharField(
                label="Why did you need a taxi?",
                help_text="For example, there is no bus at that time, or I could not manage the walk with my baby.",
                max_length=TAXI_REASON_MAX,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"max_length": too_long("The reason")},
            )
        fields["description"] = forms.CharField(
            label=description_label,
            help_text=description_hint,
            max_length=DESCRIPTION_MAX,
            required=False,
            error_messages={"max_length": too_long("This")},
        )
        # Every kind of cost can have a receipt, mileage too: the rules may ask for one for any
        # kind (a fuel receipt, say), and a rule the member could never meet would block the claim.
        fields["receipt"] = ReceiptField(
            label=RECEIPT_LABELS.get(self.category, "Receipt or ticket"),
            required=False,
            help_text=receipt_hint(self.category, has_receipt=bool(item and item.receipt)),
        )
        if item is not None and item.receipt:
            fields["remove_receipt"] = forms.BooleanField(
                label=f"Remove the receipt I added ({item.receipt_name or 'receipt'})",
                required=False,
            )
        self.fields.update(fields)
        drop_browser_limits(self)
        if not self.is_bound and not self.initial.get("token"):
            self.initial["token"] = uuid.uuid4().hex

    def clean_amount(self) -> Decimal:
        value = self.cleaned_data["amount"].strip()
        if DECIMAL_COMMA.fullmatch(value):
            # "4,50" is £4.50 in much of Europe, but would be read as £450: ask rather than guess.
            raise ValidationError("Use a full stop between pounds and pence, like 4.50.")
        try:
            return parsing.clean_amount(value)
        except ClaimError as error:
            raise _from_claim_error(error) from None

    def clean_miles(self) -> Decimal:
        value = self.cleaned_data["miles"].strip()
        if DECIMAL_COMMA.fullmatch(value):
            raise ValidationError("Use a full stop for part of a mile, like 12.5.")
        try:
            return parsing.clean_miles(value)
        except ClaimError as error:
            raise _from_claim_error(error) from None

    def clean_taxi_reason(self) -> str:
        reason = self.cleaned_data["taxi_reason"].strip()
        if not reason:
            raise ValidationError("Tell us why you needed a taxi, for example no bus at that time.")
        return reason

    def clean_description(self) -> str:
        description = " ".join(self.cleaned_data["description"].split())
        if self.category == Category.OTHER and not description:
            raise ValidationError("Tell us what the cost was for.")
        return description

    def clean_token(self) -> str:
        token = self.cleaned_data.get("token", "")
        try:
            return uuid.UUID(token).hex
        except ValueError:
            return ""  # an old or edited page: the form still works, without the double-send guard

    def service_fields(self) -> dict:
        """Keyword arguments for ``services.add_item`` / ``services.update_item``."""
        data = self.cleaned_data
        fields = {
            "amount": data.get("amount"),
            "miles": data.get("miles"),
            "description": data.get("description", ""),
            "taxi_reason": data.get("taxi_reason", ""),
            "receipt": data.get("receipt"),
        }
        if "remove_receipt" in self.fields:
            fields["remove_receipt"] = bool(data.get("remove_receipt"))
        return fields


class SubmitForm(NoBrowserLimits, forms.Form):
    """Sending a claim (or sending it back after a question), with the declaration."""

    CONFIRM = "confirmed"

    message = forms.CharField(
        label="Your reply to the team (optional)",
        help_text="Tell us what you have changed, or answer the question here.",
        max_length=MESSAGE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": too_long("Your reply")},
    )
    declaration = forms.MultipleChoiceField(
        label="Declaration",
        help_text="We need you to confirm this before we can pay you.",
        choices=[
            (
                CONFIRM,
                "I confirm that I took part in this activity, that the costs above are what I really spent "
                "because I took part, and that I have not claimed them from anywhere else.",
            )
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Confirm the declaration to send your claim."},
    )

    # The form's own errors (a receipt still missing, say) are about the costs listed above it.
    error_summary_href = "#your-costs"

    def __init__(self, *args, answering_query: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["declaration"].legend_size = "s"
        if not answering_query:
            del self.fields["message"]

    def clean_declaration(self) -> bool:
        return self.CONFIRM in (self.cleaned_data.get("declaration") or [])

    def clean_message(self) -> str:
        return self.cleaned_data["message"].strip()


def item_initial(item) -> dict:
    """What an item's form starts with when the member changes it."""
    return {
        "amount": "" if item.amount is None else f"{item.amount:.2f}",
        "miles": "" if item.miles is None else f"{item.miles.normalize():f}",
        "description": item.description,
        "taxi_reason": item.taxi_reason,
    }


def receipt_hint(category: str, *, has_receipt: bool = False) -> str:
    needed = category in set(ExpenseRules.load().receipt_required_for or [])
    megabytes = settings.RECEIPT_MAX_BYTES / (1024 * 1024)
    size = f"{megabytes:.0f} MB" if megabytes >= 1 else f"{settings.RECEIPT_MAX_BYTES // 1024} KB"
    base = f"A photo (JPEG, PNG or HEIC) or a PDF, smaller than {size}."
    if has_receipt:
        return f"{base} Choose a file only if you want to replace the receipt you added."
    if needed:
        return f"{base} You can add it later, but we need it before you send the claim."
    return f"{base} Optional."

"""What a member needs for one meeting, asked when they sign up (prefilled from their profile)."""

from __future__ import annotations

from django import forms

from nhsuk_forms.limits import drop_browser_limits, too_long

# The tick-box needs, and the Registration field each one sets.
NEED_CHOICES = [
    ("needs_childcare", "Childcare, or I will bring my baby"),
    ("needs_step_free", "Step-free access"),
    ("needs_bsl", "A British Sign Language (BSL) interpreter"),
]
NEED_FIELDS = [field for field, _ in NEED_CHOICES]


class MeetingNeedsForm(forms.Form):
    """The needs fields of a Registration, in the member's words."""

    needs = forms.MultipleChoiceField(
        label="What do you need for this meeting?",
        help_text="Select all that apply. We have filled in what you told us in your profile.",
        choices=NEED_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    interpreter_language = forms.CharField(
        label="An interpreter for another language (optional)",
        help_text="Tell us which language, for example Polish or Urdu.",
        max_length=60,
        required=False,
        error_messages={"max_length": too_long("The language")},
    )
    dietary = forms.CharField(
        label="Food and drink (optional)",
        help_text="For example, vegetarian, halal or a food allergy.",
        max_length=200,
        required=False,
        error_messages={"max_length": too_long("Food and drink")},
    )
    other_needs = forms.CharField(
        label="Anything else we should know (optional)",
        help_text="Anything that would make it easier for you to take part.",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": too_long("Anything else")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        drop_browser_limits(self)

    @classmethod
    def initial_from(cls, needs: dict) -> dict:
        """Initial values from a needs dict (a registration's, or `needs_from_profile`)."""
        return {
            "needs": [field for field in NEED_FIELDS if needs.get(field)],
            "interpreter_language": needs.get("interpreter_language", ""),
            "dietary": needs.get("dietary", ""),
            "other_needs": needs.get("other_needs", ""),
        }

    def clean_interpreter_language(self) -> str:
        return " ".join(self.cleaned_data["interpreter_language"].split())

    def clean_dietary(self) -> str:
        return " ".join(self.cleaned_data["dietary"].split())

    def clean_other_needs(self) -> str:
        return self.cleaned_data["other_needs"].strip()

    def to_needs(self) -> dict:
        """The Registration fields to save, for `register_for_meeting(needs=...)`."""
        data = self.cleaned_data
        return {
            **{field: field in data["needs"] for field in NEED_FIELDS},
            "interpreter_language": data["interpreter_language"],
            "dietary": data["dietary"],
            "other_needs": data["other_needs"],
        }


def needs_of(registration) -> dict:
    """A registration's needs as a dict, to prefill the form when a member changes them."""
    return {
        **{field: getattr(registration, field) for field in NEED_FIELDS},
        "interpreter_language": registration.interpreter_language,
        "dietary": registration.dietary,
        "other_needs": registration.other_needs,
    }

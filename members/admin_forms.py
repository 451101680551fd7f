"""Forms for the coordinators' own admin pages: registering someone by phone or on paper,
choosing a contact list to export, and the member page's topics."""

from __future__ import annotations

from typing import Any

from django import forms

from .models import Channel, Consent, ConsentText, Member
from .phone import normalise_uk_phone, normalise_uk_postcode
from .services import email_in_use

ACCESS_NEEDS = [
    ("needs_large_print", "Large print"),
    ("needs_easy_read", "Easy Read"),
    ("needs_bsl", "BSL interpreter"),
    ("needs_interpreter", "Spoken-language interpreter"),
    ("needs_step_free", "Step-free access"),
    ("needs_childcare", "Childcare or bringing a baby"),
]

DUPLICATE_EMAIL = (
    "Someone already has an account with this email address. "
    "Search for them in the member list, or leave the email address empty."
)


def clean_uk_phone(value: str) -> str:
    """A UK phone number stored as national digits (see members/phone.py), or a field error."""
    if not value.strip():
        return ""
    try:
        return normalise_uk_phone(value)
    except ValueError:
        raise forms.ValidationError(
            "Enter a UK phone number, like 07700 900 123 or 0113 496 0000", code="invalid_phone"
        ) from None


class RegisterMemberForm(forms.Form):
    """Someone who joined by phone or on paper, and the decisions they told the coordinator."""

    YES_NO = [("yes", "Yes"), ("no", "No")]

    name = forms.CharField(
        label="Name",
        max_length=150,
        help_text="The name they would like us to use.",
        error_messages={"max_length": "Name must be 150 characters or fewer"},
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        help_text="Optional. If you enter one, we email them a link to set a password.",
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    phone = forms.CharField(label="Phone number", required=False, max_length=30, help_text="Optional. UK numbers only.")
    postal_address = forms.CharField(
        label="Postal address",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Optional. Without the postcode.",
    )
    postcode = forms.CharField(label="Postcode", required=False, max_length=10)
    channels = forms.MultipleChoiceField(
        label="Ways they are happy to be contacted",
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contact_frequency = forms.ChoiceField(
        label="How often", choices=[("", "Not said"), *Member.Frequency.choices], required=False
    )
    access_needs = forms.MultipleChoiceField(
        label="Access needs", choices=ACCESS_NEEDS, required=False, widget=forms.CheckboxSelectMultiple
    )
    interpreter_language = forms.CharField(label="Interpreter language", required=False, max_length=60)
    access_other = forms.CharField(
        label="Other access needs", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    preferred_language = forms.CharField(label="Preferred language", required=False, max_length=60)
    heard_about = forms.ChoiceField(
        label="How they heard about the group", choices=[("", "Not said"), *Member.HeardAbout.choices], required=False
    )
    status = forms.ChoiceField(
        label="Membership",
        choices=[(Member.Status.ACTIVE, "Active"), (Member.Status.INTERESTED, "Interested (not joined in yet)")],
        initial=Member.Status.ACTIVE,
        widget=forms.RadioSelect,
    )
    method = forms.ChoiceField(
        label="How did they give their answers?",
        choices=[(Consent.Method.PHONE, "By phone"), (Consent.Method.PAPER, "On paper")],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether they told you by phone or on paper"},
    )
    respect_agreement = forms.ChoiceField(
        label="Respect agreement",
        choices=[("yes", "They accept it"), ("not_yet", "Not yet: they will be asked when they log in or come along")],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether they accept the respect agreement"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One yes/no question per consent purpose, in the order members see them online.
        for purpose in ConsentText.CONSENT_PURPOSES:
            self.fields[purpose.value] = forms.ChoiceField(
                label=purpose.label,
                choices=self.YES_NO,
                widget=forms.RadioSelect,
                error_messages={"required": f"Say whether they agree to: {purpose.label.lower()}"},
            )

    def fieldsets(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        def bound(*names):
            return [self[name] for name in names]

        return [
            ("Who they are", "", bound("name", "email", "status")),
            (
                "How to contact them",
                "Tick only the ways they said yes to.",
                bound("phone", "postal_address", "postcode", "channels", "contact_frequency", "preferred_language"),
            ),
            (
                "Consent",
                "Read each one to them (or check their form) and record their answer. "
                "We can only register someone who agrees to us keeping their details.",
                bound("method", *[p.value for p in ConsentText.CONSENT_PURPOSES], "respect_agreement"),
            ),
            (
                "Access needs and how they heard about us",
                "All optional.",
                bound("access_needs", "interpreter_language", "access_other", "heard_about"),
            ),
        ]

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not any(character.isalpha() for character in name):
            raise forms.ValidationError("Enter their name using letters")
        return name

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if email and email_in_use(email):
            raise forms.ValidationError(DUPLICATE_EMAIL, code="duplicate")
        return email

    def clean_phone(self) -> str:
        return clean_uk_phone(self.cleaned_data["phone"])

    def clean_postcode(self) -> str:
        postcode = self.cleaned_data["postcode"].strip()
        if not postcode:
            return ""
        try:
            return normalise_uk_postcode(postcode)
        except ValueError:
            raise forms.ValidationError("Enter a real postcode, like RT1 2AB") from None

    def clean_keep_details(self) -> str:
        if self.cleaned_data["keep_details"] != "yes":
            raise forms.ValidationError(
                "We cannot register someone who does not agree to us keeping their details. "
                "Thank them, and do not keep their details."
            )
        return "yes"

    def clean(self):
        cleaned = super().clean()
        channels = set(cleaned.get("channels") or [])
        needs = {
            Channel.EMAIL: ("email", "Enter their email address, or untick email"),
            Channel.SMS: ("phone", "Enter their phone number, or untick text message"),
            Channel.PHONE: ("phone", "Enter their phone number, or untick phone call"),
            Channel.POST: ("postal_address", "Enter their postal address, or untick post"),
        }
        for channel, (field, message) in needs.items():
            # Only when the field itself was valid: an invalid value already has its own message.
            if channel in channels and field in cleaned and not cleaned[field]:
                self.add_error(field, message)
        if (
            "interpreter_language" in cleaned
            and cleaned["interpreter_language"]
            and "needs_interpreter" not in (cleaned.get("access_needs") or [])
        ):
            cleaned["access_needs"] = [*(cleaned.get("access_needs") or []), "needs_interpreter"]
        return cleaned

    def registration(self) -> dict[str, Any]:
        """The keyword arguments for `services.register_member_by_staff` (all but recorded_by)."""
        data = self.cleaned_data
        channels = set(data["channels"])
        needs = set(data["access_needs"])
        profile = {
            "status": data["status"],
            "phone": data["phone"],
            "postal_address": data["postal_address"],
            "postcode": data["postcode"],
            "contact_frequency": data["contact_frequency"],
            "preferred_language": data["preferred_language"],
            "interpreter_language": data["interpreter_language"],
            "access_other": data["access_other"],
            "heard_about": data["heard_about"],
            **{f"contact_by_{channel.value}": channel.value in channels for channel in Channel},
            **{field: field in needs for field, _ in ACCESS_NEEDS},
        }
        decisions = {purpose.value: data[purpose.value] == "yes" for purpose in ConsentText.CONSENT_PURPOSES}
        if data["respect_agreement"] == "yes":
            decisions[ConsentText.Purpose.RESPECT_AGREEMENT.value] = True
        return {
            "name": data["name"],
            "email": data["email"] or None,
            "method": data["method"],
            "decisions": decisions,
            "profile": profile,
        }


class ContactExportForm(forms.Form):
    channel = forms.ChoiceField(
        label="Which channel?",
        choices=Channel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the channel the list is for"},
    )


class MemberAdminForm(forms.ModelForm):
    """The member page's form: lived-experience topics as tick boxes rather than raw JSON."""

    topics = forms.MultipleChoiceField(
        label="Lived-experience topics",
        choices=Member.Topic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only what they chose to tell us. Never required.",
    )

    class Meta:
        model = Member
        fields = ["phone", "topics"]  # the admin adds the rest from its fieldsets

    def clean_phone(self) -> str:
        # A number saved before this check (or typed by the member) is left alone unless changed.
        if "phone" not in self.changed_data:
            return self.cleaned_data["phone"]
        return clean_uk_phone(self.cleaned_data["phone"])

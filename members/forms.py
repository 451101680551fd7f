"""Forms for accounts (allauth's log-in and sign-up) and for a member's own pages.

The member forms are the onboarding steps; the profile's "Change" links reuse them. Choice
fields can carry display hints that the NHS.UK form pack (``nhsuk_forms``) draws:
``divider_before`` (an "or" line before, say, "Prefer not to say", which also clears the other
boxes when ticked), ``conditionals`` (a field revealed under an option) and ``legend_size``.
"""

from __future__ import annotations

from allauth.account.forms import AddEmailForm as AllauthAddEmailForm
from allauth.account.forms import ChangePasswordForm as AllauthChangePasswordForm
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.account.forms import ResetPasswordKeyForm as AllauthResetPasswordKeyForm
from allauth.account.forms import SetPasswordForm as AllauthSetPasswordForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.db import transaction

from .models import Channel, EqualityMonitoring, Member, User
from .phone import format_uk_phone, normalise_uk_phone, normalise_uk_postcode

NAME_MAX_LENGTH = User._meta.get_field("name").max_length
PREFER_NOT = "prefer_not"


def clean_person_name(value: str) -> str:
    """A name with its spacing tidied; it must contain at least one letter (in any alphabet)."""
    name = " ".join(value.split())
    if not any(ch.isalpha() for ch in name):
        raise forms.ValidationError("Enter your name using letters.")
    return name


def name_field(**kwargs) -> forms.CharField:
    return forms.CharField(
        label="Your name",
        max_length=NAME_MAX_LENGTH,
        error_messages={
            "required": "Enter your name",
            "max_length": f"Your name must be {NAME_MAX_LENGTH} characters or fewer",
        },
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        **kwargs,
    )


PASSWORD_HINT = "At least 10 characters. A few words you will remember work well."


class LoginForm(AllauthLoginForm):
    """allauth's log-in form in the portal's words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Email address"
        self.fields["password"].label = "Password"


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form, asking also what the person would like to be called."""

    name = name_field(help_text="The name you would like us to use. It does not have to be your full or legal name.")

    field_order = ["name", "email", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.fields["email"].help_text = "We will send you a link to check it is yours."
        self.fields["password1"].label = "Create a password"
        self.fields["password1"].help_text = PASSWORD_HINT
        self.fields["password2"].label = "Type the password again"

    def clean_name(self) -> str:
        return clean_person_name(self.cleaned_data["name"])

    def save(self, request):
        user = super().save(request)
        user.name = self.cleaned_data["name"]
        user.save(update_fields=["name"])
        return user


def _in_our_words(form: forms.Form, labels: dict[str, str], hints: dict[str, str] | None = None) -> None:
    """allauth's labels in sentence case and plain English; its placeholders (which repeat the
    label, in title case, and vanish as someone types) removed."""
    for name, label in labels.items():
        field = form.fields[name]
        field.label = label
        field.widget.attrs.pop("placeholder", None)
    for name, hint in (hints or {}).items():
        form.fields[name].help_text = hint


class ChangePasswordForm(AllauthChangePasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {
            "oldpassword": "Current password",
            "password1": "New password",
            "password2": "Type the new password again",
        }
        _in_our_words(self, labels, {"password1": PASSWORD_HINT})


class SetPasswordForm(AllauthSetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {"password1": "Create a password", "password2": "Type the password again"}
        _in_our_words(self, labels, {"password1": PASSWORD_HINT})


class ResetPasswordForm(AllauthResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _in_our_words(self, {"email": "Email address"})


class ResetPasswordKeyForm(AllauthResetPasswordKeyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {"password1": "New password", "password2": "Type the new password again"}
        _in_our_words(self, labels, {"password1": PASSWORD_HINT})


class AddEmailForm(AllauthAddEmailForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _in_our_words(self, {"email": "Email address"})


# --- A member's own forms --------------------------------------------------------------------


def _radios(label: str, choices, *, help_text: str = "", required: bool = False, **messages) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        help_text=help_text,
        widget=forms.RadioSelect,
        error_messages=messages,
    )


def _text(label: str, max_length: int, *, subject: str, help_text: str = "", autocomplete: str = "") -> forms.CharField:
    """An optional line of text; `subject` names it in the too-long message ("Pronouns must be…")."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.TextInput(attrs={"autocomplete": autocomplete} if autocomplete else {}),
        error_messages={"max_length": f"{subject} must be {max_length} characters or fewer"},
    )


class MemberFieldsForm(forms.ModelForm):
    """A member form that saves only its own fields, so a change never overwrites others."""

    class Meta:
        model = Member
        fields: list[str] = []

    def changed_member_fields(self) -> list[str]:
        return list(self._meta.fields)

    def save(self, commit: bool = True) -> Member:
        member = super().save(commit=False)
        if commit:
            member.save(update_fields=self.changed_member_fields())
        return member


class ContactForm(MemberFieldsForm):
    """Step 1: the ways we may contact the member, the details each needs, and how often."""

    channels = forms.MultipleChoiceField(
        label="How would you like us to contact you?",
        help_text="Choose all that suit you. We will only use the ways you choose.",
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one way we can contact you"},
    )
    phone = forms.CharField(
        label="Phone number",
        required=False,
        max_length=30,
        help_text="Only needed for text messages or phone calls. For example, 07700 900982 or 0300 123 4567.",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "class": "nhsuk-u-width-two-thirds"}),
        error_messages={"max_length": "Enter a UK phone number, like 07700 900982 or 0300 123 4567"},
    )
    postal_address = forms.CharField(
        label="Postal address",
        required=False,
        max_length=500,
        help_text="Only needed if you would like letters. Leave out the postcode, there is a box for it below.",
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
        error_messages={"max_length": "Postal address must be 500 characters or fewer"},
    )
    postcode = forms.CharField(
        label="Postcode",
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "class": "nhsuk-input--width-10"}),
        error_messages={"max_length": "Enter a real postcode, like EX1 2AB"},
    )
    contact_frequency = _radios(
        "How often would you like to hear from us?",
        Member.Frequency.choices,
        required=True,
    )

    field_order = ["channels", "phone", "postal_address", "postcode", "contact_frequency"]

    class Meta:
        model = Member
        fields = ["phone", "postal_address", "postcode", "contact_frequency"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_frequency"].error_messages = {
            "required": "Choose how often you would like to hear from us",
            "invalid_choice": "Choose how often you would like to hear from us",
        }
        self.fields["channels"].error_messages["invalid_choice"] = "Choose from the ways listed"
        if self.instance.pk and not self.is_bound:
            self.initial["channels"] = self.instance.channels
            self.initial["phone"] = format_uk_phone(self.instance.phone)

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        if not value:
            return ""
        try:
            return normalise_uk_phone(value)
        except ValueError:
            raise forms.ValidationError("Enter a UK phone number, like 07700 900982 or 0300 123 4567") from None

    def clean_postal_address(self) -> str:
        lines = (line.strip() for line in self.cleaned_data["postal_address"].splitlines())
        return "\n".join(line for line in lines if line)

    def clean_postcode(self) -> str:
        value = self.cleaned_data["postcode"].strip()
        if not value:
            return ""
        try:
            return normalise_uk_postcode(value)
        except ValueError:
            raise forms.ValidationError("Enter a real postcode, like EX1 2AB") from None

    def clean(self):
        cleaned = super().clean()
        channels = set(cleaned.get("channels") or [])
        if "phone" not in self.errors and not cleaned.get("phone"):
            if Channel.SMS in channels and Channel.PHONE in channels:
                self.add_error("phone", "Enter a phone number so we can text and call you")
            elif Channel.SMS in channels:
                self.add_error("phone", "Enter a mobile phone number so we can send you text messages")
            elif Channel.PHONE in channels:
                self.add_error("phone", "Enter a phone number so we can call you")
        if Channel.SMS in channels and cleaned.get("phone", "").startswith(("01", "02", "03")):
            self.add_error("phone", "Enter a mobile number (starting 07) for text messages, or untick text message")
        if Channel.POST in channels:
            if "postal_address" not in self.errors and not cleaned.get("postal_address"):
                self.add_error("postal_address", "Enter your postal address so we can send you letters")
            if "postcode" not in self.errors and not cleaned.get("postcode"):
                self.add_error("postcode", "Enter your postcode so we can send you letters")
        return cleaned

    def changed_member_fields(self) -> list[str]:
        return [*self._meta.fields, *(f"contact_by_{channel.value}" for channel in Channel)]

    def save(self, commit: bool = True) -> Member:
        member = self.instance
        channels = set(self.cleaned_data["channels"])
        for channel in Channel:
            setattr(member, f"contact_by_{channel.value}", channel.value in channels)
        return super().save(commit=commit)


class ConsentDecisionForm(forms.Form):
    """Step 2 (one purpose at a time) and the review page: yes or no to one consent text."""

    given = forms.TypedChoiceField(
        label="Do you agree?",
        choices=[("yes", "Yes, I agree"), ("no", "No, I do not agree")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose yes or no", "invalid_choice": "Choose yes or no"},
    )

    def __init__(self, *args, text=None, **kwargs):
        super().__init__(*args, **kwargs)
        if text is not None:
            title = text.title[:1].lower() + text.title[1:]
            self.fields["given"].error_messages = {
                "required": f"Choose yes or no for {title}",
                "invalid_choice": f"Choose yes or no for {title}",
            }


class ConsentReviewForm(forms.Form):
    """The review page: a yes or no for each purpose whose text has a newer version."""

    def __init__(self, *args, consents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.consents = list(consents)
        for consent in self.consents:
            title = consent.text.title[:1].lower() + consent.text.title[1:]
            self.fields[consent.purpose] = forms.TypedChoiceField(
                label=f"Do you agree to the new version of “{consent.text.title}”?",
                choices=[("yes", "Yes, I agree"), ("no", "No, I do not agree")],
                coerce=lambda value: value == "yes",
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Choose yes or no for {title}",
                    "invalid_choice": f"Choose yes or no for {title}",
                },
            )
            self.fields[consent.purpose].legend_size = "s"

    def decisions(self) -> dict[str, bool]:
        return {consent.purpose: self.cleaned_data[consent.purpose] for consent in self.consents}


ACCESS_NEEDS = [
    ("needs_large_print", "Large print"),
    ("needs_easy_read", "Easy Read"),
    ("needs_bsl", "British Sign Language (BSL) interpreter"),
    ("needs_interpreter", "Spoken-language interpreter"),
    ("needs_step_free", "Step-free access"),
    ("needs_childcare", "Childcare, or bringing your baby with you"),
]


class AccessForm(MemberFieldsForm):
    """Step 4: access needs and preferred language, all optional."""

    needs = forms.MultipleChoiceField(
        label="Is there anything that would help you take part?",
        help_text="Choose any that apply. You can tell us more below, or change this at any time.",
        choices=ACCESS_NEEDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose from the options listed"},
    )
    interpreter_language = _text("Which language would you like an interpreter for?", 60, subject="The language")
    access_other = forms.CharField(
        label="Anything else we can do to help (optional)",
        help_text="For example, a quiet space, breaks, or information sent to you before a meeting.",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "Tell us in 1,000 characters or fewer"},
    )
    preferred_language = _text(
        "Your preferred language (optional)",
        60,
        subject="Your preferred language",
        help_text="If you would like us to write or speak to you in a language other than English.",
        autocomplete="language",
    )

    field_order = ["needs", "interpreter_language", "access_other", "preferred_language"]

    class Meta:
        model = Member
        fields = ["interpreter_language", "access_other", "preferred_language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needs"].conditionals = {"needs_interpreter": ["interpreter_language"]}
        if self.instance.pk and not self.is_bound:
            self.initial["needs"] = [name for name, _ in ACCESS_NEEDS if getattr(self.instance, name)]

    def clean(self):
        cleaned = super().clean()
        needs = set(cleaned.get("needs") or [])
        if "needs_interpreter" in needs:
            if "interpreter_language" not in self.errors and not cleaned.get("interpreter_language", "").strip():
                self.add_error("interpreter_language", "Enter the language you would like an interpreter for")
        else:
            cleaned["interpreter_language"] = ""
        return cleaned

    def changed_member_fields(self) -> list[str]:
        return [*self._meta.fields, *(name for name, _ in ACCESS_NEEDS)]

    def save(self, commit: bool = True) -> Member:
        member = self.instance
        needs = set(self.cleaned_data["needs"])
        for name, _ in ACCESS_NEEDS:
            setattr(member, name, name in needs)
        return super().save(commit=commit)


class AboutForm(MemberFieldsForm):
    """Step 5: relationship to the service, lived-experience topics, how they heard. All optional."""

    relationship = _radios(
        "How are you connected to the service?",
        Member.Relationship.choices,
        invalid_choice="Choose one of the options listed",
    )
    relationship_other = _text("If other, how are you connected? (optional)", 100, subject="Your answer")
    topics = forms.MultipleChoiceField(
        label="Which experiences would you like to help with?",
        help_text=(
            "This helps us invite you to things that matter to you, and not to things that might be hard. "
            "Choose any that apply."
        ),
        choices=[*Member.Topic.choices, (PREFER_NOT, "Prefer not to say")],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose from the options listed"},
    )
    topics_other = _text("Tell us which (optional)", 200, subject="Your answer")
    heard_about = _radios(
        "How did you hear about the group?",
        Member.HeardAbout.choices,
        help_text="This helps us reach more people.",
        invalid_choice="Choose one of the options listed",
    )
    heard_about_other = _text("If other, where did you hear about us? (optional)", 100, subject="Your answer")

    field_order = ["relationship", "relationship_other", "topics", "topics_other", "heard_about", "heard_about_other"]

    class Meta:
        model = Member
        fields = ["relationship", "relationship_other", "topics_other", "heard_about", "heard_about_other"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["relationship"].divider_before = PREFER_NOT
        self.fields["relationship"].conditionals = {"other": ["relationship_other"]}
        self.fields["topics"].divider_before = PREFER_NOT
        self.fields["topics"].conditionals = {"other": ["topics_other"]}
        self.fields["heard_about"].divider_before = PREFER_NOT
        self.fields["heard_about"].conditionals = {"other": ["heard_about_other"]}
        if self.instance.pk and not self.is_bound:
            topics = list(self.instance.topics or [])
            if self.instance.topics_prefer_not:
                topics.append(PREFER_NOT)
            self.initial["topics"] = topics

    def clean(self):
        cleaned = super().clean()
        topics = cleaned.get("topics") or []
        if PREFER_NOT in topics and len(topics) > 1:
            self.add_error("topics", "Choose the experiences that apply, or “Prefer not to say”, not both")
        if cleaned.get("relationship") != Member.Relationship.OTHER:
            cleaned["relationship_other"] = ""
        if Member.Topic.OTHER not in topics:
            cleaned["topics_other"] = ""
        if cleaned.get("heard_about") != Member.HeardAbout.OTHER:
            cleaned["heard_about_other"] = ""
        return cleaned

    def changed_member_fields(self) -> list[str]:
        return [*self._meta.fields, "topics", "topics_prefer_not"]

    def save(self, commit: bool = True) -> Member:
        # "Prefer not to say" is shown as a topic box but kept as its own yes/no on the record.
        member = self.instance
        topics = self.cleaned_data["topics"]
        member.topics_prefer_not = PREFER_NOT in topics
        member.topics = [t for t in topics if t != PREFER_NOT]
        return super().save(commit=commit)


EQUALITY_QUESTIONS = {
    "age_band": ("What is your age?", ""),
    "ethnicity": ("What is your ethnic group?", ""),
    "disability": (
        "Do you have a disability or long-term condition?",
        "This includes physical and mental health conditions that have lasted, or are likely to last, "
        "12 months or more.",
    ),
    "sexual_orientation": ("Which of these best describes your sexual orientation?", ""),
    "religion": ("What is your religion or belief?", ""),
    "gender_same_as_birth": ("Is your gender identity the same as the sex you were registered at birth?", ""),
}


class EqualityForm(forms.ModelForm):
    """Step 6: equality monitoring. Every question is optional and has "Prefer not to say"."""

    class Meta:
        model = EqualityMonitoring
        fields = list(EQUALITY_QUESTIONS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (label, hint) in EQUALITY_QUESTIONS.items():
            model_field = EqualityMonitoring._meta.get_field(name)
            self.fields[name] = _radios(
                label,
                model_field.choices,
                help_text=hint,
                invalid_choice="Choose one of the options listed",
            )
            self.fields[name].divider_before = PREFER_NOT
            self.fields[name].legend_size = "s"

    def answers(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name) or "" for name in EQUALITY_QUESTIONS}


class NameForm(forms.Form):
    """The member's name (on their account) and pronouns (on their member record)."""

    name = name_field(help_text="The name you would like us to use. It does not have to be your full or legal name.")
    pronouns = _text(
        "Your pronouns (optional)",
        Member._meta.get_field("pronouns").max_length,
        subject="Your pronouns",
        help_text="For example, she/her, they/them. We will use these when we talk about you.",
    )

    def clean_name(self) -> str:
        return clean_person_name(self.cleaned_data["name"])

    @transaction.atomic
    def save(self, member: Member) -> Member:
        member.user.name = self.cleaned_data["name"]
        member.user.save(update_fields=["name"])
        member.pronouns = self.cleaned_data["pronouns"].strip()
        member.save(update_fields=["pronouns"])
        return member


class PaymentForm(MemberFieldsForm):
    payment_preference = _radios(
        "How would you like to be paid for taking part?",
        Member.PaymentPreference.choices,
        help_text=(
            "Involvement payments can affect some benefits, so you choose. Whatever you choose, you can "
            "still claim back what taking part costs you (travel, parking, childcare)."
        ),
        invalid_choice="Choose one of the options listed",
    )

    class Meta:
        model = Member
        fields = ["payment_preference"]


class LeaveForm(forms.Form):
    KEEP = "keep"
    ERASE = "erase"

    choice = forms.ChoiceField(
        label="What would you like to happen to your details?",
        choices=[
            (KEEP, "Leave the group, but keep my account so I can come back"),
            (ERASE, "Leave the group and erase my details"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether to keep your account or erase your details",
            "invalid_choice": "Choose whether to keep your account or erase your details",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].option_hints = {
            self.KEEP: "We will not contact you. Your details stay safe and you can rejoin at any time.",
            self.ERASE: "We remove your name, contact details and answers. This cannot be undone.",
        }

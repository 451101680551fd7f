"""The library's forms for the public and members: search and filters, reader feedback, a
suggestion, and a reviewer's feedback on a draft. Drawn with the NHS.UK form pack."""

from __future__ import annotations

from django import forms

from nhsuk_forms.limits import NoBrowserLimits, too_long

from .models import Audience, Credit, Format, Language, Rating, ReaderFeedback, Suggestion, Topic


def _choices(empty: str, choices) -> list[tuple[str, str]]:
    return [("", empty), *choices]


class SearchForm(NoBrowserLimits, forms.Form):
    """Words to search for, and the filters. Anything unknown in the address is ignored."""

    q = forms.CharField(label="Search the library", required=False, max_length=200)
    topic = forms.ChoiceField(label="Topic", required=False)
    audience = forms.ChoiceField(label="Who it is for", required=False, choices=_choices("Anyone", Audience.choices))
    format = forms.ChoiceField(label="Format", required=False, choices=_choices("Any format", Format.choices))
    language = forms.ChoiceField(label="Language", required=False, choices=_choices("Any language", Language.choices))

    def __init__(self, *args, topics: list[Topic], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = _choices("Any topic", [(topic.slug, topic.name) for topic in topics])

    def cleaned_or_empty(self) -> dict[str, str]:
        """The filters that are valid; an unknown choice in a shared link just drops out."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {name: cleaned.get(name) or "" for name in self.fields}


class ReaderFeedbackForm(NoBrowserLimits, forms.Form):
    useful = forms.ChoiceField(
        label="Was this useful?",
        choices=ReaderFeedback.Useful.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether this was useful."},
    )
    missing = forms.CharField(
        label="What was missing or unclear? (optional)",
        help_text="Please do not include your name or anything that could identify you. We do not reply to feedback.",
        required=False,
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": too_long("Your answer")},
    )


class SuggestionForm(NoBrowserLimits, forms.Form):
    kind = forms.ChoiceField(
        label="What should the group do?",
        choices=Suggestion.Kind.choices,
        widget=forms.RadioSelect,
        initial=Suggestion.Kind.WRITE,
        error_messages={"required": "Choose whether we should write something new or review something."},
    )
    title = forms.CharField(
        label="What is it about?",
        help_text="For example: a leaflet for partners about the first weeks at home.",
        max_length=200,
        error_messages={"required": "Tell us what it is about.", "max_length": too_long("This")},
    )
    details = forms.CharField(
        label="Why would it help? (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": too_long("Your answer")},
    )


class ReviewForm(NoBrowserLimits, forms.Form):
    """A reviewer's ratings for each question, their overall feedback, and a comment on a part."""

    overall = forms.CharField(
        label="Your overall feedback (optional)",
        help_text="What works, what does not, and anything you would change.",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": too_long("Your feedback")},
    )
    quote = forms.CharField(
        label="Copy the words you want to comment on (optional)",
        help_text="Paste a sentence or a few words from the draft, so we know which part you mean.",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": too_long("The words you copied")},
    )
    comment = forms.CharField(
        label="What do you think about that part?",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": too_long("Your comment")},
    )

    def __init__(self, *args, questions: list[str], answered: dict[int, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        answered = answered or {}
        rating_fields = {}
        for number, question in enumerate(questions, start=1):
            rating_fields[f"rating_{number}"] = forms.ChoiceField(
                label=question,
                choices=Rating.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=answered.get(number),
            )
        # The questions first, in the order staff asked them.
        self.fields = {**rating_fields, **self.fields}
        self.questions = questions

    @property
    def rating_fields(self):
        return [self[name] for name in self.fields if name.startswith("rating_")]

    def clean(self):
        cleaned = super().clean()
        quote, comment = (cleaned.get("quote") or "").strip(), (cleaned.get("comment") or "").strip()
        if quote and not comment:
            self.add_error("comment", "Say what you think about the part you copied.")
        if comment and not quote:
            self.add_error("quote", "Copy the words from the draft your comment is about.")
        ratings = self.ratings()
        if not self.errors and not ratings and not (cleaned.get("overall") or "").strip() and not comment:
            raise forms.ValidationError("Answer a question or write some feedback before sending.")
        return cleaned

    def ratings(self) -> dict[int, str]:
        cleaned = getattr(self, "cleaned_data", {})
        return {
            int(name.split("_")[1]): cleaned[name]
            for name in self.fields
            if name.startswith("rating_") and cleaned.get(name)
        }


class CreditForm(NoBrowserLimits, forms.Form):
    named = forms.TypedChoiceField(
        label="Would you like your name in the credits?",
        help_text=(
            "Published resources say how many members helped make them. You can also choose to be "
            "named. Your name would be public. You can change your mind at any time."
        ),
        choices=[("yes", "Yes, name me"), ("no", "No, do not name me")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you would like to be named."},
    )
    credited_as = forms.CharField(
        label="The name to show (if you said yes)",
        help_text="For example, your first name, or your first name and the first letter of your surname.",
        required=False,
        max_length=80,
        error_messages={"max_length": too_long("The name")},
    )

    def __init__(self, *args, credit: Credit | None = None, **kwargs):
        if credit is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "named": ("yes" if credit.named else "no") if credit.named_decided_at else None,
                "credited_as": credit.credited_as,
            }
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("named") and not (cleaned.get("credited_as") or "").strip():
            self.add_error("credited_as", "Write the name you would like us to use.")
        return cleaned

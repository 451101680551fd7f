"""The forms respondents and reviewers fill in, drawn with the NHS.UK form pack.

`SectionForm` is one page of a survey: a field per question (``q<id>``), radios or checkboxes
in a fieldset with the question as the legend, and an "Other – please say" box revealed under
its option. It reads only its own questions' fields, so anything else posted (answers to
questions not on this page or not in the survey, made-up fields) is ignored; a choice that is
not one of the question's own is refused with a message by the question. Text is never cut
short: too much text gets a message and everything typed stays in the box.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from nhsuk_forms.limits import drop_browser_limits

from .models import Question, ReviewComment, Section
from .rules import Draft

REQUIRED_MARK = " (required)"


def field_name(question: Question) -> str:
    return f"q{question.pk}"


def other_name(question: Question) -> str:
    return f"q{question.pk}_other"


def _too_long(limit: int) -> str:
    return f"Your answer must be {limit:,} characters or fewer. You have typed %(show_value)s."


class SectionForm(forms.Form):
    def __init__(self, *args, section: Section, draft: Draft | None = None, **kwargs):
        self.section = section
        self.questions = list(section.questions.all())
        super().__init__(*args, **kwargs)
        draft = draft or {}
        for question in self.questions:
            label = question.text + (REQUIRED_MARK if question.required else "")
            name = field_name(question)
            entry = draft.get(str(question.pk), {})
            if question.has_choices:
                self._add_choice_field(question, name, label, entry)
            elif question.kind == Question.Kind.NUMBER:
                self.fields[name] = forms.DecimalField(
                    label=label,
                    help_text=question.hint,
                    required=question.required,
                    max_digits=12,
                    decimal_places=2,
                    min_value=question.number_min,
                    max_value=question.number_max,
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "nhsuk-input--width-10"}),
                    error_messages={
                        "required": "Enter a number: this question needs an answer.",
                        "invalid": "Enter a number, like 3 or 12.",
                        "min_value": "Enter a number that is %(limit_value)s or more.",
                        "max_value": "Enter a number that is %(limit_value)s or less.",
                        "max_digits": "Enter a smaller number.",
                        "max_decimal_places": "Enter a number with no more than 2 decimal places.",
                        "max_whole_digits": "Enter a smaller number.",
                    },
                )
                self.initial[name] = entry.get("number", "")
            else:
                long = question.kind == Question.Kind.LONG_TEXT
                self.fields[name] = forms.CharField(
                    label=label,
                    help_text=question.hint,
                    required=question.required,
                    max_length=question.text_limit,
                    strip=True,
                    widget=forms.Textarea(attrs={"rows": 5}) if long else forms.TextInput(),
                    error_messages={
                        "required": "Enter your answer: this question needs an answer.",
                        "max_length": _too_long(question.text_limit),
                    },
                )
                self.initial[name] = entry.get("text", "")
        drop_browser_limits(self)

    def _add_choice_field(self, question: Question, name: str, label: str, entry: dict[str, Any]) -> None:
        choices = [(str(choice.pk), choice.label) for choice in question.choices.all()]
        common = {
            "label": label,
            "help_text": question.hint or ("Select all that apply." if question.is_multiple else ""),
            "required": question.required,
            "choices": choices,
            "error_messages": {
                "required": "Select an answer: this question needs an answer.",
                "invalid_choice": "Select one of the answers shown.",
                "invalid_list": "Select one of the answers shown.",
            },
        }
        if question.is_multiple:
            field = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple, **common)
            self.initial[name] = [str(value) for value in entry.get("choices", [])]
        else:
            field = forms.ChoiceField(widget=forms.RadioSelect, **common)
            picked = entry.get("choices", [])
            self.initial[name] = str(picked[0]) if picked else ""
        field.legend_size = "s"
        self.fields[name] = field
        other = next((choice for choice in question.choices.all() if choice.is_other), None)
        if other is not None:
            self.fields[other_name(question)] = forms.CharField(
                label="Please say (optional)",
                required=False,
                max_length=question.text_limit,
                error_messages={"max_length": _too_long(question.text_limit)},
            )
            self.initial[other_name(question)] = entry.get("other", "")
            field.conditionals = {str(other.pk): [other_name(question)]}

    def entries(self) -> Draft:
        """The cleaned answers on this page, as draft entries (unanswered questions are left out)."""
        entries: Draft = {}
        for question in self.questions:
            value = self.cleaned_data.get(field_name(question))
            if question.has_choices:
                picked = value if isinstance(value, list) else ([value] if value else [])
                if picked:
                    entry: dict[str, Any] = {"choices": [int(v) for v in picked]}
                    other = self.cleaned_data.get(other_name(question), "")
                    if other and any(c.is_other and str(c.pk) in picked for c in question.choices.all()):
                        entry["other"] = other
                    entries[str(question.pk)] = entry
            elif question.kind == Question.Kind.NUMBER:
                if value is not None:
                    entries[str(question.pk)] = {"number": f"{Decimal(value).normalize():f}"}
            elif value:
                entries[str(question.pk)] = {"text": value}
        return entries


class ReviewCommentForm(forms.Form):
    concerns = forms.MultipleChoiceField(
        label="Is anything wrong with this question?",
        help_text="Select all that apply, or none.",
        choices=ReviewComment.Concern.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Select from the list shown."},
    )
    comment = forms.CharField(
        label="Your comment (optional)",
        help_text="For example, how you would ask it, or an answer that is missing.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
        error_messages={"max_length": _too_long(2000)},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["concerns"].legend_size = "s"
        drop_browser_limits(self)

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("concerns") and not data.get("comment"):
            self.add_error("comment", "Select something that is wrong, or write a comment.")
        return data

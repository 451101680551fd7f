"""Form widgets and fields that the NHS.UK form pack (``nhsuk_forms/templates/nhsuk/``) knows how to draw.

``DateInputField`` asks for a date as three boxes (day, month and year), the way the NHS.UK
design system does, and explains what is wrong in plain English::

    from nhsuk_forms.fields import DateInputField

    class MeetingForm(forms.Form):
        starts_on = DateInputField(label="Date of the meeting", help_text="For example, 15 3 2025")
        date_of_birth = DateInputField(label="Date of birth", autocomplete="bday")
"""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join

DATE_PARTS = ("day", "month", "year")
DATE_PART_LABELS = {"day": "Day", "month": "Month", "year": "Year"}
DATE_PART_WIDTHS = {"day": 2, "month": 2, "year": 4}


class DateInputWidget(forms.MultiWidget):
    """Three text boxes named ``<name>_day``, ``<name>_month`` and ``<name>_year``.

    Their ids are ``<id>_day``, ``<id>_month`` and ``<id>_year``; the error summary links to the day.
    ``autocomplete="bday"`` gives the boxes ``bday-day``, ``bday-month`` and ``bday-year``.
    """

    use_fieldset = True

    def __init__(self, attrs=None, autocomplete: str | None = None):
        self.autocomplete = autocomplete
        widgets = {part: forms.TextInput(attrs={"inputmode": "numeric"}) for part in DATE_PARTS}
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        id_ = context["widget"]["attrs"].get("id")
        for part, subwidget in zip(DATE_PARTS, context["widget"]["subwidgets"], strict=True):
            sub_attrs = subwidget["attrs"]
            if id_:
                sub_attrs["id"] = f"{id_}_{part}"
            if self.autocomplete:
                sub_attrs["autocomplete"] = f"{self.autocomplete}-{part}"
            subwidget["part"] = part
            subwidget["label"] = DATE_PART_LABELS[part]
            subwidget["width"] = DATE_PART_WIDTHS[part]
        return context

    def render(self, name, value, attrs=None, renderer=None):
        """NHS.UK date input boxes, for a form drawn without the template pack."""
        context = self.get_context(name, value, attrs)
        items = format_html_join(
            "\n",
            '<div class="nhsuk-date-input__item"><div class="nhsuk-form-group">'
            '<label class="nhsuk-label nhsuk-date-input__label" for="{}">{}</label>'
            '<input class="nhsuk-input nhsuk-input--width-{} nhsuk-date-input__input" id="{}" name="{}" '
            'type="text" value="{}" inputmode="numeric"{}></div></div>',
            (
                (
                    sub["attrs"].get("id", ""),
                    sub["label"],
                    sub["width"],
                    sub["attrs"].get("id", ""),
                    sub["name"],
                    sub["value"] or "",
                    format_html(' autocomplete="{}"', sub["attrs"]["autocomplete"])
                    if sub["attrs"].get("autocomplete")
                    else "",
                )
                for sub in context["widget"]["subwidgets"]
            ),
        )
        id_ = context["widget"]["attrs"].get("id")
        id_attr = format_html(' id="{}"', id_) if id_ else ""
        return format_html('<div class="nhsuk-date-input"{}>{}</div>', id_attr, items)

    def first_input_id(self, id_: str) -> str:
        """The id the error summary links to: the day box."""
        return f"{id_}_day" if id_ else ""


class DateInputField(forms.Field):
    """A date typed into a ``DateInputWidget``; the messages follow the NHS.UK date input guidance.

    Error codes carry ``params["parts"]``: the boxes to highlight (day, month and/or year).
    """

    widget = DateInputWidget
    default_error_messages = {
        "required": "Enter {subject}",
        "incomplete": "{Subject} must include a {missing}",
        "invalid": "{Subject} must be a real date",
        "year": "Year must include 4 numbers",
    }

    def __init__(self, *, subject: str | None = None, autocomplete: str | None = None, **kwargs):
        if autocomplete and "widget" not in kwargs:
            kwargs["widget"] = DateInputWidget(autocomplete=autocomplete)
        super().__init__(**kwargs)
        self.subject = subject

    def _subject(self) -> str:
        if self.subject:
            return self.subject
        if self.label:
            label = str(self.label)
            return label[:1].lower() + label[1:]
        return "the date"

    def _error(self, code: str, parts, **params) -> ValidationError:
        subject = self._subject()
        message = self.error_messages[code].format(subject=subject, Subject=subject[:1].upper() + subject[1:], **params)
        return ValidationError(message, code=code, params={"parts": list(parts)})

    def to_python(self, value):
        if isinstance(value, datetime.date):
            return value
        values = list(value or [])[:3]
        values += [""] * (3 - len(values))
        day, month, year = (str(v).strip() if v is not None else "" for v in values)
        given = {"day": day, "month": month, "year": year}
        if not any(given.values()):
            return None
        missing = [part for part in DATE_PARTS if not given[part]]
        if missing:
            raise self._error("incomplete", missing, missing=" and ".join(missing))
        if not all(v.isdigit() for v in given.values()):
            raise self._error("invalid", [p for p in DATE_PARTS if not given[p].isdigit()])
        if len(year) != 4:
            raise self._error("year", ["year"])
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            bad = []
            if not 1 <= int(month) <= 12:
                bad.append("month")
            if not 1 <= int(day) <= 31 or not bad:
                bad.insert(0, "day")
            raise self._error("invalid", bad) from None

    def validate(self, value):
        if value in self.empty_values and self.required:
            raise self._error("required", DATE_PARTS)

    def has_changed(self, initial, data):
        try:
            data = self.to_python(data)
        except ValidationError:
            return True
        return initial != data

"""Drawing a member's own forms and data with NHS.UK markup.

``{% member_fields form %}`` draws every field of a form with the NHS.UK crispy template pack
(``templates/nhsuk/``), the one pack every form in the portal uses. Radios and checkboxes take
the pack's optional field attributes ``legend_size``, ``option_hints``, ``divider_before`` and
``conditionals`` (see ``members/forms.py`` and ``members/templatetags/nhsuk_forms.py``). Here
a member's legends are medium unless the field says otherwise, and fields revealed under a
checkbox are drawn in the reveal rather than in the form's order; a radio's follow-up field is
drawn just after its group instead.
"""

from __future__ import annotations

import datetime
import re

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.safestring import mark_safe

from members.phone import format_uk_phone
from members.templatetags.nhsuk_forms import field_kind, nhsuk_field

register = template.Library()

ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _conditional_names(form) -> set[str]:
    names: set[str] = set()
    for field in form.fields.values():
        for revealed in getattr(field, "conditionals", {}).values():
            names.update(revealed)
    return names


def render_member_field(bound_field) -> str:
    kind = field_kind(bound_field)
    if kind not in {"radios", "checkboxes"}:
        return as_crispy_field(bound_field)
    after = ""
    conditionals = getattr(bound_field.field, "conditionals", {})
    if kind == "radios" and conditionals:
        # nhsuk-frontend marks a radio that reveals a question with aria-expanded, which ARIA
        # does not allow on radios (axe-core reports it), so a radio's follow-up question is
        # drawn after the group instead of revealed under its option.
        form = bound_field.form
        after = "".join(render_member_field(form[name]) for names in conditionals.values() for name in names)
    f = nhsuk_field({}, bound_field, legend_size="m", render_revealed=render_member_field)
    return render_to_string(f.template, {"f": f}) + after


@register.simple_tag
def member_field(bound_field) -> str:
    """One field, drawn as its NHS.UK component."""
    return mark_safe(render_member_field(bound_field))  # noqa: S308


@register.simple_tag
def member_fields(form) -> str:
    """Every visible field of the form, in order; fields revealed under an option are drawn there."""
    skip = _conditional_names(form)
    html = [str(field) for field in form.hidden_fields()]
    html += [render_member_field(field) for field in form.visible_fields() if field.name not in skip]
    return mark_safe("\n".join(html))  # noqa: S308


@register.filter
def phone(value) -> str:
    """Stored phone digits in readable groups."""
    return format_uk_phone(value or "")


@register.filter
def readable(value):
    """A value from the data download as a person would write it."""
    if value is None or value == "" or value == []:
        return "Not given"
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    if isinstance(value, list | tuple):
        return ", ".join(str(readable(item)) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{label(k)}: {readable(v)}" for k, v in value.items())
    if isinstance(value, str) and ISO_DATETIME.match(value):
        parsed = parse_datetime(value)
        if parsed:
            if timezone.is_aware(parsed):
                parsed = timezone.localtime(parsed)
            return date_format(parsed, "j F Y \\a\\t g:i a")
    if isinstance(value, str) and ISO_DATE.match(value):
        parsed_date = parse_date(value)
        if parsed_date:
            return date_format(parsed_date, "j F Y")
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "j F Y \\a\\t g:i a")
    return value


# Data download keys whose plain reading ("needs bsl") would not say what they mean.
LABELS = {
    "email": "Email address",
    "date_joined": "Account created",
    "last_login": "Last logged in",
    "status_changed_at": "Status since",
    "joined_at": "Joined",
    "phone": "Phone number",
    "contact_by_sms": "Contact by text message",
    "contact_by_phone": "Contact by phone call",
    "contact_frequency": "How often we contact you",
    "needs_large_print": "Large print",
    "needs_easy_read": "Easy Read",
    "needs_bsl": "British Sign Language (BSL) interpreter",
    "needs_interpreter": "Spoken-language interpreter",
    "needs_step_free": "Step-free access",
    "needs_childcare": "Childcare, or bringing your baby",
    "access_other": "Other access needs",
    "relationship": "How you are connected to the service",
    "relationship_other": "Connection, in your words",
    "topics": "Experiences you would like to help with",
    "topics_other": "Other experiences",
    "topics_prefer_not": "Experiences: prefer not to say",
    "heard_about": "How you heard about the group",
    "heard_about_other": "Where you heard, in your words",
    "onboarding_step": "Joining steps done",
    "onboarding_completed_at": "Finished joining",
    "erased_at": "Erased",
    "given": "Agreed",
    "decided_at": "Decided",
    "recorded_at": "When",
    "how": "How it was recorded",
    "age_band": "Age",
    "disability": "Disability or long-term condition",
    "gender_same_as_birth": "Gender identity the same as sex registered at birth",
    "updated_at": "Last changed",
}


@register.filter
def label(key) -> str:
    """A data download key ("contact_by_email") as words ("Contact by email")."""
    if str(key) in LABELS:
        return LABELS[str(key)]
    words = str(key).replace("_", " ").strip()
    return words[:1].upper() + words[1:]

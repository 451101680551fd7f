"""A member's own data in words: phone numbers in groups, and the data download as a person would write it.

Forms are drawn by the NHS.UK form pack (``nhsuk_forms``), like every other form.
"""

from __future__ import annotations

import datetime
import re

from django import template
from django.utils.dateparse import parse_date, parse_datetime

from common.formatting import date_and_time, day_month_year
from members.phone import format_uk_phone

register = template.Library()

ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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
            return date_and_time(parsed)
    if isinstance(value, str) and ISO_DATE.match(value):
        parsed_date = parse_date(value)
        if parsed_date:
            return day_month_year(parsed_date)
    if isinstance(value, datetime.datetime):
        return date_and_time(value)
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

"""The form to ask for a report, and the quick choices of period it offers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.utils import timezone

from common.formatting import long_date
from members.models import Member
from nhsuk_forms.fields import DateInputField
from nhsuk_forms.limits import NoBrowserLimits
from surveys.models import Survey

from .models import Project, ReportRun

Kind = ReportRun.Kind

# The earliest start anyone may ask for: long before the portal, so a typing slip ("1025") is caught.
EARLIEST = dt.date(2000, 1, 1)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        return f"{long_date(self.start)} to {long_date(self.end)}"


def last_quarter(today: dt.date) -> Period:
    """The last whole quarter (January–March, April–June, July–September, October–December)."""
    first_month_now = 3 * ((today.month - 1) // 3) + 1
    end = dt.date(today.year, first_month_now, 1) - dt.timedelta(days=1)
    return Period(dt.date(end.year, end.month - 2, 1), end)


def last_financial_year(today: dt.date) -> Period:
    """The last whole financial year, 1 April to 31 March."""
    end_year = today.year if today.month >= 4 else today.year - 1
    return Period(dt.date(end_year - 1, 4, 1), dt.date(end_year, 3, 31))


def last_12_months(today: dt.date) -> Period:
    """The 12 months up to and including today."""
    try:
        start = today.replace(year=today.year - 1) + dt.timedelta(days=1)
    except ValueError:  # 29 February
        start = dt.date(today.year - 1, 3, 1)
    return Period(start, today)


QUICK_PERIODS = {
    "last_quarter": ("The last quarter", last_quarter),
    "last_financial_year": ("The last financial year (April to March)", last_financial_year),
    "last_12_months": ("The last 12 months", last_12_months),
}
CHOSEN_DATES = "dates"


def surveys_that_have_opened():
    """Surveys that have been open to answers (open or closed, and past their opening date)."""
    now = timezone.now()
    return (
        Survey.objects.filter(status__in=[Survey.Status.OPEN, Survey.Status.CLOSED])
        .exclude(opens_at__gt=now)
        .order_by("title", "pk")
        .only("pk", "title")
    )


class TitleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.title


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.user.name or obj.user.email} (member {obj.pk})"


class ReportForm(NoBrowserLimits, forms.Form):
    """What to make a report of. Only the fields the chosen kind needs are checked; everything
    typed comes back as it was when something is missing."""

    kind = forms.ChoiceField(
        label="Which report do you need?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose which report you need", "invalid_choice": "Choose which report you need"},
    )
    period = forms.ChoiceField(
        label="Which period? (for an involvement report)",
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Choose a period"},
    )
    start = DateInputField(label="Start date", required=False, help_text="For example, 1 4 2025")
    end = DateInputField(label="End date", required=False, help_text="For example, 31 3 2026")
    project = TitleChoiceField(
        label="Project (for a project case study)",
        queryset=Project.objects.none(),
        required=False,
        empty_label="Choose a project",
        error_messages={"invalid_choice": "Choose a project from the list"},
    )
    survey = TitleChoiceField(
        label="Survey (for survey results)",
        queryset=Survey.objects.none(),
        required=False,
        empty_label="Choose a survey",
        error_messages={"invalid_choice": "Choose a survey from the list"},
    )
    member = MemberChoiceField(
        label="Member (for a certificate of involvement)",
        queryset=Member.objects.none(),
        required=False,
        empty_label="Choose a member",
        error_messages={"invalid_choice": "Choose a member from the list"},
    )

    def __init__(self, *args, kinds: list[str], today: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.fields["kind"].choices = [(kind, Kind(kind).label) for kind in kinds]
        self.fields["period"].choices = [
            *[(key, f"{label}: {choose(self.today).label}") for key, (label, choose) in QUICK_PERIODS.items()],
            (CHOSEN_DATES, "Other dates (type them below)"),
        ]
        self.fields["project"].queryset = Project.objects.order_by("title", "pk").only("pk", "title")
        self.fields["survey"].queryset = surveys_that_have_opened()
        if Kind.CERTIFICATE in kinds:
            self.fields["member"].queryset = (
                Member.objects.filter(erased_at__isnull=True).select_related("user").order_by("user__name", "pk")
            )
        else:
            del self.fields["member"]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == Kind.PERIOD:
            self._clean_period(data)
        for field, needed_by, message in (
            ("project", Kind.PROJECT, "Choose a project"),
            ("survey", Kind.SURVEY, "Choose a survey"),
            ("member", Kind.CERTIFICATE, "Choose a member"),
        ):
            if kind == needed_by and field in self.fields and not data.get(field) and field not in self.errors:
                self.add_error(field, message)
        return data

    def _clean_period(self, data) -> None:
        period = data.get("period")
        if not period:
            if "period" not in self.errors:
                self.add_error("period", "Choose a period")
            return
        if period in QUICK_PERIODS:
            chosen = QUICK_PERIODS[period][1](self.today)
            data["start"], data["end"] = chosen.start, chosen.end
            return
        start, end = data.get("start"), data.get("end")
        if start is None and "start" not in self.errors:
            self.add_error("start", "Enter the start date")
        if end is None and "end" not in self.errors:
            self.add_error("end", "Enter the end date")
        if start and start < EARLIEST:
            self.add_error("start", f"The start date must be on or after {long_date(EARLIEST)}")
        if start and start > self.today:
            self.add_error("start", "The start date must be today or in the past")
        if end and end > self.today:
            self.add_error("end", "The end date must be today or in the past")
        if start and end and end < start:
            self.add_error("end", "The end date must be the same as or after the start date")

    def report_parameters(self) -> dict:
        """The keyword arguments for `report_runs.request_report`, once the form is valid."""
        data = self.cleaned_data
        kind = data["kind"]
        return {
            "kind": kind,
            "start": data.get("start") if kind == Kind.PERIOD else None,
            "end": data.get("end") if kind == Kind.PERIOD else None,
            "project": data.get("project") if kind == Kind.PROJECT else None,
            "survey": data.get("survey") if kind == Kind.SURVEY else None,
            "member": data.get("member") if kind == Kind.CERTIFICATE else None,
        }

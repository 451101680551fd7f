"""The coordinators' "Plan the year" page on the meetings list: a rule for a run of meetings,
a preview of the dates it gives (bank holidays moved, days that already have a meeting
flagged), then every ticked date saved at once. The planning itself is ``meetings/plan_year.py``.
"""

from __future__ import annotations

import calendar
import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from . import plan_year
from .models import Meeting, Venue

WEEK_CHOICES = [(week, name.capitalize()) for week, name in plan_year.WEEK_NAMES.items()]
TIME_WIDGET = forms.TimeInput(format="%H:%M", attrs={"type": "time"})
WEEKDAY_CHOICES = [(number, calendar.day_name[number]) for number in range(7)]


def _month_choices(count: int = 13) -> list[tuple[str, str]]:
    today = timezone.localdate()
    choices = []
    for offset in range(count):
        year, month = divmod(today.month - 1 + offset, 12)
        first = datetime.date(today.year + year, month + 1, 1)
        choices.append((first.isoformat(), f"{first:%B %Y}"))
    return choices


class PlanYearForm(forms.Form):
    """The rule for a run of meetings, and what every meeting in it has in common."""

    title = forms.CharField(max_length=200, initial="Group meeting", help_text="Every meeting gets this title.")
    kind = forms.ChoiceField(choices=Meeting.Kind.choices, initial=Meeting.Kind.GROUP_MEETING)
    first_month = forms.TypedChoiceField(
        choices=_month_choices,
        coerce=datetime.date.fromisoformat,
        help_text="Dates already past in this month are left out.",
    )
    months = forms.IntegerField(
        label="For how many months", min_value=1, max_value=24, initial=12, help_text="12 plans a year."
    )
    every_n_months = forms.TypedChoiceField(
        label="How often",
        choices=list(plan_year.EVERY_N_MONTHS_NAMES.items()),
        coerce=int,
        initial=2,
    )
    week_of_month = forms.TypedChoiceField(label="Which week", choices=WEEK_CHOICES, coerce=int, initial=2)
    weekday = forms.TypedChoiceField(label="Which day", choices=WEEKDAY_CHOICES, coerce=int, initial=1)
    start_time = forms.TimeField(
        label="Starts at", initial=datetime.time(10), widget=TIME_WIDGET, help_text="UK time, for example 10:00."
    )
    end_time = forms.TimeField(
        label="Ends at", initial=datetime.time(12), widget=TIME_WIDGET, help_text="UK time, for example 12:00."
    )
    skip_bank_holidays = forms.BooleanField(
        label="Move a meeting a week later when it falls on a bank holiday",
        required=False,
        initial=True,
    )
    mode = forms.ChoiceField(choices=Meeting.Mode.choices, initial=Meeting.Mode.IN_PERSON)
    venue = forms.ModelChoiceField(queryset=Venue.objects.all(), required=False)
    online_link = forms.URLField(
        label="Online joining link",
        required=False,
        assume_scheme="https",
        help_text="Shown only to members registered for each meeting.",
    )
    capacity = forms.IntegerField(min_value=1, required=False, help_text="Leave empty for no limit.")
    debrief_lead_name = forms.CharField(label="Debrief lead", max_length=120, required=False)
    debrief_lead_contact = forms.CharField(label="How to reach the debrief lead", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.nation = plan_year.group_nation()
        self.fields["skip_bank_holidays"].help_text = (
            f"Bank holidays in {plan_year.NATIONS[self.nation]}, as set in the group profile."
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", "The end time must be after the start time.")
        mode = data.get("mode")
        if mode in (Meeting.Mode.IN_PERSON, Meeting.Mode.HYBRID) and not data.get("venue"):
            self.add_error("venue", "Choose a venue for meetings in person.")
        if mode in (Meeting.Mode.ONLINE, Meeting.Mode.HYBRID) and not data.get("online_link"):
            # Caught here, not by Meeting.clean() when the series is saved, so nothing is lost.
            self.add_error("online_link", "Add the online joining link for meetings online.")
        return data

    def plan(self) -> list[plan_year.PlannedMeeting]:
        data = self.cleaned_data
        return plan_year.plan_series(
            max(data["first_month"], timezone.localdate()),
            months=data["months"],
            every_n_months=data["every_n_months"],
            weekday=data["weekday"],
            week_of_month=data["week_of_month"],
            start_time=data["start_time"],
            end_time=data["end_time"],
            skip_bank_holidays=data["skip_bank_holidays"],
            nation=self.nation,
        )

    def rule_in_words(self) -> str:
        data = self.cleaned_data
        return plan_year.describe_rule(
            every_n_months=data["every_n_months"],
            week_of_month=data["week_of_month"],
            weekday=data["weekday"],
            start_time=data["start_time"],
            end_time=data["end_time"],
            first_month=data["first_month"],
            months=data["months"],
            skip_bank_holidays=data["skip_bank_holidays"],
        )

    def meeting_fields(self) -> dict:
        """What every meeting in the series shares, as `plan_year.create_series` takes it."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "kind": data["kind"],
            "mode": data["mode"],
            "venue": data["venue"] if data["mode"] != Meeting.Mode.ONLINE else None,
            "online_link": data["online_link"],
            "capacity": data["capacity"],
            "debrief_lead_name": data["debrief_lead_name"],
            "debrief_lead_contact": data["debrief_lead_contact"],
        }


def plan_year_view(model_admin, request):
    """Preview the dates a rule gives (with any moved for bank holidays), then save them all at once."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    form = PlanYearForm(request.POST or None)
    rows = []
    signature = ""
    if request.method == "POST" and form.is_valid():
        planned = form.plan()
        signature = plan_year.plan_signature(planned)
        previewed = request.POST.get("plan_signature") == signature
        chosen = set(request.POST.getlist("include"))
        clashes = plan_year.clashes(planned)
        rows = [
            {
                "planned": p,
                "value": p.date.isoformat(),
                "clash": clashes.get(p.date, ""),
                # After a preview, keep what staff ticked; a new plan starts with every free date ticked.
                "included": p.date.isoformat() in chosen if previewed else p.date not in clashes,
            }
            for p in planned
        ]
        if "save" in request.POST:
            keep = [row["planned"] for row in rows if row["included"]]
            if not previewed:
                model_admin.message_user(
                    request,
                    "The rule changed after the preview. Check the dates below, then save.",
                    messages.ERROR,
                )
            elif not keep:
                model_admin.message_user(request, "Tick at least one date to save.", messages.ERROR)
            else:
                created = plan_year.create_series(
                    planned=keep,
                    rule=form.rule_in_words(),
                    created_by=request.user,
                    **form.meeting_fields(),
                )
                model_admin.message_user(
                    request, f"Saved {len(keep)} meetings in the series “{created.title}”.", messages.SUCCESS
                )
                changelist = reverse("admin:meetings_meeting_changelist")
                return HttpResponseRedirect(f"{changelist}?series__id__exact={created.pk}&when=all")
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Plan the year",
        "opts": model_admin.opts,
        "form": form,
        "rows": rows,
        "plan_signature": signature,
        "rule_in_words": form.rule_in_words() if rows else "",
    }
    return TemplateResponse(request, "admin/meetings/meeting/plan_year.html", context)

"""Forms for the staff side of meetings: planning the year, cancelling, taking attendance."""

from __future__ import annotations

import calendar
import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from members.models import Member

from . import series
from .models import Meeting, Registration, Venue

WEEK_CHOICES = [(week, name.capitalize()) for week, name in series.WEEK_NAMES.items()]
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
        choices=list(series.EVERY_N_MONTHS_NAMES.items()),
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
        self.nation = series.group_nation()
        self.fields["skip_bank_holidays"].help_text = (
            f"Bank holidays in {series.NATIONS[self.nation]}, as set in the group profile."
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

    def plan(self) -> list[series.PlannedMeeting]:
        data = self.cleaned_data
        return series.plan_series(
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
        return series.describe_rule(
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
        """What every meeting in the series shares, as `series.create_series` takes it."""
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


class CancelMeetingForm(forms.Form):
    reason = forms.CharField(
        label="Why is it cancelled?",
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"size": 80}),
        help_text="Goes in the email to everyone registered or waiting. For example: The room is not available.",
    )


class AttendanceForm(forms.Form):
    """Who is here: one box per registration that holds a place at the meeting."""

    attended = forms.TypedMultipleChoiceField(
        label="Tick who is here", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, registrations: list[Registration], **kwargs):
        super().__init__(*args, **kwargs)
        self.registrations = registrations
        self.fields["attended"].choices = [(r.pk, str(r.member)) for r in registrations]
        if not self.is_bound:
            self.initial["attended"] = [r.pk for r in registrations if r.status == Registration.Status.ATTENDED]

    def items(self) -> list[dict]:
        """Each registrant with whether their box is ticked, for the template to draw."""
        if self.is_bound:
            ticked = {str(value) for value in self.data.getlist(self.add_prefix("attended"))}
        else:
            ticked = {str(value) for value in self.initial["attended"]}
        return [
            {"registration": r, "id": f"{self['attended'].auto_id}_{index}", "checked": str(r.pk) in ticked}
            for index, r in enumerate(self.registrations)
        ]


class AddRegistrationForm(forms.ModelForm):
    """Staff adding someone to a meeting (for example after a phone call): goes through the service."""

    class Meta:
        model = Registration
        fields = [
            "meeting",
            "member",
            "needs_childcare",
            "needs_bsl",
            "interpreter_language",
            "needs_step_free",
            "dietary",
            "other_needs",
        ]
        help_texts = {"member": "If the meeting is full they go on the waiting list."}

    def clean_meeting(self):
        meeting: Meeting = self.cleaned_data["meeting"]
        if meeting.is_cancelled:
            raise ValidationError("This meeting has been cancelled.")
        if meeting.starts_at <= timezone.now():
            raise ValidationError("This meeting has already started.")
        return meeting

    def clean_member(self):
        member: Member = self.cleaned_data["member"]
        if member.has_left or member.erased_at:
            raise ValidationError("This person has left the group.")
        return member

    def validate_unique(self):
        # Registering again reuses the member's record for the meeting (see register_for_meeting).
        pass

    @property
    def needs(self) -> dict:
        return {field: self.cleaned_data[field] for field in self.Meta.fields if field not in ("meeting", "member")}

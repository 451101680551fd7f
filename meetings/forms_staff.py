"""Forms for the staff side of meetings: cancelling, taking attendance, adding someone.

Planning the year has its own module, ``meetings/admin_plan_year.py``."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from members.models import Member

from .models import Meeting, Registration


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

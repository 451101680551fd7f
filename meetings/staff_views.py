"""Staff pages for running meetings in the room, in the portal's layout so they work on a phone.

Coordinators only: every view here is wrapped in `members.access.coordinator_required`, which sends anyone
logged out to log in and refuses members and commissioners.
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from common.spreadsheets import spreadsheet_safe
from members.access import coordinator_required

from . import services
from .forms_staff import AttendanceForm
from .messages import phone_instead
from .models import Meeting, Registration

# Cells that a spreadsheet would run as a formula (CSV injection): they get a leading apostrophe.


def _get_meeting(pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("venue"), pk=pk)


def _registrations(meeting: Meeting, statuses) -> list[Registration]:
    """The meeting's registrations with these statuses and their members, in one query, by name."""
    return list(
        meeting.registrations.filter(status__in=statuses)
        .select_related("member__user")
        .order_by("member__user__name", "pk")
    )


@coordinator_required
def meeting_list(request):
    """Upcoming meetings (or past ones), with links to take attendance and download the attendee list."""
    past = request.GET.get("when") == "past"
    now = timezone.now()
    meetings = Meeting.objects.select_related("venue")
    if past:
        meetings = meetings.filter(ends_at__lte=now).order_by("-starts_at", "-pk")
    else:
        meetings = meetings.filter(ends_at__gt=now).order_by("starts_at", "pk")
    page = Paginator(meetings, 25).get_page(request.GET.get("page"))
    return render(request, "meetings/staff/meeting_list.html", {"page": page, "past": past, "now": now})


@never_cache
@coordinator_required
def attendance(request, pk: int):
    """ "Tick who is here": one big box per person with a place, with what they need for this meeting.

    Before the meeting starts, ticks are saved as people arrive and nobody is marked absent;
    once it has started, anyone not ticked is saved as not attending (see
    `services.record_attendance`). Also lists who to phone because their text message about
    the meeting could not be sent (no text message service is set up). Never cached: it lists
    names, needs and phone numbers.
    """
    meeting = _get_meeting(pk)
    registrations = _registrations(meeting, Registration.HOLDS_PLACE)
    form = AttendanceForm(request.POST if request.method == "POST" else None, registrations=registrations)
    if request.method == "POST":
        if meeting.is_cancelled:
            form.add_error(None, "This meeting was cancelled, so there is no attendance to take.")
        elif form.is_valid():
            here = len(form.cleaned_data["attended"])
            try:
                complete = services.record_attendance(meeting=meeting, attended=form.cleaned_data["attended"])
            except services.AttendanceError as error:
                form.add_error(None, str(error))
            else:
                if complete:
                    messages.success(request, f"Attendance saved: {here} here, {len(registrations) - here} not here.")
                else:
                    messages.success(
                        request,
                        f"Saved: {here} here so far. Nobody is marked as not attending until the meeting starts.",
                    )
                return redirect("meetings_staff:attendance", pk=meeting.pk)
    return render(
        request,
        "meetings/staff/attendance.html",
        {
            "meeting": meeting,
            "form": form,
            "items": form.items(),
            "not_started": meeting.starts_at > timezone.now(),
            # Texts that could not go because no text message service is set up: phone them.
            "phone_instead": phone_instead(meeting),
        },
    )


@never_cache
@coordinator_required
def attendees_csv(request, pk: int):
    """The attendee list for the venue: name, place or waiting-list status, and needs for this meeting."""
    meeting = _get_meeting(pk)
    registrations = _registrations(meeting, (*Registration.HOLDS_PLACE, Registration.Status.WAITING))
    holding = [r for r in registrations if r.holds_place]
    waiting = sorted(
        (r for r in registrations if r.status == Registration.Status.WAITING),
        key=lambda r: (r.waiting_since or r.created_at, r.pk),
    )
    day = timezone.localtime(meeting.starts_at).date()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="attendees-{day:%Y-%m-%d}-meeting-{meeting.pk}.csv"'
    # Names and needs are personal: no copies left in shared caches.
    response["Cache-Control"] = "no-store"
    # A byte-order mark, so spreadsheet programs read names with accents correctly.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(["Name", "Status", "Needs for this meeting"])
    for registration in holding:
        row = (registration.member, registration.get_status_display(), _needs(registration))
        writer.writerow([spreadsheet_safe(v) for v in row])
    for position, registration in enumerate(waiting, start=1):
        status = f"On the waiting list ({position})"
        writer.writerow([spreadsheet_safe(v) for v in (registration.member, status, _needs(registration))])
    return response


def _needs(registration: Registration) -> str:
    return "; ".join(registration.needs)

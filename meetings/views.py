"""The meeting pages members and the public see.

Who may use each view:

- ``upcoming``, ``past``, ``detail``, ``calendar``: anyone, logged in or not. They show when and
  where the group meets and nothing personal. A logged-in member also sees their own place;
  only a member with a place sees the online joining link (see ``access.can_see_joining_link``).
  Published minutes and actions are shown on ``detail`` only to staff and to members who have
  finished joining (``access.can_read_minutes``); the public and commissioners see only that
  the meeting took place.
- ``register``, ``apologies``, ``cancel``, ``mine``: members only (``member_required``: logged out
  goes to log in; commissioners and accounts without a member record get 403). Each acts only
  on the logged-in member's own registration.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.formatting import date_and_time_range
from common.pagination import paginate
from members.access import member_for, member_required
from members.models import Member

from . import access, selectors
from .calendar import ics_filename, meeting_ics
from .forms import MeetingNeedsForm, needs_of
from .models import Meeting, Registration
from .services import RegistrationError, cancel_registration, needs_from_profile, register_for_meeting, send_apologies

# The detail page's needs form sends this, so a one-click "Register" from a list (which sends
# no needs at all) is told apart from a form with every box left empty.
NEEDS_SENT = "needs_sent"


# --- Display helpers ----------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingItem:
    """A meeting in a list, with the viewer's own registration (if any)."""

    meeting: Meeting
    registration: Registration | None
    can_register: bool


def _is_active(registration: Registration | None) -> bool:
    """The member holds a place, or a place in the queue, that they could still give up."""
    return registration is not None and registration.status in selectors.ACTIVE


def _can_sign_up(meeting: Meeting, member: Member | None) -> bool:
    return (
        member is not None and not member.has_left and not meeting.is_cancelled and meeting.starts_at > timezone.now()
    )


def _items(meetings, member: Member | None) -> list[MeetingItem]:
    mine = selectors.registrations_by_meeting(member, meetings)
    items = []
    for meeting in meetings:
        registration = mine.get(meeting.pk)
        items.append(MeetingItem(meeting, registration, _can_sign_up(meeting, member) and not _is_active(registration)))
    return items


def _closed_reason(meeting: Meeting) -> str | None:
    """Why nobody can change their plans for this meeting any more, in a member's words."""
    if meeting.is_cancelled:
        return "This meeting has been cancelled, so there is nothing to change."
    if meeting.starts_at <= timezone.now():
        return "This meeting has already started, so you cannot change your plans for it now."
    return None


def _to_meeting(meeting: Meeting):
    return redirect("meetings:detail", meeting.pk)


# --- Public pages ---------------------------------------------------------------------------


@require_GET
def upcoming(request):
    """Meetings coming up. Anyone may view; members get a Register button on each."""
    member = member_for(request.user)
    page, pagination = paginate(request, selectors.upcoming_meetings())
    return render(
        request,
        "meetings/upcoming.html",
        {"items": _items(page.object_list, member), "page": page, "pagination": pagination, "member": member},
    )


@require_GET
def past(request):
    """Meetings that have taken place, most recent first. Anyone may view (the list never
    shows minutes; the meeting page shows them to members and staff)."""
    member = member_for(request.user)
    page, pagination = paginate(request, selectors.past_meetings())
    return render(
        request,
        "meetings/past.html",
        {
            "items": _items(page.object_list, member),
            "page": page,
            "pagination": pagination,
            "member": member,
            "reads_minutes": access.can_read_minutes(request.user, member),
        },
    )


def _detail_context(
    meeting: Meeting, member: Member | None, registration: Registration | None, *, reads_minutes: bool
) -> dict:
    holds_place = access.can_see_joining_link(registration)
    active = _is_active(registration)
    can_register = _can_sign_up(meeting, member) and not active
    form = MeetingNeedsForm(initial=MeetingNeedsForm.initial_from(needs_from_profile(member))) if can_register else None
    show_minutes = reads_minutes and meeting.is_past and meeting.minutes_are_published
    return {
        "meeting": meeting,
        "member": member,
        "registration": registration,
        "waiting_position": selectors.waiting_position(registration) if registration else None,
        "show_joining_link": holds_place and meeting.is_online and bool(meeting.online_link),
        "can_register": can_register,
        "can_change_plans": active and _closed_reason(meeting) is None,
        "can_send_apologies": _can_sign_up(meeting, member)
        and (registration is None or registration.status != Registration.Status.APOLOGIES),
        "needs_form": form,
        "needs_sent": NEEDS_SENT,
        "reads_minutes": reads_minutes,
        "show_minutes": show_minutes,
        "actions": list(meeting.actions.select_related("owner")) if show_minutes else [],
    }


@never_cache
@require_GET
def detail(request, pk: int):
    """One meeting. Anyone may view; the joining link only for members with a place, and the
    minutes and actions only for members and staff."""
    meeting = selectors.get_meeting(pk)
    member = member_for(request.user)
    registration = selectors.get_registration_for_member(member, meeting)
    context = _detail_context(
        meeting, member, registration, reads_minutes=access.can_read_minutes(request.user, member)
    )
    return render(request, "meetings/meeting_detail.html", context)


@never_cache
@require_GET
def calendar(request, pk: int):
    """The meeting as an .ics file. Anyone may download it; the joining link is in it only for
    a member with a place."""
    meeting = selectors.get_meeting(pk)
    registration = selectors.get_registration_for_member(member_for(request.user), meeting)
    body = meeting_ics(meeting, for_registered_member=access.can_see_joining_link(registration))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=ics_filename(meeting))
    return response


# --- A member's own plans ------------------------------------------------------------------


def _registered_message(meeting: Meeting, registration: Registration, position: int | None) -> str:
    when = date_and_time_range(meeting.starts_at, meeting.ends_at)
    if registration.status == Registration.Status.WAITING:
        place = f" You are number {position} on the list." if position else ""
        return (
            f"{meeting.title} is full, so we have added you to the waiting list.{place} "
            "We will email you if a place comes up."
        )
    return f"You have a place at {meeting.title} on {when}. We look forward to seeing you."


@never_cache
@member_required
@require_http_methods(["GET", "POST"])
def register(request, pk: int):
    """Members only: take a place (or a place on the waiting list), saying what they need.

    GET shows the needs form on its own page (also to change needs after registering). A POST
    without the needs form (the one-click button on the lists) uses the profile's access needs.
    Registering twice changes nothing, so a double click is harmless.
    """
    member: Member = request.member
    meeting = selectors.get_meeting(pk)
    registration = selectors.get_registration_for_member(member, meeting)
    already = _is_active(registration)

    if request.method == "GET":
        closed = _closed_reason(meeting)
        if closed or member.has_left:
            messages.error(request, closed or "You have left the group, so you cannot sign up for meetings.")
            return _to_meeting(meeting)
        needs = needs_of(registration) if already else needs_from_profile(member)
        form = MeetingNeedsForm(initial=MeetingNeedsForm.initial_from(needs))
        return render(
            request,
            "meetings/register.html",
            {"meeting": meeting, "form": form, "already": already, "needs_sent": NEEDS_SENT},
        )

    needs = None
    if NEEDS_SENT in request.POST:
        form = MeetingNeedsForm(request.POST)
        if not form.is_valid():
            return render(
                request,
                "meetings/register.html",
                {"meeting": meeting, "form": form, "already": already, "needs_sent": NEEDS_SENT},
            )
        needs = form.to_needs()

    try:
        registration = register_for_meeting(member=member, meeting=meeting, needs=needs)
    except RegistrationError as error:
        messages.error(request, str(error))
        return _to_meeting(meeting)

    if already:
        if needs is not None:
            messages.success(request, "Thank you. We have updated what you need for this meeting.")
        else:
            messages.info(request, "You are already signed up for this meeting.")
    else:
        position = selectors.waiting_position(registration)
        messages.success(request, _registered_message(meeting, registration, position))
    return _to_meeting(meeting)


@member_required
@require_POST
def apologies(request, pk: int):
    """Members only: say they cannot come. Frees their place, if they had one, for the next person waiting."""
    member: Member = request.member
    meeting = selectors.get_meeting(pk)
    closed = _closed_reason(meeting)
    if closed or member.has_left:
        messages.error(request, closed or "You have left the group, so you do not need to send apologies.")
        return _to_meeting(meeting)
    registration = selectors.get_registration_for_member(member, meeting)
    if registration is not None and registration.status == Registration.Status.APOLOGIES:
        messages.info(request, "We already have your apologies for this meeting.")
        return _to_meeting(meeting)
    send_apologies(member=member, meeting=meeting)
    messages.success(
        request,
        (
            f"Thank you for letting us know. We have noted your apologies for {meeting.title}. We hope to see you "
            "next time."
        ),
    )
    return _to_meeting(meeting)


@member_required
@require_POST
def cancel(request, pk: int):
    """Members only: give up their place, or leave the waiting list. The next person waiting gets the place."""
    member: Member = request.member
    meeting = selectors.get_meeting(pk)
    registration = selectors.get_registration_for_member(member, meeting)
    if not _is_active(registration):
        messages.info(request, "You are not signed up for this meeting, so there is nothing to cancel.")
        return _to_meeting(meeting)
    closed = _closed_reason(meeting)
    if closed:
        messages.error(request, closed)
        return _to_meeting(meeting)
    was_waiting = registration.status == Registration.Status.WAITING
    cancel_registration(registration=registration)
    if was_waiting:
        messages.success(request, f"You have left the waiting list for {meeting.title}.")
    else:
        messages.success(
            request,
            (
                f"You have cancelled your place at {meeting.title}. Thank you for letting us know, so someone else "
                "can come."
            ),
        )
    return _to_meeting(meeting)


@never_cache
@member_required
@require_GET
def mine(request):
    """Members only: the meetings they have a place at, are waiting for, and have been to."""
    member: Member = request.member
    coming_up, coming_up_pages = paginate(
        request, selectors.member_registrations(member, selectors.COMING_UP, upcoming=True), "coming_up"
    )
    waiting, waiting_pages = paginate(
        request,
        selectors.with_waiting_position(selectors.member_registrations(member, selectors.WAITING, upcoming=True)),
        "waiting",
    )
    been_to, been_to_pages = paginate(
        request, selectors.member_registrations(member, selectors.BEEN_TO, upcoming=False), "been_to"
    )
    return render(
        request,
        "meetings/mine.html",
        {
            "coming_up": coming_up,
            "coming_up_pages": coming_up_pages,
            "waiting": waiting,
            "waiting_pages": waiting_pages,
            "been_to": been_to,
            "been_to_pages": been_to_pages,
        },
    )

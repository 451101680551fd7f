"""The staff side of meetings in the admin: meetings of every kind, planning the year (its page is
``admin_plan_year.py``), cancelling and moving meetings (through the services, so registrants are
told), and registrations. What was sent is the outbox's admin ("Messages"), with "Needs checking"
and "Send again".

Writes that members must hear about never happen as a plain save here: cancelling goes through
`services.cancel_meeting`, a change of time, place or joining link through `services.change_meeting`,
adding someone through `services.register_for_meeting`.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from common.admin_labels import AccessibleAdminMixin

from . import services
from .admin_plan_year import plan_year_view
from .forms_staff import AddRegistrationForm, CancelMeetingForm
from .models import Action, Meeting, MeetingSeries, Registration, Venue

# A change to any of these moves the meeting: registrants get an email and an updated calendar entry.
MOVE_FIELDS = ("starts_at", "ends_at", "mode", "venue", "online_link")
# The rest of what the calendar (.ics) file shows (see meetings/calendar.py): a change bumps its
# SEQUENCE, so calendar apps take the new version, but nobody is emailed about it.
CALENDAR_ONLY_FIELDS = ("kind", "what_to_bring", "online_joining_notes")
# Kept by the services; the change form never writes them back from what it loaded.
SERVICE_FIELDS = (
    "status",
    "cancelled_at",
    "cancellation_reason",
    "sequence",
    "registered_count",
    "waiting_count",
    "attendance_taken_at",
    "minutes_published_at",
)


class WhenFilter(admin.SimpleListFilter):
    """Upcoming (not yet finished) or past meetings; upcoming unless asked otherwise."""

    title = "when"
    parameter_name = "when"
    field_path = "ends_at"

    def lookups(self, request, model_admin):
        return [("upcoming", "Upcoming"), ("past", "Past"), ("all", "All")]

    def choices(self, changelist):
        # No "All" entry from Django: ours is explicit, because no choice means upcoming.
        value = self.value() or "upcoming"
        for lookup, title in self.lookup_choices:
            yield {
                "selected": value == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        now = timezone.now()
        lookup = self.field_path
        value = self.value() or "upcoming"
        if value == "upcoming":
            return queryset.filter(**{f"{lookup}__gt": now})
        if value == "past":
            return queryset.filter(**{f"{lookup}__lte": now})
        return queryset


class RegistrationWhenFilter(WhenFilter):
    field_path = "meeting__ends_at"


class HttpsLinksMixin:
    """Links typed without a scheme get https:// (Django 6's default; says so now, without a warning)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs.setdefault("assume_scheme", "https")
        return super().formfield_for_dbfield(db_field, request, **kwargs)


def _attendance_url(meeting: Meeting) -> str:
    return reverse("meetings_staff:attendance", args=[meeting.pk])


class ActionInline(AccessibleAdminMixin, admin.TabularInline):
    model = Action
    extra = 1
    fields = ["description", "owner", "status", "due_on", "order"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name != "owner":
            return super().formfield_for_dbfield(db_field, request, **kwargs)
        # Staff only (the model limits the choices); no member is ever named in the minutes.
        # Empty means the group owns it, and no add/change buttons for user accounts here.
        kwargs["empty_label"] = "The group"
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        formfield.queryset = formfield.queryset.order_by("name", "email")
        widget = getattr(formfield, "widget", None)
        for flag in ("can_add_related", "can_change_related", "can_delete_related", "can_view_related"):
            if hasattr(widget, flag):
                setattr(widget, flag, False)
        return formfield


class RegistrationInline(admin.TabularInline):
    """Who is coming, read only: add people from Registrations, tick attendance on the staff page."""

    model = Registration
    extra = 0
    fields = ["person", "status", "needs_for_this_meeting"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True
    verbose_name_plural = "Who is coming (tick attendance on the staff page)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member__user")

    @admin.display(description="who")
    def person(self, registration: Registration) -> str:
        return str(registration.member)

    @admin.display(description="needs for this meeting")
    def needs_for_this_meeting(self, registration: Registration) -> str:
        return "; ".join(registration.needs) or "–"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(AccessibleAdminMixin, HttpsLinksMixin, SimpleHistoryAdmin):
    list_display = [
        "title",
        "kind",
        "starts_at",
        "mode",
        "venue",
        "status",
        "places",
        "waiting_count",
        "minutes_status",
        "attendance_link",
    ]
    list_filter = [WhenFilter, "kind", "mode", "status", "minutes_status", "series"]
    list_select_related = ["venue"]
    search_fields = ["title", "venue__name", "purpose"]
    list_per_page = 50
    autocomplete_fields = ["venue"]
    inlines = [ActionInline, RegistrationInline]
    actions = ["cancel_meetings", "publish_minutes_action"]
    readonly_fields = [
        "registered_count",
        "waiting_count",
        "status",
        "cancelled_at",
        "cancellation_reason",
        "sequence",
        "minutes_published_at",
        "attendance_taken_at",
    ]
    fieldsets = [
        ("What", {"fields": ["kind", "title", "purpose", "what_to_expect", "what_to_bring", "series"]}),
        (
            "When",
            {
                "fields": ["starts_at", "ends_at"],
                "description": "Enter times in UK time (Europe/London), as on the clock in the room: "
                "British Summer Time is allowed for. Changing the time tells everyone registered.",
            },
        ),
        (
            "Where",
            {
                "fields": ["mode", "venue", "online_link", "online_joining_notes"],
                "description": "Changing the way of meeting, the venue or the joining link tells everyone registered.",
            },
        ),
        ("Places", {"fields": ["capacity", "registered_count", "waiting_count"]}),
        ("Sensitivity", {"fields": ["is_sensitive", "content_note"]}),
        ("Debrief", {"fields": ["debrief_lead_name", "debrief_lead_contact"]}),
        ("Agenda", {"fields": ["agenda"]}),
        (
            "Minutes",
            {
                "fields": ["minutes", "minutes_status", "minutes_published_at"],
                "description": "Members see the minutes once they are published.",
            },
        ),
        (
            "Status",
            {
                "fields": ["status", "cancelled_at", "cancellation_reason", "sequence", "attendance_taken_at"],
                "description": "To cancel a meeting use “Cancel this meeting” above, so everyone is told.",
            },
        ),
    ]

    # --- The list -------------------------------------------------------------------------

    @admin.display(description="places taken")
    def places(self, meeting: Meeting) -> str:
        if meeting.capacity is None:
            return f"{meeting.registered_count} (no limit)"
        return f"{meeting.registered_count} of {meeting.capacity}"

    @admin.display(description="attendance")
    def attendance_link(self, meeting: Meeting) -> str:
        if meeting.is_cancelled:
            return "–"
        return format_html('<a href="{}">Tick who is here</a>', _attendance_url(meeting))

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # Adding someone to a meeting offers only meetings they could still come to.
        if request.path == reverse("admin:autocomplete") and request.GET.get("model_name") == "registration":
            queryset = queryset.filter(status=Meeting.Status.SCHEDULED, starts_at__gt=timezone.now())
        return queryset, may_have_duplicates

    def get_ordering(self, request):
        if request.GET.get(WhenFilter.parameter_name) == "past":
            return ["-starts_at"]
        return ["starts_at"]

    # --- Saving: moves and capacity go through the services --------------------------------

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        with transaction.atomic():
            stored = Meeting.objects.select_for_update().get(pk=obj.pk)
            for field in SERVICE_FIELDS:
                setattr(obj, field, getattr(stored, field))
            if obj.minutes_are_published and not stored.minutes_are_published:
                obj.minutes_published_at = timezone.now()
            moves = {field: getattr(obj, field) for field in MOVE_FIELDS if field in form.changed_data}
            moves = {field: value for field, value in moves.items() if getattr(stored, field) != value}
            # Save everything else first, with time and place as they were; then move the meeting
            # through the service, which bumps the calendar sequence and tells registrants.
            for field in moves:
                setattr(obj, field, getattr(stored, field))
            super().save_model(request, obj, form, change)
            if moves:
                moved = services.change_meeting(meeting=obj, **moves)
                for field in (*MOVE_FIELDS, "sequence", "updated_at"):
                    setattr(obj, field, getattr(moved, field))
                self.message_user(
                    request,
                    "Everyone registered or waiting will be told about the change (by email, and by text if they "
                    "chose it).",
                    messages.INFO,
                )
            elif any(getattr(stored, field) != getattr(obj, field) for field in CALENDAR_ONLY_FIELDS):
                obj.sequence = services.bump_calendar_sequence(meeting=obj).sequence
            if "capacity" in form.changed_data and (obj.capacity is None or obj.capacity > stored.registered_count):
                promoted = services.promote_from_waiting_list(meeting=obj)
                if promoted:
                    self.message_user(
                        request,
                        f"{len(promoted)} people moved off the waiting list into the new places; they will be told.",
                        messages.INFO,
                    )

    # --- Cancelling ------------------------------------------------------------------------

    @admin.action(description="Cancel meeting (tells everyone registered)", permissions=["change"])
    def cancel_meetings(self, request, queryset):
        meetings = list(queryset.filter(status=Meeting.Status.SCHEDULED).select_related("venue"))
        if not meetings:
            self.message_user(request, "Those meetings are already cancelled.", messages.WARNING)
            return None
        return self._cancel(request, meetings, from_action=True)

    def cancel_view(self, request, object_id):
        meeting = get_object_or_404(Meeting.objects.select_related("venue"), pk=object_id)
        if not self.has_change_permission(request, meeting):
            raise PermissionDenied
        if meeting.is_cancelled:
            self.message_user(request, "This meeting is already cancelled.", messages.WARNING)
            return HttpResponseRedirect(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
        return self._cancel(request, [meeting], from_action=False)

    def _cancel(self, request, meetings: list[Meeting], *, from_action: bool):
        if request.method == "POST" and "confirm" in request.POST:
            form = CancelMeetingForm(request.POST)
            if form.is_valid():
                for meeting in meetings:
                    services.cancel_meeting(meeting=meeting, reason=form.cleaned_data["reason"])
                self.message_user(
                    request,
                    f"Cancelled {len(meetings)} meeting{'s' if len(meetings) != 1 else ''}. "
                    "Everyone registered or waiting will be told.",
                    messages.SUCCESS,
                )
                if from_action:
                    return None
                return HttpResponseRedirect(reverse("admin:meetings_meeting_change", args=[meetings[0].pk]))
        else:
            form = CancelMeetingForm()
        context = {
            **self.admin_site.each_context(request),
            "title": "Cancel meeting" if len(meetings) == 1 else "Cancel meetings",
            "opts": self.opts,
            "meetings": meetings,
            "form": form,
            "from_action": from_action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/meetings/meeting/cancel_confirmation.html", context)

    # --- Minutes ---------------------------------------------------------------------------

    @admin.action(description="Publish minutes", permissions=["change"])
    def publish_minutes_action(self, request, queryset):
        published = skipped = 0
        for meeting in queryset:
            if services.publish_minutes(meeting=meeting):
                published += 1
            else:
                skipped += 1
        if published:
            self.message_user(request, f"Published the minutes of {published} meeting(s).", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{skipped} meeting(s) have no minutes written yet, so nothing was published.",
                messages.WARNING,
            )

    # --- Plan the year ---------------------------------------------------------------------

    def get_urls(self):
        extra = [
            path(
                "plan-the-year/",
                self.admin_site.admin_view(self.plan_year_view),
                name="meetings_meeting_plan_year",
            ),
            path(
                "<path:object_id>/cancel/",
                self.admin_site.admin_view(self.cancel_view),
                name="meetings_meeting_cancel",
            ),
        ]
        return extra + super().get_urls()

    def plan_year_view(self, request):
        return plan_year_view(self, request)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "plan_year_url": reverse("admin:meetings_meeting_plan_year")}
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if str(object_id).isdigit():
            extra_context = {
                **(extra_context or {}),
                "attendance_url": reverse("meetings_staff:attendance", args=[object_id]),
                "attendees_csv_url": reverse("meetings_staff:attendees_csv", args=[object_id]),
                "cancel_url": reverse("admin:meetings_meeting_cancel", args=[object_id]),
            }
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Venue)
class VenueAdmin(HttpsLinksMixin, admin.ModelAdmin):
    list_display = ["name", "postcode", "step_free", "baby_changing", "children_welcome", "parking"]
    list_filter = ["step_free", "baby_changing", "children_welcome"]
    search_fields = ["name", "address", "postcode"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and set(form.changed_data) & set(services.VENUE_CALENDAR_FIELDS):
            services.venue_details_changed(venue=obj)


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "rule", "meeting_count", "created_at", "created_by"]
    list_select_related = ["created_by"]
    search_fields = ["title"]
    readonly_fields = ["rule", "created_at", "created_by", "meetings_link"]
    fields = ["title", "rule", "created_at", "created_by", "meetings_link"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(meeting_total=Count("meetings"))

    @admin.display(description="meetings", ordering="meeting_total")
    def meeting_count(self, obj: MeetingSeries) -> int:
        return obj.meeting_total

    @admin.display(description="its meetings")
    def meetings_link(self, obj: MeetingSeries) -> str:
        if obj.pk is None:
            return "–"
        url = reverse("admin:meetings_meeting_changelist")
        return format_html('<a href="{}?series__id__exact={}&amp;when=all">See its meetings</a>', url, obj.pk)

    def has_add_permission(self, request):
        # A series is made by "Plan the year" on the meetings list.
        return False


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    """Who signed up for what. Adding someone goes through the same service members use."""

    list_display = ["person", "meeting", "meeting_starts", "status", "needs_for_this_meeting", "created_at"]
    list_filter = [RegistrationWhenFilter, "status", "meeting__kind"]
    list_select_related = ["member__user", "meeting"]
    search_fields = ["member__user__name", "member__user__email", "meeting__title"]
    raw_id_fields = ["member"]
    autocomplete_fields = ["meeting"]
    actions = ["cancel_registrations", "mark_attended", "mark_not_attended"]
    list_per_page = 50
    NEEDS_FIELDS = ["needs_childcare", "needs_bsl", "interpreter_language", "needs_step_free", "dietary", "other_needs"]

    @admin.display(description="who", ordering="member__user__name")
    def person(self, registration: Registration) -> str:
        return str(registration.member)

    @admin.display(description="starts", ordering="meeting__starts_at")
    def meeting_starts(self, registration: Registration):
        return registration.meeting.starts_at

    @admin.display(description="needs for this meeting")
    def needs_for_this_meeting(self, registration: Registration) -> str:
        return "; ".join(registration.needs) or "–"

    def get_autocomplete_fields(self, request):
        # The member picker searches when the members app's admin offers a search; otherwise a raw id.
        member_admin = self.admin_site._registry.get(Registration._meta.get_field("member").related_model)
        if member_admin is not None and member_admin.search_fields:
            return ["meeting", "member"]
        return ["meeting"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = AddRegistrationForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return AddRegistrationForm.Meta.fields
        return ["member", "meeting", "status", "waiting_since", "created_at", *self.NEEDS_FIELDS]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # Status changes go through the services (and the attendance page), which keep counts right.
        return ["member", "meeting", "status", "waiting_since", "created_at"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        registration = services.register_for_meeting(member=obj.member, meeting=obj.meeting, needs=form.needs)
        # The admin's "added" message and redirect need the saved record.
        obj.pk = registration.pk
        obj.status = registration.status
        obj._state.adding = False
        if registration.status == Registration.Status.WAITING:
            self.message_user(request, "The meeting is full, so they are on the waiting list.", messages.WARNING)

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    @admin.action(description="Cancel these registrations (frees places for people waiting)", permissions=["change"])
    def cancel_registrations(self, request, queryset):
        cancelled = 0
        for registration in queryset.select_related("meeting"):
            if registration.status in (Registration.Status.REGISTERED, Registration.Status.WAITING):
                services.cancel_registration(registration=registration)
                cancelled += 1
        self.message_user(request, f"Cancelled {cancelled} registration(s).", messages.SUCCESS)

    @admin.action(description="Mark as attended", permissions=["change"])
    def mark_attended(self, request, queryset):
        self._mark(request, queryset, attended=True)

    @admin.action(description="Mark as did not attend", permissions=["change"])
    def mark_not_attended(self, request, queryset):
        self._mark(request, queryset, attended=False)

    def _mark(self, request, queryset, *, attended: bool):
        marked = 0
        refusals: dict[str, int] = {}
        for registration in queryset.select_related("meeting", "member__user"):
            try:
                services.mark_attendance(registration=registration, attended=attended)
            except services.AttendanceError as error:
                reason = str(error).removeprefix(f"{registration.member} ")
                refusals[reason] = refusals.get(reason, 0) + 1
            else:
                marked += 1
        if marked:
            label = "attended" if attended else "did not attend"
            self.message_user(request, f"Marked {marked} registration(s) as {label}.", messages.SUCCESS)
        for reason, count in refusals.items():
            self.message_user(request, f"{count} not changed: {reason}", messages.WARNING)

    def has_delete_permission(self, request, obj=None):
        # Deleting would leave the meeting's counts wrong; cancel instead.
        return False

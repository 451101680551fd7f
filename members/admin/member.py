"""The member list and the member page: consent history, access needs, training, the change
history of the whole person, and the record access log written on every opening."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin import DateFieldListFilter
from django.contrib.admin.utils import unquote
from django.db.models import BooleanField, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from ..admin_forms import MemberAdminForm
from ..consent import current_consents, latest_consent_given
from ..models import Channel, Consent, ConsentText, Member, MemberAccessLog, TrainingRecord, User
from ..phone import format_uk_phone
from .member_filters import AccessNeedFilter, ConsentStateFilter, ContactChannelFilter
from .member_registration import MemberRegistrationPages


class ConsentHistoryInline(admin.TabularInline):
    """Every consent decision, newest first. Consent records are only ever added (by the
    member online, or through registration by staff), never edited or deleted here."""

    model = Consent
    verbose_name = "consent decision"
    verbose_name_plural = "Consent decisions, newest first"
    fields = ["purpose", "version", "decision", "recorded_at", "method", "recorded_by"]
    readonly_fields = fields
    ordering = ["-recorded_at", "-id"]
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("text", "recorded_by")

    @admin.display(description="version")
    def version(self, obj):
        return obj.text.version

    @admin.display(description="decision")
    def decision(self, obj):
        return "Given" if obj.given else "Withdrawn"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TrainingRecordInline(admin.TabularInline):
    model = TrainingRecord
    verbose_name_plural = "Training completed"
    fields = ["course", "completed_on", "recorded_by"]
    readonly_fields = ["recorded_by"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("course", "recorded_by")


@admin.register(Member)
class MemberAdmin(MemberRegistrationPages, SimpleHistoryAdmin):
    """Members. The page shows consent history, access needs and training; "History" shows
    who changed what and when. Every opening of a member's page is written to the access log."""

    form = MemberAdminForm
    change_list_template = "admin/members/member/change_list.html"
    list_display = [
        "name",
        "email",
        "phone_number",
        "status",
        "channels",
        "consents_to_contact",
        "joined_at",
        "heard_about",
    ]
    list_display_links = ["name"]
    list_filter = [
        "status",
        ContactChannelFilter,
        AccessNeedFilter,
        ConsentStateFilter,
        ("joined_at", DateFieldListFilter),
        "heard_about",
    ]
    search_fields = ["user__name", "user__email", "phone"]
    search_help_text = "Search by name, email address or phone number."
    list_select_related = ["user"]
    list_per_page = 50
    inlines = [ConsentHistoryInline, TrainingRecordInline]
    readonly_fields = [
        "person",
        "joined_at",
        "status_changed_at",
        "consents_now",
        "onboarding_step",
        "onboarding_completed_at",
        "erased_at",
    ]
    fieldsets = [
        ("Person", {"fields": ["person", "status", "status_changed_at", "joined_at", "pronouns"]}),
        (
            "How to contact them",
            {
                "fields": [
                    "phone",
                    "postal_address",
                    "postcode",
                    ("contact_by_email", "contact_by_sms", "contact_by_phone", "contact_by_post"),
                    "contact_frequency",
                    "preferred_language",
                ]
            },
        ),
        ("Consent now", {"fields": ["consents_now"]}),
        (
            "Access needs",
            {
                "fields": [
                    ("needs_large_print", "needs_easy_read", "needs_bsl"),
                    ("needs_interpreter", "interpreter_language"),
                    ("needs_step_free", "needs_childcare"),
                    "access_other",
                ]
            },
        ),
        (
            "About them (all optional, never required)",
            {
                "fields": [
                    ("relationship", "relationship_other"),
                    "topics",
                    "topics_other",
                    "topics_prefer_not",
                    ("heard_about", "heard_about_other"),
                    "payment_preference",
                ]
            },
        ),
        (
            "Joining online",
            {"classes": ["collapse"], "fields": ["onboarding_step", "onboarding_completed_at", "erased_at"]},
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                # No decision yet counts as not given (so "does not consent" finds them too).
                keeps_details_now=Coalesce(
                    latest_consent_given(ConsentText.Purpose.KEEP_DETAILS), Value(False), output_field=BooleanField()
                ),
                contact_consent_now=Coalesce(
                    latest_consent_given(ConsentText.Purpose.CONTACT), Value(False), output_field=BooleanField()
                ),
            )
        )

    def get_search_results(self, request, queryset, search_term):
        """Also finds a phone number typed with spaces, dashes or +44."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        digits = "".join(character for character in term if character.isdigit())
        if len(digits) >= 4 and all(character.isdigit() or character in " +-()" for character in term):
            if term.startswith("+44"):
                digits = "0" + digits[2:].removeprefix("0")
            results = results | queryset.filter(phone__contains=digits)
        return results, may_have_duplicates

    # List columns

    @admin.display(description="name", ordering="user__name")
    def name(self, obj):
        return obj.user.name or "(no name)"

    @admin.display(description="email", ordering="user__email")
    def email(self, obj):
        return obj.user.email or "—"

    @admin.display(description="phone", ordering="phone")
    def phone_number(self, obj):
        return format_uk_phone(obj.phone) or "—"

    @admin.display(description="channels")
    def channels(self, obj):
        return ", ".join(Channel(channel).label.lower() for channel in obj.channels) or "—"

    @admin.display(description="consents to contact", boolean=True)
    def consents_to_contact(self, obj):
        return bool(getattr(obj, "keeps_details_now", False) and getattr(obj, "contact_consent_now", False))

    # Member page

    @admin.display(description="name and email")
    def person(self, obj):
        user = obj.user
        url = reverse("admin:members_user_change", args=[user.pk])
        return format_html(
            '{} &lt;{}&gt; · <a href="{}">Change name or email</a>',
            user.name or "(no name)",
            user.email or "no email address",
            url,
        )

    @admin.display(description="consent now")
    def consents_now(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        rows = []
        for consent in current_consents(obj):
            if consent.record is None:
                state = "Not decided"
            else:
                state = "Given" if consent.given else "Withdrawn"
                state += f" (version {consent.record.text.version}, {consent.record.get_method_display().lower()})"
            if consent.needs_review:
                state += " – asked to review the new version"
            rows.append((consent.label, state))
        return format_html(
            "<table><tbody>{}</tbody></table>",
            format_html_join("", "<tr><th scope='row'>{}</th><td>{}</td></tr>", rows),
        )

    def save_model(self, request, obj, form, change):
        if change and "status" in form.changed_data:
            obj.status_changed_at = timezone.now()
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        """Training records are marked with the coordinator who recorded them."""
        instances = formset.save(commit=False)
        for deleted in formset.deleted_objects:
            deleted.delete()
        for instance in instances:
            if isinstance(instance, TrainingRecord):
                instance.recorded_by = request.user
            instance.save()
        formset.save_m2m()

    def has_delete_permission(self, request, obj=None):
        # A member leaves or is erased (members.services / members.privacy); the record stays
        # so that counts of members, consent and attendance stay right.
        return False

    def revert_disabled(self, request, obj=None):
        # Restoring an old version could undo a member's own later choices (channels, needs).
        return True

    # Access log

    def _log_access(self, request, object_id, action: str) -> None:
        member = Member.objects.filter(pk=object_id).only("pk").first() if str(object_id).isdigit() else None
        if member is not None:
            MemberAccessLog.objects.create(staff=request.user, member=member, action=action)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        self._log_access(request, unquote(object_id), "viewed" if request.method == "GET" else "changed")
        return response

    object_history_template = "admin/members/member/object_history.html"
    ACCOUNT_HISTORY_LIMIT = 50

    def _account_changes(self, object_id) -> list[dict]:
        """Changes to the member's account (name, email, active), newest first: the member's
        history page shows them beside the member record's own, so one page answers "who
        changed what" for the whole person."""
        user_id = Member.objects.filter(pk=object_id).values_list("user_id", flat=True).first()
        if user_id is None:
            return []
        records = list(
            User.history.filter(id=user_id)
            .select_related("history_user")
            .order_by("-history_date", "-history_id")[: self.ACCOUNT_HISTORY_LIMIT + 1]
        )
        labels = {name: User._meta.get_field(name).verbose_name for name in ("name", "email", "is_active")}
        changes = []
        for record, before in zip(records, [*records[1:], None], strict=True):
            if len(changes) == self.ACCOUNT_HISTORY_LIMIT:
                break
            delta = record.diff_against(before, included_fields=list(labels)).changes if before else []
            changes.append(
                {
                    "when": record.history_date,
                    "who": record.history_user,
                    "kind": record.get_history_type_display(),
                    "changes": [(labels[c.field].capitalize(), c.old, c.new) for c in delta],
                }
            )
        return changes

    def history_view(self, request, object_id, extra_context=None):
        object_id = unquote(object_id)
        extra = {**(extra_context or {})}
        if str(object_id).isdigit():
            extra["account_changes"] = self._account_changes(object_id)
        response = super().history_view(request, object_id, extra)
        self._log_access(request, object_id, "viewed history")
        return response

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        response = super().history_form_view(request, object_id, version_id, extra_context)
        self._log_access(request, unquote(object_id), "viewed history")
        return response

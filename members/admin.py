"""The coordinators' side of members: finding and editing members, registering someone by
phone or on paper, contact lists, consent texts, training, and the record access log.

Who may use these pages: staff with the Coordinators group's admin permissions (and
superusers). Members and commissioners are not staff, so the admin sends them to log in.

Equality monitoring answers are deliberately not registered: they are only ever reported
in aggregate, never shown against a person.
"""

from __future__ import annotations

import logging

from django.contrib import admin, messages
from django.contrib.admin import DateFieldListFilter
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from . import services, tasks
from .admin_forms import DUPLICATE_EMAIL, ContactExportForm, MemberAdminForm, RegisterMemberForm
from .consent import ContactPurpose, contactable_members, current_consents, latest_consent_given, members_needing_review
from .contact_lists import contact_list_csv
from .models import (
    Channel,
    Consent,
    ConsentText,
    Member,
    MemberAccessLog,
    TrainingCourse,
    TrainingRecord,
    User,
)
from .phone import format_uk_phone

logger = logging.getLogger(__name__)


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    """Accounts. Every change made here is kept in the record's history (who, what, when)."""

    ordering = ["email"]
    list_display = ["email", "name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "name"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Personal details", {"fields": ["name"]}),
        ("Roles and access", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "name", "password1", "password2"]}),
    ]

    def _log_member_access(self, request, object_id, response, action: str) -> None:
        # A member's account pages show their name and email: those are views of their record too.
        object_id = unquote(str(object_id))
        if object_id.isdigit() and response.status_code in (200, 302):
            member = Member.objects.filter(user_id=object_id).only("pk").first()
            if member is not None:
                MemberAccessLog.objects.create(staff=request.user, member=member, action=action)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        action = "viewed account" if request.method == "GET" else "changed account"
        self._log_member_access(request, object_id, response, action)
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        self._log_member_access(request, object_id, response, "viewed account history")
        return response

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        response = super().history_form_view(request, object_id, version_id, extra_context)
        self._log_member_access(request, object_id, response, "viewed account history")
        return response


# --- Member list filters ---------------------------------------------------------------------


class ContactChannelFilter(admin.SimpleListFilter):
    title = "contact channel"
    parameter_name = "channel"

    def lookups(self, request, model_admin):
        return Channel.choices

    def queryset(self, request, queryset):
        if self.value() in Channel.values:
            return queryset.filter(**{f"contact_by_{self.value()}": True})
        return queryset


class AccessNeedFilter(admin.SimpleListFilter):
    title = "access need"
    parameter_name = "need"
    NEEDS = [
        ("large_print", "Large print"),
        ("easy_read", "Easy Read"),
        ("bsl", "BSL interpreter"),
        ("interpreter", "Spoken-language interpreter"),
        ("step_free", "Step-free access"),
        ("childcare", "Childcare or bringing a baby"),
        ("other", "Other access needs"),
        ("any", "Any access need"),
    ]

    def lookups(self, request, model_admin):
        return self.NEEDS

    def queryset(self, request, queryset):
        need = self.value()
        if need == "other":
            return queryset.exclude(access_other="")
        if need == "any":
            condition = ~Q(access_other="")
            for key, _ in self.NEEDS[:6]:
                condition |= Q(**{f"needs_{key}": True})
            return queryset.filter(condition)
        if need in {key for key, _ in self.NEEDS[:6]}:
            return queryset.filter(**{f"needs_{need}": True})
        return queryset


class ConsentStateFilter(admin.SimpleListFilter):
    """Consent now, from the newest record of each purpose (subqueries, not a query per member)."""

    title = "consent"
    parameter_name = "consent"

    def lookups(self, request, model_admin):
        return [
            ("contact", "Currently consents to contact"),
            ("no_contact", "Does not consent to contact"),
            ("review", "Needs to review a new version"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "contact":
            return queryset.filter(keeps_details_now=True, contact_consent_now=True)
        if self.value() == "no_contact":
            return queryset.exclude(keeps_details_now=True, contact_consent_now=True)
        if self.value() == "review":
            return queryset.filter(pk__in=members_needing_review().values("pk"))
        return queryset


# --- The member page -------------------------------------------------------------------------


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
class MemberAdmin(SimpleHistoryAdmin):
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

    # Registering by phone or on paper, and contact lists

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("register/", self.admin_site.admin_view(self.register_view), name="{}_{}_register".format(*info)),
            path(
                "contact-list/",
                self.admin_site.admin_view(self.contact_list_view),
                name="{}_{}_contact_list".format(*info),
            ),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        # Members join online or are registered by a coordinator: one way in each.
        return redirect("admin:members_member_register")

    def _page(self, request, template: str, title: str, **context):
        return TemplateResponse(
            request,
            template,
            {**self.admin_site.each_context(request), "opts": self.opts, "title": title, **context},
        )

    def register_view(self, request):
        """Registers someone who joined by phone or on paper (coordinators: add permission)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = RegisterMemberForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                member = services.register_member_by_staff(**form.registration(), recorded_by=request.user)
            except (services.EmailAlreadyRegistered, IntegrityError):
                form.add_error("email", DUPLICATE_EMAIL)
            else:
                self.log_addition(request, member, [{"added": {}}])
                self._tell_about_welcome_email(request, member)
                return HttpResponseRedirect(reverse("admin:members_member_change", args=[member.pk]))
        return self._page(
            request,
            "admin/members/member/register.html",
            "Register someone by phone or on paper",
            form=form,
            fieldsets=form.fieldsets(),
            media=self.media + form.media,
        )

    def _tell_about_welcome_email(self, request, member: Member) -> None:
        name = member.user.name
        if not member.user.email:
            self.message_user(
                request,
                f"{name} is registered. They have no email address, so they cannot log in: "
                "keep in touch by phone or post.",
                messages.SUCCESS,
            )
            return
        # Sent by the worker once the registration is saved: the page does not wait for the
        # mail server, and a registration rolled back sends nothing.
        member_id = member.pk
        transaction.on_commit(lambda: tasks.send_welcome_email.delay(member_id))
        self.message_user(
            request,
            f"{name} is registered. A welcome email with a link to set a password is on its way to "
            f"{member.user.email}. If it does not arrive, they can use “Forgotten your password?” "
            "on the log-in page.",
            messages.SUCCESS,
        )

    def contact_list_view(self, request):
        """A CSV of members who currently consent to contact on one channel (coordinators)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = ContactExportForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            content, filename = contact_list_csv(channel=form.cleaned_data["channel"], staff=request.user)
            # A byte-order mark so that spreadsheet programs read the names as UTF-8.
            response = HttpResponse("\ufeff" + content, content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            response["Cache-Control"] = "no-store"
            return response
        counts = [(label, contactable_members(ContactPurpose.NEWS, value).count()) for value, label in Channel.choices]
        return self._page(
            request, "admin/members/member/contact_list.html", "Export a contact list", form=form, counts=counts
        )


@admin.register(MemberAccessLog)
class MemberAccessLogAdmin(admin.ModelAdmin):
    """Who opened which member's record, and when. Read-only: written only by the portal."""

    list_display = ["viewed_at", "staff", "member_name", "action"]
    list_filter = ["action", ("viewed_at", DateFieldListFilter)]
    search_fields = ["staff__name", "staff__email", "member__user__name"]
    list_select_related = ["staff", "member__user"]
    date_hierarchy = "viewed_at"

    @admin.display(description="member", ordering="member__user__name")
    def member_name(self, obj):
        return str(obj.member.user) if obj.member.erased_at is None else f"Erased member {obj.member_id}"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Consent texts ---------------------------------------------------------------------------


def members_to_review(text: ConsentText):
    """Members still in the group whose newest decision on this text's purpose was on an older version."""
    newest = Consent.objects.filter(member=OuterRef("pk"), purpose=text.purpose).order_by("-recorded_at", "-id")
    return (
        Member.objects.exclude(status=Member.Status.LEFT)
        .filter(erased_at__isnull=True)
        .annotate(decided_version=Subquery(newest.values("text__version")[:1]))
        .filter(decided_version__lt=text.version)
    )


@admin.register(ConsentText)
class ConsentTextAdmin(admin.ModelAdmin):
    """Versioned consent texts and the respect agreement. A draft can be edited; once published
    a version is fixed, and publishing asks members who decided on an older one to review."""

    change_form_template = "admin/members/consenttext/change_form.html"
    list_display = ["purpose", "version", "title", "state", "published_at"]
    list_display_links = ["purpose", "version"]
    list_filter = ["purpose", ("published_at", admin.EmptyFieldListFilter)]
    ordering = ["purpose", "-version"]
    actions = ["publish_drafts"]

    @admin.display(description="state")
    def state(self, obj):
        return "Published" if obj.is_published else "Draft"

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["purpose", "title", "summary", "body"]
        return ["purpose", "version", "title", "summary", "body", "published_at", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        if obj.is_published:
            return self.get_fields(request, obj)
        return ["purpose", "version", "published_at", "created_at"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Bulk delete would reach published versions that consent records point at.
        actions.pop("delete_selected", None)
        return actions

    def get_changeform_initial_data(self, request):
        """ "Draft a new version" opens the add form filled in from the version it starts from."""
        initial = super().get_changeform_initial_data(request)
        source = request.GET.get("from", "")
        if source.isdigit():
            text = ConsentText.objects.filter(pk=source).first()
            if text is not None:
                initial.update(purpose=text.purpose, title=text.title, summary=text.summary, body=text.body)
        return initial

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # New versions are numbered by the service; the admin then carries on with the saved row.
        draft = services.new_consent_version(purpose=obj.purpose, title=obj.title, summary=obj.summary, body=obj.body)
        obj.pk, obj.version, obj.created_at, obj._state = draft.pk, draft.version, draft.created_at, draft._state

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/publish/",
                self.admin_site.admin_view(self.publish_view),
                name="{}_{}_publish".format(*info),
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        text = ConsentText.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
        extra_context = extra_context or {}
        if text is not None:
            newest = ConsentText.objects.filter(purpose=text.purpose).order_by("-version").first()
            extra_context.update(
                can_publish=not text.is_published and self.has_change_permission(request),
                can_draft_new_version=text.is_published and newest == text and self.has_add_permission(request),
                newer_draft=newest if newest != text and not newest.is_published else None,
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def _published_message(self, text: ConsentText) -> str:
        count = members_to_review(text).count()
        return (
            f"{text} is published. {count} member{'' if count == 1 else 's'} will be asked to review "
            "their choice the next time they log in."
        )

    def publish_view(self, request, object_id):
        """Asks "are you sure?", showing how many members will be asked to review, then publishes."""
        text = get_object_or_404(ConsentText, pk=unquote(object_id))
        if not self.has_change_permission(request):
            raise PermissionDenied
        change_url = reverse("admin:members_consenttext_change", args=[text.pk])
        if text.is_published:
            self.message_user(request, f"{text} is already published.", messages.WARNING)
            return HttpResponseRedirect(change_url)
        if request.method == "POST":
            services.publish_consent_text(text=text)
            self.log_change(request, text, [{"changed": {"fields": ["published_at"]}}])
            self.message_user(request, self._published_message(text), messages.SUCCESS)
            return HttpResponseRedirect(change_url)
        previous = (
            ConsentText.objects.filter(purpose=text.purpose, published_at__isnull=False, version__lt=text.version)
            .order_by("-version")
            .first()
        )
        return TemplateResponse(
            request,
            "admin/members/consenttext/publish_confirmation.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": f"Publish {text}?",
                "original": text,
                "previous": previous,
                "review_count": members_to_review(text).count() if previous else 0,
                "change_url": change_url,
            },
        )

    @admin.action(description="Publish the selected drafts", permissions=["change"])
    def publish_drafts(self, request, queryset):
        for text in queryset.order_by("purpose", "version"):
            if text.is_published:
                self.message_user(request, f"{text} was already published.", messages.WARNING)
                continue
            services.publish_consent_text(text=text)
            self.log_change(request, text, [{"changed": {"fields": ["published_at"]}}])
            self.message_user(request, self._published_message(text), messages.SUCCESS)


# --- Training --------------------------------------------------------------------------------


@admin.register(TrainingCourse)
class TrainingCourseAdmin(admin.ModelAdmin):
    """Kinds of training; coordinators add their own. Completions are recorded on the member page."""

    list_display = ["name", "completed"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(completed_count=Count("records"))

    @admin.display(description="times completed", ordering="completed_count")
    def completed(self, obj):
        return obj.completed_count

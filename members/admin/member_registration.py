"""Pages beside the member list: registering someone who joined by phone or on paper, and
exporting a contact list. Mixed into MemberAdmin, whose permissions they use."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .. import services
from ..admin_forms import DUPLICATE_EMAIL, ContactExportForm, RegisterMemberForm
from ..consent import ContactPurpose, contactable_members
from ..contact_lists import contact_list_csv
from ..models import Channel, Member


class MemberRegistrationPages:
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
        # The registration recorded it in the outbox, which sends it once the registration is
        # saved: the page does not wait for the mail server.
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

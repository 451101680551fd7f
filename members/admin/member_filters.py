"""Filters for the member list: contact channel, access need and consent now."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q

from ..consent import members_needing_review
from ..models import Channel


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

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from members.roles import is_commissioner, is_coordinator, requires_mfa
from members.state import member_state, person_facts

from .models import cached_profile_and_signposts


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool


# What a commissioner has besides Reports.
ACCOUNT_ITEMS = ("Account", "Two-step security", "Log out")


def _navigation(request) -> list[NavItem]:
    user = request.user
    items: list[tuple[str, str]] = [
        ("Home", reverse("home")),
        ("Meetings", reverse("meetings:upcoming")),
        ("Library", reverse("library:home")),
        # Members who have not left see every item there; everyone else the items marked public.
        ("You said, we did", reverse("impact:list")),
    ]
    if user.is_authenticated:
        person_facts(request)  # the role checks below then read the cached groups, not the database
        if is_coordinator(user):
            items.append(("Admin", reverse("admin:index")))
            items.append(("Meetings (staff)", reverse("meetings_staff:meeting_list")))
            # Full results; the suppressed summary shows what the survey results report shows.
            items.append(("Survey results", reverse("surveys_staff:list")))
            items.append(("Reports", reverse("reports:home")))
        if member_state(request) or is_coordinator(user):
            # The pages themselves turn away who may not use them: the feed members still joining or
            # taking a break (discussions.access), the projects members who have left (involvement.access).
            items.append(("Group feed", reverse("discussions:feed")))
            items.append(("Projects", reverse("impact:projects")))
        if member_state(request):
            items.append(("Your involvement", reverse("members:dashboard")))
            items.append(("Expenses", reverse("expenses:claims")))
        items.append(("Account", reverse("account_email")))
        # Everyone who must use two-step login (members.roles.requires_mfa) can manage it here.
        if requires_mfa(user):
            items.append(("Two-step security", reverse("mfa_index")))
        items.append(("Log out", reverse("account_logout")))
        if is_commissioner(user):
            # Commissioners get reports and nothing else, whatever other role they also have.
            items = [("Reports", reverse("reports:home"))] + [item for item in items if item[0] in ACCOUNT_ITEMS]
    else:
        items.append(("Join the group", reverse("members:join")))
        items.append(("Log in", reverse("account_login")))
    path = request.path
    return [NavItem(label, url, current=(path == url if url == "/" else path.startswith(url))) for label, url in items]


def portal(request) -> dict:
    """What the shared layout needs on every page: the group, its signposts, the navigation."""
    data = cached_profile_and_signposts()
    return {
        "group_profile": data["profile"],
        "crisis_signposts": data["crisis_signposts"],
        "navigation": _navigation(request) if hasattr(request, "user") else [],
    }


def email_context() -> dict:
    """The group's profile and signposts, for emails and pages in any app.

    ``settings.EMAIL_CONTEXT_FUNCTION`` points here; apps that must not import `involvement`
    ask ``common.group.group_context()`` or ``group_profile()``, which call this.
    """
    data = cached_profile_and_signposts()
    return {
        "group_profile": data["profile"],
        "crisis_signposts": data["crisis_signposts"],
        "support_signposts": data["support_signposts"],
    }

"""The writes that matter for members: joining, onboarding, consent, breaks and leaving.

Views, the admin, tasks and tests all call these, so each rule lives in one place.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from .consent import current_texts
from .messages import welcome
from .models import Consent, ConsentText, EqualityMonitoring, Member, User


def get_or_create_member(user: User) -> Member:
    """The member record of someone who has an account, created on first use."""
    member, _ = Member.objects.get_or_create(user=user)
    return member


def complete_onboarding_step(*, member: Member, step: str) -> Member:
    """Marks an onboarding step done (each is saved as it is completed) and moves to the next.

    Doing a step again (from the profile) never moves the member backwards.
    """
    index = Member.ONBOARDING_STEPS.index(step)
    updates = {}
    if member.onboarding_step <= index:
        member.onboarding_step = index + 1
        updates["onboarding_step"] = member.onboarding_step
    if member.onboarding_step >= len(Member.ONBOARDING_STEPS) and not member.onboarding_completed_at:
        member.onboarding_completed_at = timezone.now()
        updates["onboarding_completed_at"] = member.onboarding_completed_at
        if member.status == Member.Status.INTERESTED:
            member.status = Member.Status.ACTIVE
            member.status_changed_at = timezone.now()
            updates.update(status=member.status, status_changed_at=member.status_changed_at)
    if updates:
        # save(), not update(): the change (above all interested → active) goes into the history.
        member.save(update_fields=list(updates))
    return member


def record_consent(
    *,
    member: Member,
    purpose: str,
    given: bool,
    method: str = Consent.Method.ONLINE,
    recorded_by: User | None = None,
    text: ConsentText | None = None,
) -> Consent:
    """Adds the member's decision on one purpose, against the newest published text.

    Takes effect at once: `can_contact` reads the newest record on every call.
    """
    if text is None:
        text = current_texts().get(purpose)
    if text is None or not text.is_published:
        raise ValueError(f"There is no published text for {purpose!r}.")
    return Consent.objects.create(member=member, text=text, given=given, method=method, recorded_by=recorded_by)


@transaction.atomic
def record_consents(
    *,
    member: Member,
    decisions: dict[str, bool],
    method: str = Consent.Method.ONLINE,
    recorded_by: User | None = None,
) -> list[Consent]:
    texts = current_texts()
    return [
        record_consent(
            member=member, purpose=purpose, given=given, method=method, recorded_by=recorded_by, text=texts[purpose]
        )
        for purpose, given in decisions.items()
    ]


def save_equality_answers(*, member: Member, answers: dict) -> EqualityMonitoring:
    """Saves the member's equality answers under their random key (never against their name)."""
    record, _ = EqualityMonitoring.objects.update_or_create(key=member.equality_key, defaults=answers)
    return record


def _set_status(member: Member, status: str) -> Member:
    member.status = status
    member.status_changed_at = timezone.now()
    member.save(update_fields=["status", "status_changed_at"])
    return member


def pause_membership(*, member: Member) -> Member:
    """Takes a break: no invitations, reminders or surveys until the member comes back."""
    return _set_status(member, Member.Status.PAUSED)


def resume_membership(*, member: Member) -> Member:
    status = Member.Status.ACTIVE if member.onboarding_done else Member.Status.INTERESTED
    return _set_status(member, status)


def leave_group(*, member: Member, erase: bool, erased_by: User | None = None) -> Member:
    """Leaves the group, keeping the account (to come back later) or erasing everything held."""
    from .privacy import erase_member

    _set_status(member, Member.Status.LEFT)
    if erase:
        erase_member(member=member, requested_by_member=erased_by is None, erased_by=erased_by)
    return member


def publish_consent_text(*, text: ConsentText) -> ConsentText:
    """Publishes a drafted version. Members who decided on an older one are asked to review."""
    if not text.published_at:
        text.published_at = timezone.now()
        text.save(update_fields=["published_at"])
    return text


def new_consent_version(*, purpose: str, title: str, summary: str, body: str) -> ConsentText:
    """Drafts the next version of a purpose's text (published separately)."""
    latest = ConsentText.objects.filter(purpose=purpose).order_by("-version").first()
    return ConsentText.objects.create(
        purpose=purpose, version=(latest.version + 1) if latest else 1, title=title, summary=summary, body=body
    )


def consent_purposes_to_review(member: Member) -> Iterable[str]:
    from .consent import current_consents

    return [c.purpose for c in current_consents(member) if c.needs_review]


# Member fields a coordinator may fill in when registering someone by phone or on paper.
STAFF_REGISTRATION_FIELDS = frozenset(
    {
        "status",
        "pronouns",
        "phone",
        "postal_address",
        "postcode",
        "contact_by_email",
        "contact_by_sms",
        "contact_by_phone",
        "contact_by_post",
        "contact_frequency",
        "needs_large_print",
        "needs_easy_read",
        "needs_bsl",
        "needs_interpreter",
        "interpreter_language",
        "needs_step_free",
        "needs_childcare",
        "access_other",
        "preferred_language",
        "heard_about",
        "heard_about_other",
    }
)


class EmailAlreadyRegistered(ValueError):
    """Someone already has an account with this email address."""


def email_in_use(email: str) -> bool:
    """Whether an account (or an allauth address of one) already uses this email address."""
    from allauth.account.models import EmailAddress

    if User.objects.filter(email__iexact=email).exists():
        return True
    return EmailAddress.objects.filter(email__iexact=email).exists()


@transaction.atomic
def register_member_by_staff(
    *,
    name: str,
    email: str | None,
    recorded_by: User,
    method: str,
    decisions: dict[str, bool],
    profile: dict | None = None,
) -> Member:
    """Registers someone who joined by phone or on paper, with the decisions they told staff.

    Creates the account (no password yet; with no email address they cannot log in at all),
    the member record and one consent record per decision, each marked with how it was given
    and who recorded it. An email address is marked verified: the welcome email's
    set-password link is what proves it belongs to them. That email is recorded in the outbox
    in the same transaction (`members.messages.welcome`) and sent once the registration is
    saved; someone with no email address gets none.
    """
    from allauth.account.models import EmailAddress

    if method not in (Consent.Method.PHONE, Consent.Method.PAPER):
        raise ValueError("Staff record consent given by phone or on paper.")
    if not decisions.get(ConsentText.Purpose.KEEP_DETAILS):
        raise ValueError("The group can only register someone who agrees to it keeping their details.")
    profile = dict(profile or {})
    unknown = set(profile) - STAFF_REGISTRATION_FIELDS
    if unknown:
        raise ValueError(f"Not a field staff fill in at registration: {', '.join(sorted(unknown))}")
    email = User.objects.normalize_email(email).lower() if email else None
    if email and email_in_use(email):
        raise EmailAlreadyRegistered(email)

    user = User(email=email, name=name)
    user.set_unusable_password()
    user.save()
    if email:
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)

    # Contact preferences, consent and (when accepted) the respect agreement were done with
    # staff, so online onboarding carries on from whichever step comes next.
    steps_done = ["contact", "consent"]
    if decisions.get(ConsentText.Purpose.RESPECT_AGREEMENT):
        steps_done.append("respect")
    profile.setdefault("status", Member.Status.ACTIVE)
    member = Member.objects.create(user=user, onboarding_step=len(steps_done), **profile)
    record_consents(member=member, decisions=decisions, method=method, recorded_by=recorded_by)
    welcome(member=member)
    return member

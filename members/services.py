"""The writes that matter for members: joining, onboarding, consent, breaks and leaving.

Views, the admin, tasks and tests all call these, so each rule lives in one place.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from .consent import current_texts
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
        Member.objects.filter(pk=member.pk).update(**updates)
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
    record, _ = EqualityMonitoring.objects.update_or_create(member=member, defaults=answers)
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

"""Consent: what a member has agreed to now, and the one question every sender asks.

`can_contact(member, purpose, channel)` is the single gate for every message that is not an
account email (verification, password reset). Withdrawal takes effect at once because the
answer is read from the newest consent record on every call.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.enums import TextChoices

from .models import Channel, Consent, ConsentText, Member


class ContactPurpose(TextChoices):
    """Why a message is being sent. All need consent to contact on the channel used."""

    MEETINGS = "meetings", "Meeting invitations, reminders and debriefs"
    SURVEYS = "surveys", "Survey invitations and reminders"
    NEWS = "news", "Group news and ways to get involved"
    REVIEWS = "reviews", "Requests to review resources"
    CLAIMS = "claims", "Updates about my own expense claims"


# Messages about a member's own money still go while they take a break; nothing else does.
SENT_WHILE_PAUSED = {ContactPurpose.CLAIMS}


@dataclass(frozen=True)
class CurrentConsent:
    purpose: str
    label: str
    text: ConsentText | None  # the newest published version
    record: Consent | None  # the member's newest decision, if any

    @property
    def given(self) -> bool:
        return bool(self.record and self.record.given)

    @property
    def needs_review(self) -> bool:
        """A newer version was published since the member last decided."""
        return bool(self.record and self.text and self.record.text.version < self.text.version)


def current_texts() -> dict[str, ConsentText]:
    """The newest published text of each purpose."""
    texts: dict[str, ConsentText] = {}
    for text in ConsentText.objects.filter(published_at__isnull=False).order_by("purpose", "-version"):
        texts.setdefault(text.purpose, text)
    return texts


def current_consents(member: Member) -> list[CurrentConsent]:
    """Each purpose (the four consents, then the respect agreement) with the member's current choice."""
    texts = current_texts()
    latest: dict[str, Consent] = {}
    for record in member.consents.select_related("text", "recorded_by").order_by("-recorded_at", "-id"):
        latest.setdefault(record.purpose, record)
    purposes = [*ConsentText.CONSENT_PURPOSES, ConsentText.Purpose.RESPECT_AGREEMENT]
    return [
        CurrentConsent(purpose=p.value, label=p.label, text=texts.get(p.value), record=latest.get(p.value))
        for p in purposes
    ]


def has_consent(member: Member, purpose: str) -> bool:
    record = (
        Consent.objects.filter(member=member, purpose=purpose).order_by("-recorded_at", "-id").only("given").first()
    )
    return bool(record and record.given)


def can_contact(member: Member, purpose: ContactPurpose | str, channel: Channel | str) -> bool:
    """May the group send this member a message for this purpose on this channel, right now?

    Yes only if the member has not left or been erased, is not taking a break (except for
    messages about their own claims), has chosen this channel, and currently consents both
    to the group keeping their details and to being contacted.
    """
    purpose = ContactPurpose(purpose)
    channel = Channel(channel)
    member = Member.objects.select_related("user").get(pk=member.pk)  # always the current state
    if member.has_left or member.erased_at:
        return False
    if channel == Channel.EMAIL and not member.user.is_active:
        return False
    if member.is_paused and purpose not in SENT_WHILE_PAUSED:
        return False
    if not member.accepts_channel(channel):
        return False
    if channel == Channel.EMAIL and not member.user.email:
        return False
    if channel in (Channel.SMS, Channel.PHONE) and not member.phone:
        return False
    if channel == Channel.POST and not member.postal_address:
        return False
    return has_consent(member, ConsentText.Purpose.KEEP_DETAILS) and has_consent(member, ConsentText.Purpose.CONTACT)


def latest_consent_given(purpose: str) -> Subquery:
    """A subquery: the `given` of the member's newest consent record for a purpose (for annotations)."""
    newest = Consent.objects.filter(member=OuterRef("pk"), purpose=purpose).order_by("-recorded_at", "-id")
    return Subquery(newest.values("given")[:1])


def contactable_members(purpose: ContactPurpose | str, channel: Channel | str) -> QuerySet[Member]:
    """Every member `can_contact` would say yes to, as one query (for exports and bulk senders)."""
    purpose = ContactPurpose(purpose)
    channel = Channel(channel)
    statuses = [Member.Status.INTERESTED, Member.Status.ACTIVE]
    if purpose in SENT_WHILE_PAUSED:
        statuses.append(Member.Status.PAUSED)
    queryset = (
        Member.objects.filter(status__in=statuses, erased_at__isnull=True, **{f"contact_by_{channel.value}": True})
        .annotate(
            keeps_details=latest_consent_given(ConsentText.Purpose.KEEP_DETAILS),
            contact_given=latest_consent_given(ConsentText.Purpose.CONTACT),
        )
        .filter(keeps_details=True, contact_given=True)
        .select_related("user")
    )
    if channel == Channel.EMAIL:
        queryset = queryset.filter(user__is_active=True).exclude(Q(user__email__isnull=True) | Q(user__email=""))
    elif channel in (Channel.SMS, Channel.PHONE):
        queryset = queryset.exclude(phone="")
    else:
        queryset = queryset.exclude(postal_address="")
    return queryset


def members_needing_review() -> QuerySet[Member]:
    """Members whose newest decision on some purpose was made on an older text version."""
    texts = current_texts()
    if not texts:
        return Member.objects.none()
    annotations = {}
    condition = Q()
    for purpose, text in texts.items():
        newest = Consent.objects.filter(member=OuterRef("pk"), purpose=purpose).order_by("-recorded_at", "-id")
        annotations[f"version_{purpose}"] = Subquery(newest.values("text__version")[:1])
        condition |= Q(**{f"version_{purpose}__lt": text.version})
    return Member.objects.annotate(**annotations).filter(condition)

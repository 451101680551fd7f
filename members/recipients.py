"""Members' answers to the outbox's questions about a person (see outbox/recipients.py).

Everything a message may need to know about its recipient is decided here, so that
`members.consent.can_contact` stays the only consent gate for every channel:

- member messages (meetings, surveys, claims…) ask `can_contact` at the moment of sending;
- account emails (``outbox.sending.ACCOUNT``: the welcome email with its set-password link)
  go to any live account with an email address, whatever its contact choices, because
  without them the person cannot reach their own account;
- staff messages (``STAFF``: notices to coordinators, and "your report is ready" to the staff
  member or commissioner who asked for it) go only to active staff and commissioners, by email.
"""

from __future__ import annotations

from typing import Any

from outbox.models import Channel as OutboxChannel
from outbox.sending import ACCOUNT

from .consent import can_contact
from .models import Channel, Member, User
from .roles import COMMISSIONERS, is_commissioner

STAFF = "staff"


class MemberRecipients:
    def may_contact(self, user, purpose: str, channel: str) -> bool:
        if purpose == ACCOUNT:
            member = Member.objects.filter(user=user).only("erased_at").first()
            erased = bool(member and member.erased_at)
            return channel == OutboxChannel.EMAIL and user.is_active and bool(user.email) and not erased
        if purpose == STAFF:
            staff_or_commissioner = user.is_staff or is_commissioner(user)
            return channel == OutboxChannel.EMAIL and user.is_active and staff_or_commissioner and bool(user.email)
        member = Member.objects.filter(user=user).first()
        if member is None:
            return False
        return can_contact(member, purpose, channel)

    def address(self, user, channel: str) -> str:
        if channel == OutboxChannel.EMAIL:
            return user.email or ""
        if channel == OutboxChannel.SMS:
            phone = Member.objects.filter(user=user).values_list("phone", flat=True).first() or ""
            return phone if phone.startswith("07") else ""  # texts go to mobiles only
        return ""

    def chosen_channels(self, users: list[Any]) -> dict[int, set[str]]:
        chosen: dict[int, set[str]] = {user.pk: {OutboxChannel.EMAIL} for user in users if user.is_staff}
        rows = Member.objects.filter(user__in=[user.pk for user in users]).values(
            "user_id", "contact_by_email", "contact_by_sms"
        )
        for row in rows:
            channels = chosen.setdefault(row["user_id"], set())
            if row["contact_by_email"]:
                channels.add(Channel.EMAIL.value)
            if row["contact_by_sms"]:
                channels.add(Channel.SMS.value)
        # Commissioners have no member record (and are not staff): they are written to by email.
        # Asked only when some recipient is neither, so a message to members costs no query more.
        others = [user.pk for user in users if user.pk not in chosen]
        if others:
            commissioners = User.objects.filter(pk__in=others, groups__name=COMMISSIONERS).values_list("pk", flat=True)
            for pk in commissioners:
                chosen[pk] = {OutboxChannel.EMAIL}
        return chosen

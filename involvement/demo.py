"""Demo data for `make run`: a believable involvement group, created idempotently.

Later features add their own demo data by extending `seed_demo` (see the
management command); each part uses get_or_create / update_or_create on a
natural key so running the command twice changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from members.consent import current_texts
from members.models import Consent, Member, TrainingCourse, TrainingRecord, User
from members.roles import COMMISSIONERS, COORDINATORS, FINANCE_APPROVERS
from members.services import save_equality_answers

from .models import GroupProfile, Signpost

# A fixed base32 TOTP secret for the demo staff accounts only, so the demo
# can be tried with any authenticator app or `manage.py demo_code`.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
DEMO_PASSWORD = "involve-demo-2026"


def require_demo_tools(command: str) -> None:
    """Stops a demo command unless DEMO_TOOLS_ENABLED is on (development and test settings).

    The demo accounts have a published password and two-step secret, so creating them, or
    printing their codes, must never happen on a real portal by accident.
    """
    if not settings.DEMO_TOOLS_ENABLED:
        raise CommandError(
            f"{command} creates or reveals demo logins with a published password, so it only runs "
            "with the development settings, or where DEMO_TOOLS_ENABLED=true is set on purpose."
        )


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str
    needs_code: bool


DEMO_MEMBERS = [
    ("member@demo.example", "Amira Khan"),
    ("grace.obi@demo.example", "Grace Obi"),
    ("hannah.lewis@demo.example", "Hannah Lewis"),
    ("kasia.nowak@demo.example", "Kasia Nowak"),
    ("li.wei@demo.example", "Li Wei"),
    ("mo.patel@demo.example", "Mo Patel"),
    ("rhian.evans@demo.example", "Rhian Evans"),
    ("sam.taylor@demo.example", "Sam Taylor"),
]

SUPPORT_SIGNPOSTS = [
    {
        "name": "The group coordinator",
        "description": "Call or email in working hours if anything from a meeting stays with you.",
        "phone": "0300 123 4567",
        "order": 1,
    },
    {
        "name": "Your perinatal mental health team",
        "description": "If you are under the team's care, your care coordinator or the duty worker can help.",
        "order": 2,
    },
    {
        "name": "Peer support from a charity partner",
        "description": "Talking to someone who has been there too. Ask the coordinator for local groups.",
        "order": 3,
    },
]


def _user(email: str, name: str, *, staff: bool = False) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"name": name, "is_staff": staff})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def _with_two_step(user: User) -> None:
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists():
        RecoveryCodes.activate(user)


@transaction.atomic
def seed_group() -> list[DemoLogin]:
    """Creates the demo group profile, signposts and people. Safe to run any number of times."""
    GroupProfile.objects.update_or_create(
        pk=1,
        defaults={
            "name": "Riverside Perinatal Involvement Group",
            "short_name": "Riverside group",
            "service_name": "Perinatal involvement",
            "about": (
                "We are women, birthing people, partners and families who have used the Riverside "
                "perinatal mental health service. We work with the staff to make the service better "
                "for the people who come after us.\n\n"
                "Members help write leaflets, design surveys, sit on interview panels and tell "
                "commissioners what matters. You choose what you take part in, and how often."
            ),
            "meeting_pattern": "Every other month, on the second Tuesday, 10am to midday, in person and online.",
            "what_to_expect": (
                "Babies and children are welcome. There is free parking and step-free access.\n\n"
                "We pay travel and childcare costs, and you can claim an involvement payment if you want one."
            ),
            "contact_email": "involvement@riverside.example",
            "contact_phone": "0300 123 4567",
            "contact_hours": "Monday to Friday, 9am to 5pm",
            "postal_address": "Involvement team\nRiverside Perinatal Service\nRiverside House\nRT1 2AB",
        },
    )
    for signpost in SUPPORT_SIGNPOSTS:
        Signpost.objects.update_or_create(kind=Signpost.Kind.SUPPORT, name=signpost["name"], defaults=signpost)

    for email, name in DEMO_MEMBERS:
        _user(email, name)

    coordinator = _user("coordinator@demo.example", "Chloe Adeyemi", staff=True)
    coordinator.groups.add(Group.objects.get(name=COORDINATORS))
    _with_two_step(coordinator)

    commissioner = _user("commissioner@demo.example", "Dev Sharma")
    commissioner.groups.add(Group.objects.get(name=COMMISSIONERS))
    _with_two_step(commissioner)

    finance = _user("finance@demo.example", "Femi Okafor", staff=True)
    finance.groups.add(Group.objects.get(name=FINANCE_APPROVERS))
    _with_two_step(finance)

    seed_members(coordinator)

    from meetings.demo import seed_meetings

    seed_meetings()

    from expenses.demo import seed_expenses

    seed_expenses()

    from surveys.demo import seed_surveys

    seed_surveys()

    from library.demo import seed_library

    seed_library()

    from discussions.demo import seed_discussions

    seed_discussions()

    from .demo_projects import seed_projects

    seed_projects()

    return [
        DemoLogin("member", DEMO_MEMBERS[0][0], DEMO_PASSWORD, needs_code=False),
        DemoLogin("coordinator", coordinator.email, DEMO_PASSWORD, needs_code=True),
        DemoLogin("commissioner", commissioner.email, DEMO_PASSWORD, needs_code=True),
        DemoLogin("finance", finance.email, DEMO_PASSWORD, needs_code=True),
    ]


# --- Members at every stage ------------------------------------------------------------------

ALL_YES = {"keep_details": True, "contact": True, "anonymised_words": True, "photos": True, "respect_agreement": True}


@dataclass(frozen=True)
class DemoMember:
    """One demo member's record. Consent decisions are (purpose, given, days ago), oldest first."""

    joined_days_ago: int
    profile: dict
    consents: list[tuple[str, bool, int]]
    method: str = Consent.Method.ONLINE
    equality: dict | None = None
    training: list[tuple[str, int]] = field(default_factory=list)


def _decisions(days_ago: int, **changes: bool) -> list[tuple[str, bool, int]]:
    return [(purpose, changes.get(purpose, given), days_ago) for purpose, given in ALL_YES.items()]


_DONE = {"onboarding_step": len(Member.ONBOARDING_STEPS)}

DEMO_MEMBER_RECORDS: dict[str, DemoMember] = {
    "member@demo.example": DemoMember(
        joined_days_ago=210,
        profile={
            **_DONE,
            "status": Member.Status.ACTIVE,
            "pronouns": "she/her",
            "phone": "07700900101",
            "contact_by_email": True,
            "contact_by_sms": True,
            "contact_frequency": Member.Frequency.AS_NEEDED,
            "needs_childcare": True,
            "relationship": Member.Relationship.BIRTHING_PERSON,
            "topics": [Member.Topic.POSTNATAL_DEPRESSION, Member.Topic.ANXIETY],
            "heard_about": Member.HeardAbout.CLINICIAN,
            "payment_preference": Member.PaymentPreference.INVOLVEMENT_PAYMENTS,
        },
        consents=_decisions(210, photos=False),
        equality={"age_band": "30_34", "ethnicity": "asian", "disability": "no", "religion": "muslim"},
        training=[("Induction", 190), ("Sharing your story safely", 95)],
    ),
    "grace.obi@demo.example": DemoMember(
        joined_days_ago=400,
        profile={
            **_DONE,
            "status": Member.Status.ACTIVE,
            "phone": "07700900102",
            "postal_address": "14 Weaver Street\nRiverside",
            "postcode": "RT2 4QT",
            "contact_by_email": True,
            "contact_by_post": True,
            "needs_bsl": True,
            "relationship": Member.Relationship.BIRTHING_PERSON,
            "topics": [Member.Topic.BIRTH_TRAUMA],
            "heard_about": Member.HeardAbout.CHARITY,
            "payment_preference": Member.PaymentPreference.EXPENSES_ONLY,
        },
        consents=_decisions(400),
        equality={"age_band": "35_39", "ethnicity": "black", "disability": "yes", "religion": "christian"},
        training=[("Induction", 380), ("Interview panel training", 120)],
    ),
    "hannah.lewis@demo.example": DemoMember(
        # Stopped half-way through joining online: the dashboard offers to carry on.
        joined_days_ago=6,
        profile={"status": Member.Status.INTERESTED, "onboarding_step": 2, "contact_by_email": True},
        consents=_decisions(6, anonymised_words=False, photos=False)[:4],
    ),
    "kasia.nowak@demo.example": DemoMember(
        # Joined by phone: the coordinator recorded her answers.
        joined_days_ago=150,
        profile={
            **_DONE,
            "status": Member.Status.ACTIVE,
            "phone": "07700900104",
            "contact_by_sms": True,
            "contact_by_phone": True,
            "needs_interpreter": True,
            "interpreter_language": "Polish",
            "preferred_language": "Polish",
            "relationship": Member.Relationship.BIRTHING_PERSON,
            "topics": [Member.Topic.TOKOPHOBIA],
            "heard_about": Member.HeardAbout.FRIEND,
            "payment_preference": Member.PaymentPreference.NO_PAYMENTS,
        },
        consents=_decisions(150, photos=False),
        method=Consent.Method.PHONE,
        training=[("Induction", 140)],
    ),
    "li.wei@demo.example": DemoMember(
        joined_days_ago=320,
        profile={
            **_DONE,
            "status": Member.Status.PAUSED,
            "contact_by_email": True,
            "needs_step_free": True,
            "relationship": Member.Relationship.BIRTHING_PERSON,
            "topics_prefer_not": True,
            "heard_about": Member.HeardAbout.SOCIAL_MEDIA,
        },
        consents=_decisions(320, anonymised_words=False),
        equality={"age_band": "25_29", "ethnicity": "prefer_not", "disability": "no", "religion": "none"},
        training=[("Induction", 300)],
    ),
    "mo.patel@demo.example": DemoMember(
        joined_days_ago=90,
        profile={
            **_DONE,
            "status": Member.Status.ACTIVE,
            "postal_address": "3 Orchard Row\nNorth Riverside",
            "postcode": "RT5 1HG",
            "contact_by_email": True,
            "contact_by_post": True,
            "contact_frequency": Member.Frequency.MONTHLY,
            "needs_large_print": True,
            "needs_easy_read": True,
            "relationship": Member.Relationship.PARTNER,
            "heard_about": Member.HeardAbout.SOCIAL_MEDIA,
            "payment_preference": Member.PaymentPreference.EXPENSES_ONLY,
        },
        consents=_decisions(90),
        equality={"age_band": "35_39", "ethnicity": "asian", "disability": "no", "religion": "hindu"},
    ),
    "rhian.evans@demo.example": DemoMember(
        # Left the group but kept her account; stopped contact before she left.
        joined_days_ago=700,
        profile={
            **_DONE,
            "status": Member.Status.LEFT,
            "contact_by_email": True,
            "relationship": Member.Relationship.FAMILY,
            "heard_about": Member.HeardAbout.OTHER,
            "heard_about_other": "A poster at the children's centre",
        },
        consents=[*_decisions(700), ("contact", False, 40)],
        training=[("Induction", 680)],
    ),
    "sam.taylor@demo.example": DemoMember(
        # Withdrew contact for a while, then gave it again.
        joined_days_ago=260,
        profile={
            **_DONE,
            "status": Member.Status.ACTIVE,
            "phone": "07700900108",
            "contact_by_email": True,
            "contact_by_phone": True,
            "access_other": "Likes to sit near the door and step out if she needs to.",
            "relationship": Member.Relationship.BIRTHING_PERSON,
            "topics": [Member.Topic.PERINATAL_LOSS],
            "heard_about": Member.HeardAbout.CHARITY,
            "payment_preference": Member.PaymentPreference.INVOLVEMENT_PAYMENTS,
        },
        consents=[*_decisions(260), ("contact", False, 120), ("contact", True, 30)],
        equality={"age_band": "40_plus", "ethnicity": "white", "disability": "prefer_not", "religion": "none"},
        training=[("Induction", 250), ("Interview panel training", 60)],
    ),
}

# Registered from a paper form, with no email address: she cannot log in, and hears by post and phone.
PAPER_MEMBER_NAME = "Joan Bright"
PAPER_MEMBER = DemoMember(
    joined_days_ago=45,
    profile={
        **_DONE,
        "status": Member.Status.ACTIVE,
        "phone": "01632960123",
        "postal_address": "22 Mill Lane\nRiverside",
        "postcode": "RT3 8LP",
        "contact_by_phone": True,
        "contact_by_post": True,
        "needs_large_print": True,
        "needs_easy_read": True,
        "heard_about": Member.HeardAbout.CLINICIAN,
    },
    consents=_decisions(45, anonymised_words=False, photos=False),
    method=Consent.Method.PAPER,
)


def _paper_member_user() -> User:
    user = User.objects.filter(email__isnull=True, name=PAPER_MEMBER_NAME).first()
    if user is None:
        user = User(name=PAPER_MEMBER_NAME, email=None)
        user.set_unusable_password()
        user.save()
    return user


def _seed_member(user: User, record: DemoMember, coordinator: User) -> Member:
    """Creates the member with their history the first time; afterwards leaves them as they are."""
    now = timezone.now()
    joined = now - datetime.timedelta(days=record.joined_days_ago)
    profile = dict(record.profile)
    if profile.get("onboarding_step") == len(Member.ONBOARDING_STEPS):
        profile["onboarding_completed_at"] = joined
    member, _ = Member.objects.get_or_create(
        user=user, defaults={**profile, "joined_at": joined, "status_changed_at": joined}
    )
    if not member.consents.exists():
        texts = current_texts()
        staff_recorded = record.method != Consent.Method.ONLINE
        Consent.objects.bulk_create(
            [
                Consent(
                    member=member,
                    text=texts[purpose],
                    purpose=purpose,
                    given=given,
                    recorded_at=now - datetime.timedelta(days=days_ago),
                    method=record.method,
                    recorded_by=coordinator if staff_recorded else None,
                )
                for purpose, given, days_ago in record.consents
            ]
        )
    if record.equality and member.equality_answers is None:
        save_equality_answers(member=member, answers=record.equality)
    for course_name, days_ago in record.training:
        course, _ = TrainingCourse.objects.get_or_create(name=course_name)
        TrainingRecord.objects.get_or_create(
            member=member,
            course=course,
            defaults={"completed_on": (now - datetime.timedelta(days=days_ago)).date(), "recorded_by": coordinator},
        )
    return member


def seed_members(coordinator: User) -> None:
    """Members at every stage (interested, active, paused, left), with their consents, access
    needs, equality answers and training. Each is created once; a second run adds nothing."""
    users = {user.email: user for user in User.objects.filter(email__in=DEMO_MEMBER_RECORDS)}
    for email, record in DEMO_MEMBER_RECORDS.items():
        _seed_member(users[email], record, coordinator)
    _seed_member(_paper_member_user(), PAPER_MEMBER, coordinator)

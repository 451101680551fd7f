"""Demo data for `make run`: a believable involvement group, created idempotently.

Later features add their own demo data by extending `seed_demo` (see the
management command); each part uses get_or_create / update_or_create on a
natural key so running the command twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.db import transaction

from members.models import User
from members.roles import COMMISSIONERS, COORDINATORS

from .models import GroupProfile, Signpost

# A fixed base32 TOTP secret for the demo staff accounts only, so the demo
# can be tried with any authenticator app or `manage.py demo_code`.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
DEMO_PASSWORD = "involve-demo-2026"


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
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
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
            "meeting_pattern": "Every other month, on the second Tuesday, 10am to 12 noon, in person and online.",
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
        Signpost.objects.update_or_create(
            kind=Signpost.Kind.SUPPORT, name=signpost["name"], defaults=signpost
        )

    for email, name in DEMO_MEMBERS:
        _user(email, name)

    coordinator = _user("coordinator@demo.example", "Chloe Adeyemi", staff=True)
    coordinator.groups.add(Group.objects.get(name=COORDINATORS))
    _with_two_step(coordinator)

    commissioner = _user("commissioner@demo.example", "Dev Sharma")
    commissioner.groups.add(Group.objects.get(name=COMMISSIONERS))
    _with_two_step(commissioner)

    return [
        DemoLogin("member", DEMO_MEMBERS[0][0], DEMO_PASSWORD, needs_code=False),
        DemoLogin("coordinator", coordinator.email, DEMO_PASSWORD, needs_code=True),
        DemoLogin("commissioner", commissioner.email, DEMO_PASSWORD, needs_code=True),
    ]

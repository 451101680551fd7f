import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from members.models import (
    Consent,
    ConsentText,
    EqualityMonitoring,
    Member,
    TrainingCourse,
    TrainingRecord,
    User,
)
from members.roles import COMMISSIONERS, COORDINATORS

DEFAULT_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("first_name")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Gives the user a verified primary email address, as allauth needs before login."""
        if not create or extracted is False:
            return
        from allauth.account.models import EmailAddress

        EmailAddress.objects.update_or_create(user=self, email=self.email, defaults={"verified": True, "primary": True})
        self.save()


class CoordinatorFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get(name=COORDINATORS))


class CommissionerFactory(UserFactory):
    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get(name=COMMISSIONERS))


class MemberFactory(factory.django.DjangoModelFactory):
    """A member record (and its user). Consents are separate: see `give_consents`.

    Traits: ``active`` (onboarding done), ``paused``, ``left``, ``reachable`` (a phone number,
    a postal address and every contact channel chosen).
    """

    class Meta:
        model = Member
        django_get_or_create = ["user"]

    user = factory.SubFactory(UserFactory)
    contact_by_email = True

    class Params:
        active = factory.Trait(
            status=Member.Status.ACTIVE,
            onboarding_step=len(Member.ONBOARDING_STEPS),
            onboarding_completed_at=factory.LazyFunction(timezone.now),
        )
        paused = factory.Trait(status=Member.Status.PAUSED)
        left = factory.Trait(status=Member.Status.LEFT)
        reachable = factory.Trait(
            phone="07700900123",
            postal_address="1 Example Street\nRiverside",
            postcode="RT1 1AA",
            contact_by_email=True,
            contact_by_sms=True,
            contact_by_phone=True,
            contact_by_post=True,
        )


def give_consents(member, *, method=Consent.Method.ONLINE, recorded_by=None, **decisions) -> list[Consent]:
    """Records the member's decisions against the current texts.

    With no decisions, gives all four consents and accepts the respect agreement; otherwise
    pass ``keep_details=True, contact=False`` and so on.
    """
    from members.services import record_consents

    if not decisions:
        decisions = {purpose.value: True for purpose in ConsentText.CONSENT_PURPOSES}
        decisions[ConsentText.Purpose.RESPECT_AGREEMENT.value] = True
    return record_consents(member=member, decisions=decisions, method=method, recorded_by=recorded_by)


class TrainingCourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingCourse
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Course {n}")


class TrainingRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingRecord

    member = factory.SubFactory(MemberFactory)
    course = factory.SubFactory(TrainingCourseFactory)
    completed_on = factory.LazyFunction(lambda: timezone.localdate())


class EqualityMonitoringFactory(factory.django.DjangoModelFactory):
    """Equality answers, filed under a member's random key (pass ``member``; one is made if not)."""

    class Meta:
        model = EqualityMonitoring

    class Params:
        member = factory.SubFactory(MemberFactory)

    key = factory.LazyAttribute(lambda answers: answers.member.equality_key)
    age_band = EqualityMonitoring.AgeBand.A30_34
    ethnicity = EqualityMonitoring.Ethnicity.MIXED
    disability = EqualityMonitoring.YesNo.NO
    sexual_orientation = EqualityMonitoring.SexualOrientation.PREFER_NOT
    religion = EqualityMonitoring.Religion.NONE
    gender_same_as_birth = EqualityMonitoring.YesNo.YES
